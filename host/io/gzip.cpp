#include "gzip.hpp"

#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>

#include "segmint/error.hpp"

namespace segmint::detail {

bool is_gzip(std::string_view bytes) { return bytes.size() >= 2 && bytes[0] == '\x1f' && bytes[1] == '\x8b'; }

namespace {
/// Deflate expands at most ~1032:1; a trailer claiming more is a lie and must not size the buffer.
constexpr size_t max_deflate_ratio = 1032;

size_t physical_memory() {
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page = ::sysconf(_SC_PAGESIZE);
  return pages > 0 && page > 0 ? static_cast<size_t>(pages) * static_cast<size_t>(page) : SIZE_MAX;
}
}  // namespace

std::optional<std::string> inflate_all(std::string_view in, std::string& out) {
  uint32_t isize = 0;  // the last member's size mod 2^32: a first guess for the buffer, never trusted beyond
  if (in.size() >= 4) std::memcpy(&isize, in.data() + in.size() - 4, 4);  // what the input could produce
  const size_t plausible = in.size() * max_deflate_ratio + 4096;
  const size_t limit = physical_memory();  // the buffer grows as data arrives, up to this machine's memory
  out.resize(std::min({std::max<size_t>(isize, in.size() * 4), plausible, limit}) + 1);
  z_stream z{};
  if (inflateInit2(&z, 15 + 32) != Z_OK) return std::string("cannot initialise zlib");
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  size_t produced = 0;
  size_t left = in.size();
  for (;;) {
    if (produced == out.size()) {
      if (out.size() >= limit) {
        inflateEnd(&z);
        return "the data inflates beyond this machine's memory (" + std::to_string(limit >> 20) +
               " MiB); decompress it to a file first (gunzip -k) or split it";
      }
      out.resize(std::min(out.size() * 2, limit));
    }
    const auto in_chunk = static_cast<uInt>(std::min<size_t>(left, 1u << 30));
    const auto out_chunk = static_cast<uInt>(std::min<size_t>(out.size() - produced, 1u << 30));
    z.avail_in = in_chunk;
    z.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    z.avail_out = out_chunk;
    const int rc = inflate(&z, Z_NO_FLUSH);
    left -= in_chunk - z.avail_in;
    produced += out_chunk - z.avail_out;
    if (rc == Z_STREAM_END) {
      if (left == 0) break;
      if (inflateReset(&z) != Z_OK) break;
      continue;
    }
    if (rc == Z_BUF_ERROR && left == 0) {
      inflateEnd(&z);
      return std::string("truncated gzip data (the file ends inside a compressed stream)");
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      const std::string msg = z.msg != nullptr ? z.msg : "inflate error " + std::to_string(rc);
      inflateEnd(&z);
      return "corrupt gzip data: " + msg;
    }
  }
  inflateEnd(&z);
  out.resize(produced);
  return std::nullopt;
}

text_file::text_file(const std::string& path) : map_(std::make_unique<mapped_file>(path)) {
  if (!is_gzip(map_->bytes())) return;
  if (auto e = inflate_all(map_->bytes(), inflated_)) throw input_error(path + ": " + *e);
  map_.reset();
}

}  // namespace segmint::detail
