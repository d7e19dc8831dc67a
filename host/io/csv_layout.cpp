#include "csv_layout.hpp"

#include <algorithm>
#include <cstring>

#include "csv_record.hpp"
#include "segmint/error.hpp"
#include "text_encoding.hpp"

namespace segmint::detail {

void check_text_encoding(const std::string& path, std::string_view all) {
  refuse_binary_formats(path, all.substr(0, 16));
  const std::string_view head = all.substr(0, 4);
  const bool utf16_bom = head.substr(0, 2) == "\xFF\xFE" || head.substr(0, 2) == "\xFE\xFF";
  const std::string_view first_line = all.substr(0, std::min(all.find('\n'), size_t{65536}));
  if (utf16_bom || first_line.find('\0') != std::string_view::npos)
    throw input_error(path + ": the file is UTF-16 or UTF-32 encoded (" +
                      (utf16_bom ? std::string("byte-order mark ") + quote_value(head.substr(0, 2))
                                 : std::string("NUL bytes in the header")) +
                      "); save it as UTF-8, e.g. iconv -f UTF-16 -t UTF-8 IN > OUT");
  // A CR followed by text: not CRLF, and not the CR CR LF of a file converted twice (which reads fine).
  const size_t cr = first_line.find('\r');
  if (cr != std::string_view::npos && cr + 1 < all.size() && all[cr + 1] != '\n' && all[cr + 1] != '\r')
    throw input_error(path + ":1: the lines end with a carriage return alone (classic Mac OS line ends); convert them "
                      "to LF or CRLF, e.g. tr '\\r' '\\n' < IN > OUT");
}

std::vector<size_t> chunk_starts(std::string_view body, char delim) {
  std::vector<size_t> starts{0};
  if (body.size() <= chunk_bytes) return starts;
  if (std::memchr(body.data(), '"', body.size()) == nullptr) {
    for (size_t t = chunk_bytes; t < body.size(); t += chunk_bytes) {
      const void* nl = std::memchr(body.data() + t, '\n', body.size() - t);
      if (nl == nullptr) break;
      const auto s = static_cast<size_t>(static_cast<const char*>(nl) - body.data()) + 1;
      if (s < body.size() && s > starts.back()) starts.push_back(s);
    }
    return starts;
  }
  std::vector<csv_field> scratch;
  record_status st;
  const char* p = body.data();
  const char* end = body.data() + body.size();
  size_t next = chunk_bytes;
  while (p < end) {
    p = parse_record(p, end, delim, scratch, st);
    const auto off = static_cast<size_t>(p - body.data());
    if (off >= next && off < body.size()) {
      starts.push_back(off);
      next = off + chunk_bytes;
    }
  }
  return starts;
}

std::vector<size_t> shard_starts(std::string_view body, int parts, char delim, const std::vector<size_t>& targets) {
  std::vector<size_t> starts(static_cast<size_t>(parts) + 1, body.size());
  starts[0] = 0;
  if (std::memchr(body.data(), '"', body.size()) == nullptr) {
    for (size_t r = 1; r < static_cast<size_t>(parts); ++r) {
      const size_t t = std::max(targets[r - 1], starts[r - 1]);
      if (t == 0 || t >= body.size()) {
        starts[r] = t == 0 ? 0 : body.size();
        continue;
      }
      const void* nl = std::memchr(body.data() + t - 1, '\n', body.size() - t + 1);  // a record may start at t itself
      starts[r] = nl == nullptr ? body.size() : static_cast<size_t>(static_cast<const char*>(nl) - body.data()) + 1;
    }
    return starts;
  }
  std::vector<csv_field> scratch;
  record_status st;
  const char* p = body.data();
  const char* end = body.data() + body.size();
  size_t r = 1;
  while (r < static_cast<size_t>(parts) && targets[r - 1] == 0) starts[r++] = 0;
  while (p < end && r < static_cast<size_t>(parts)) {
    p = parse_record(p, end, delim, scratch, st);
    const auto off = static_cast<size_t>(p - body.data());
    while (r < static_cast<size_t>(parts) && off >= targets[r - 1]) starts[r++] = off;
  }
  return starts;
}

}  // namespace segmint::detail
