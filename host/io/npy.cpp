// NumPy .npy (format 1.0/2.0/3.0) for 1-D or 2-D float32/float64 arrays, little-endian.
#include <cmath>
#include <cstring>
#include <string>

#include "atomic_file.hpp"
#include "mapped_file.hpp"
#include "segmint/error.hpp"
#include "segmint/io.hpp"

namespace segmint {
namespace {

struct npy_header {
  std::string descr;
  bool fortran = false;
  std::vector<int64_t> shape;
  size_t data_offset = 0;
};

/// Value of `key` in the header dict text, e.g. 'descr': '<f4' → "'<f4'".
std::string dict_value(const std::string& path, const std::string& dict, const std::string& key) {
  const size_t k = dict.find("'" + key + "'");
  if (k == std::string::npos) throw input_error(path + ": .npy header has no '" + key + "' entry");
  size_t p = dict.find(':', k);
  if (p == std::string::npos) throw input_error(path + ": malformed .npy header");
  ++p;
  while (p < dict.size() && dict[p] == ' ') ++p;
  size_t e = p;
  if (e < dict.size() && dict[e] == '(') {
    e = dict.find(')', e);
    if (e == std::string::npos) throw input_error(path + ": malformed .npy shape");
    ++e;
  } else {
    while (e < dict.size() && dict[e] != ',' && dict[e] != '}') ++e;
  }
  return dict.substr(p, e - p);
}

npy_header parse_header(const std::string& path, std::string_view bytes) {
  if (bytes.size() < 10 || bytes.substr(0, 6) != "\x93NUMPY") throw input_error(path + ": not a .npy file (bad magic)");
  const auto major = static_cast<unsigned char>(bytes[6]);
  size_t len = 0;
  size_t start = 0;
  if (major == 1) {
    len = static_cast<unsigned char>(bytes[8]) | (static_cast<size_t>(static_cast<unsigned char>(bytes[9])) << 8);
    start = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) throw input_error(path + ": truncated .npy header");
    for (int i = 3; i >= 0; --i) len = (len << 8) | static_cast<unsigned char>(bytes[8 + static_cast<size_t>(i)]);
    start = 12;
  } else {
    throw input_error(path + ": unsupported .npy format version " + std::to_string(major));
  }
  if (start + len > bytes.size()) throw input_error(path + ": truncated .npy header");
  const std::string dict(bytes.substr(start, len));
  npy_header h;
  h.data_offset = start + len;
  std::string descr = dict_value(path, dict, "descr");
  if (descr.size() >= 2 && (descr.front() == '\'' || descr.front() == '"')) descr = descr.substr(1, descr.size() - 2);
  h.descr = descr;
  h.fortran = dict_value(path, dict, "fortran_order").find("True") != std::string::npos;
  const std::string shape = dict_value(path, dict, "shape");
  size_t p = 1;
  while (p < shape.size()) {
    while (p < shape.size() && (shape[p] == ' ' || shape[p] == ',')) ++p;
    if (p >= shape.size() || shape[p] == ')') break;
    size_t used = 0;
    long long v = 0;
    try {
      v = std::stoll(shape.substr(p), &used);
    } catch (const std::exception&) {
      throw input_error(path + ": malformed .npy shape " + quote_value(shape));
    }
    if (v < 0 || used == 0) throw input_error(path + ": malformed .npy shape " + quote_value(shape));
    h.shape.push_back(v);
    p += used;
  }
  return h;
}

}  // namespace

matrix read_npy(const std::string& path) {
  const detail::mapped_file file(path);
  return read_npy_buffer(file.bytes(), path);
}

matrix read_npy_buffer(std::string_view bytes, const std::string& path) {
  const npy_header h = parse_header(path, bytes);
  if (h.descr != "<f4" && h.descr != "<f8")
    throw input_error(path + ": .npy dtype " + quote_value(h.descr) + " is not supported (use float32 '<f4' or float64 '<f8')");
  if (h.shape.empty() || h.shape.size() > 2)
    throw input_error(path + ": .npy array must be 1-D or 2-D, it has " + std::to_string(h.shape.size()) + " dimensions");
  const int64_t rows = h.shape[0];
  const int64_t cols = h.shape.size() == 2 ? h.shape[1] : 1;
  const size_t item = h.descr == "<f4" ? 4 : 8;
  if (cols > 0 && rows > static_cast<int64_t>((bytes.size() / item) / static_cast<size_t>(cols)) + 1)
    throw input_error(path + ": .npy data is shorter than its shape says");
  // Every size product checked: a shape whose rows × cols × item overflows must not pass as a small one.
  size_t count = 0;
  size_t needed = 0;
  if (__builtin_mul_overflow(static_cast<size_t>(rows), static_cast<size_t>(cols), &count) ||
      __builtin_mul_overflow(count, item, &needed) || count > static_cast<size_t>(INT64_MAX))
    throw input_error(path + ": .npy shape (" + std::to_string(rows) + ", " + std::to_string(cols) +
                      ") is larger than any file can hold");
  if (bytes.size() - h.data_offset != needed)
    throw input_error(path + ": .npy data has " + std::to_string(bytes.size() - h.data_offset) + " bytes, shape needs " +
                      std::to_string(needed));
  matrix m(rows, cols);
  const char* src = bytes.data() + h.data_offset;
  for (size_t idx = 0; idx < count; ++idx) {
    float v = 0;
    if (item == 4) {
      std::memcpy(&v, src + idx * 4, 4);
    } else {
      double dv = 0;
      std::memcpy(&dv, src + idx * 8, 8);
      v = static_cast<float>(dv);
    }
    const auto i = static_cast<int64_t>(h.fortran ? idx % static_cast<size_t>(rows) : idx / static_cast<size_t>(cols));
    const auto j = static_cast<int64_t>(h.fortran ? idx / static_cast<size_t>(rows) : idx % static_cast<size_t>(cols));
    if (!std::isfinite(v))
      throw input_error(path + ": element (" + std::to_string(i) + ", " + std::to_string(j) + ") is not a finite float32");
    m(i, j) = v;
  }
  return m;
}

void write_npy(const std::string& path, matrix_view m) {
  std::string dict = "{'descr': '<f4', 'fortran_order': True, 'shape': (" + std::to_string(m.rows) + ", " +
                     std::to_string(m.cols) + "), }";
  const size_t unpadded = 10 + dict.size() + 1;
  dict.append((64 - unpadded % 64) % 64, ' ');
  dict += '\n';
  std::string head = "\x93NUMPY";
  head += '\x01';
  head += '\x00';
  head += static_cast<char>(dict.size() & 0xff);
  head += static_cast<char>((dict.size() >> 8) & 0xff);
  head += dict;
  detail::atomic_file f(path);
  f.write(head);
  f.write(std::string_view(reinterpret_cast<const char*>(m.data), static_cast<size_t>(m.rows * m.cols) * sizeof(float)));
  f.commit();
}

}  // namespace segmint
