#pragma once
// gzip input (customer tables and transaction logs may come as .csv.gz): detection and whole-file inflation.
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "mapped_file.hpp"

namespace segmint::detail {

/// True when `bytes` start with the gzip magic number.
bool is_gzip(std::string_view bytes);

/// Inflates a whole gzip file (several members allowed, as `cat a.gz b.gz` makes) into `out`. Returns an
/// error text instead of throwing: the transaction reader calls it inside a parallel loop.
///   std::string text; if (auto e = inflate_all(file.bytes(), text)) throw input_error(path + ": " + *e);
std::optional<std::string> inflate_all(std::string_view in, std::string& out);

/// A whole input file as text: memory-mapped, or inflated in memory when it is gzip (detected by content).
class text_file {
 public:
  /// Throws input_error naming the file when it cannot be read or its gzip data is broken.
  explicit text_file(const std::string& path);
  [[nodiscard]] std::string_view bytes() const { return map_ ? map_->bytes() : std::string_view(inflated_); }

 private:
  std::unique_ptr<mapped_file> map_;
  std::string inflated_;
};

}  // namespace segmint::detail
