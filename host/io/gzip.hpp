#pragma once
// gzip input (customer tables and transaction logs may come as .csv.gz): detection and whole-file inflation.
#include <optional>
#include <string>
#include <string_view>

namespace segmint::detail {

/// True when `bytes` start with the gzip magic number.
bool is_gzip(std::string_view bytes);

/// Inflates a whole gzip file (several members allowed, as `cat a.gz b.gz` makes) into `out`. Returns an
/// error text instead of throwing: the transaction reader calls it inside a parallel loop.
///   std::string text; if (auto e = inflate_all(file.bytes(), text)) throw input_error(path + ": " + *e);
std::optional<std::string> inflate_all(std::string_view in, std::string& out);

}  // namespace segmint::detail
