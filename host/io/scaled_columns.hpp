#pragma once
// Text columns of a parsed table turned into numeric ones with a text scale (survey answers).
#include <optional>
#include <vector>

#include "../dist/communicator.hpp"
#include "segmint/io.hpp"
#include "text_scales.hpp"

namespace segmint::detail {

/// Raises the first non-empty failure of any process (in rank order) as an input_error, so every process of
/// a data-parallel run stops with the same one-line message; nothing when every failure is empty.
void raise_first_failure(const std::string& failure, const communicator& comm);

struct scale_request {
  int column = 0;                   ///< header index of a column the raw table holds as text
  std::optional<text_scale> scale;  ///< given (--ordinal, a model's schema); nullopt: detected from the answers
  bool named = false;               ///< named in --features: when no scale fits, its values are parsed as numbers
};

/// Converts each requested column of `raw` in place into a numeric column (NaN where missing). Returns, per
/// request, the scale used; a scale with an empty rule where the values were parsed as plain numbers; nullopt
/// where no scale fits an unnamed column (left as text: the caller skips it). A value the scale does not
/// know, or (plain numbers) a value that is not a number, makes a bad row: under `fail` a one-line error
/// naming file, line, column and value; otherwise the row is dropped from `keep` and counted in `ledger`.
std::vector<std::optional<text_scale>> read_scaled_columns(raw_table& raw, const std::vector<scale_request>& requests,
                                                           char decimal, bool fail, std::vector<bool>& keep,
                                                           row_ledger& ledger, const communicator& comm);

}  // namespace segmint::detail
