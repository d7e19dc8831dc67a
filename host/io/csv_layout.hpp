// Where a CSV body's records start: chunk boundaries for the parallel parse, byte-range boundaries for the
// processes of a data-parallel run; and the encoding checks made before anything is parsed.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace segmint::detail {

inline constexpr size_t chunk_bytes = size_t{4} << 20;  // parse unit; results do not depend on it

/// Text that is not UTF-8/Latin-1 CSV at all would otherwise surface as a confusing field-count error far
/// down the file: UTF-16/UTF-32 (a byte-order mark, or NUL bytes in the first line) and carriage-return-only
/// line ends (classic Mac OS) are refused up front with what to do about them.
void check_text_encoding(const std::string& path, std::string_view all);

/// Record-aligned chunk starts (offsets into `body`). Without quotes a chunk starts after any '\n';
/// with quotes the records are walked serially so embedded newlines never split a record.
std::vector<size_t> chunk_starts(std::string_view body, char delim);

/// Where each of `parts` processes' byte range starts (parts + 1 offsets, the last = body size), at the first
/// record boundary at or after each target offset (`targets`: parts − 1 non-decreasing offsets into `body`);
/// a range may be empty when the file has few records.
std::vector<size_t> shard_starts(std::string_view body, int parts, char delim, const std::vector<size_t>& targets);

}  // namespace segmint::detail
