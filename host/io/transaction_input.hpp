#pragma once
// The input side of the transaction aggregation: files (memory-mapped, or inflated in memory when they
// are gzip), their header and column positions, the field splitter, and record-aligned parse chunks.
#include <cstdint>
#include <array>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "csv_record.hpp"
#include "mapped_file.hpp"
#include "segmint/transactions.hpp"

namespace segmint::detail {

/// 0-based positions of the roles in one file (-1 = not used).
struct column_map {
  int fields = 0;  ///< fields per record (from the header, or the first record without one)
  int customer = -1;
  int date = -1;
  int amount = -1;
  int quantity = -1;
  int price = -1;
  int invoice = -1;
  int category = -1;
  int product = -1;
  std::vector<std::string> names;  ///< header names (or "column N") for messages
};

struct transaction_file {
  std::string path;
  std::unique_ptr<mapped_file> map;  ///< plain files
  std::string inflated;              ///< gzip files, whole in memory
  std::string_view body;             ///< the bytes after the header
  int64_t body_line = 1;             ///< 1-based line number of the first body byte
  int64_t header_lines = 0;          ///< 1 with a header, 0 without
  int64_t leading_blank_lines = 0;
  char delimiter = ',';
  bool whitespace = false;
  column_map columns;
};

/// Parse unit. Results do not depend on it (only how often the cross-chunk duplicate check has work).
constexpr size_t chunk_target_bytes = size_t{2} << 20;

/// A record-aligned piece of one file's body, parsed by one thread.
struct parse_chunk {
  uint32_t file = 0;
  size_t begin = 0;  ///< offsets into the file's body
  size_t end = 0;
};

/// Fields of one record in a fixed array (no allocation, no capacity checks on the hot path).
struct field_array {
  static constexpr size_t capacity = 128;
  std::array<csv_field, capacity> items;
  size_t count = 0;
  [[nodiscard]] std::span<const csv_field> span() const { return {items.data(), count}; }
};

/// Splits a record that has no quote character, 16 bytes per step (SSE2): most lines of a log. Returns
/// nullptr, having consumed nothing, when the record holds a quote or more than 128 fields (parse_record
/// handles those).
inline const char* split_plain_record(const char* p, const char* end, char delim, field_array& out, record_status& st) {
  out.count = 0;
  st = {};
  const char* field = p;
  bool full = false;
  auto emit = [&](const char* stop) {
    if (out.count == field_array::capacity) {
      full = true;
      return;
    }
    out.items[out.count++] = {std::string_view(field, static_cast<size_t>(stop - field)), false, false};
  };
  const char* q = p;
#ifdef __SSE2__
  const __m128i vd = _mm_set1_epi8(delim);
  const __m128i vn = _mm_set1_epi8('\n');
  const __m128i vq = _mm_set1_epi8('"');
  for (; q + 16 <= end; q += 16) {
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q));
    auto m = static_cast<unsigned>(
        _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(b, vd), _mm_cmpeq_epi8(b, vn)), _mm_cmpeq_epi8(b, vq))));
    while (m != 0) {
      const char* s = q + __builtin_ctz(m);
      m &= m - 1;
      if (*s == '"') return nullptr;
      if (*s == '\n') {
        emit(s > field && s[-1] == '\r' ? s - 1 : s);
        st.newlines = 1;
        return full ? nullptr : s + 1;
      }
      emit(s);
      field = s + 1;
    }
  }
#endif
  for (; q < end; ++q) {
    if (*q == '"') return nullptr;
    if (*q == '\n') {
      emit(q > field && q[-1] == '\r' ? q - 1 : q);
      st.newlines = 1;
      return full ? nullptr : q + 1;
    }
    if (*q == delim) {
      emit(q);
      field = q + 1;
    }
  }
  emit(end > field && end[-1] == '\r' ? end - 1 : end);
  return full ? nullptr : end;
}

/// Splits one record at p: delimited (RFC 4180 quotes) or whitespace-separated. Returns the next record.
inline const char* split_record(const transaction_file& f, const char* p, const char* end, std::vector<csv_field>& fields,
                                record_status& st) {
  if (!f.whitespace) return parse_record(p, end, f.delimiter, fields, st);
  fields.clear();
  st = {};
  const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
  const char* stop = nl != nullptr ? nl : end;
  const char* q = p;
  while (q < stop) {
    while (q < stop && (*q == ' ' || *q == '\t' || *q == '\r')) ++q;
    const char* b = q;
    while (q < stop && *q != ' ' && *q != '\t' && *q != '\r') ++q;
    if (q > b) fields.push_back({std::string_view(b, static_cast<size_t>(q - b)), false, false});
  }
  if (fields.empty()) fields.push_back({std::string_view(p, 0), false, false});  // a blank line
  if (nl == nullptr) return end;
  st.newlines = 1;
  return nl + 1;
}

/// Opens (maps or inflates, in parallel) every file, reads its header and finds the role columns.
/// Throws input_error naming the file for unreadable files, bad gzip data or missing columns.
std::vector<transaction_file> open_transaction_files(const transaction_options& o);

/// Chunks of about `target_bytes` each, in file order, each starting after a line break. That break may
/// lie inside a quoted field (a value with an embedded newline): the chunk before then ends inside an
/// open quote, which parse_transaction_chunk reports, and the file is cut again record by record.
std::vector<parse_chunk> make_chunks(const std::vector<transaction_file>& files, size_t target_bytes);

/// Chunks of one file found by walking its records one by one (the fallback for multi-line fields).
std::vector<parse_chunk> make_chunks_serially(const transaction_file& f, uint32_t file_index, size_t target_bytes);

}  // namespace segmint::detail
