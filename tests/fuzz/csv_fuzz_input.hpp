#pragma once
// How fuzz_csv reads its input, shared with the regression tests (tests/cpu/test_fuzz_regressions.cpp) so a
// saved finding replays exactly: the first byte picks the options (bad-row policy, decimal mark, delimiter,
// sample rows), the rest is the file; text columns are kept, the first one as the id.
#include <cstdint>
#include <string_view>

#include "segmint/io.hpp"

namespace segmint::fuzz {

inline raw_table read_csv_fuzz_input(std::string_view input) {
  csv_options o;
  const auto flags = static_cast<uint8_t>(input.empty() ? 0 : input[0]);
  if (flags & 1) o.on_bad_row = bad_row_policy::skip;
  if (flags & 2) o.decimal = ',';
  switch ((flags >> 2) & 3) {
    case 1: o.delimiter = ';'; break;
    case 2: o.delimiter = '\t'; break;
    case 3: o.delimiter = ','; break;
    default: break;
  }
  o.sample_rows = 1 + (flags >> 4);
  return read_csv_buffer(input.substr(input.empty() ? 0 : 1), "fuzz.csv", o, [](const std::vector<csv_column_info>& cols) {
    csv_plan p;
    for (const auto& c : cols) (c.kind == column_kind::numeric ? p.numeric : p.text).push_back(c.index);
    if (!cols.empty() && cols[0].kind != column_kind::numeric) p.id = 0;
    return p;
  });
}

}  // namespace segmint::fuzz
