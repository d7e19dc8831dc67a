// libFuzzer target: the CSV reader on arbitrary bytes. The first byte picks the options (delimiter,
// decimal mark, bad-row policy); the rest is the file. Invariants checked on success: the ledger balances
// and every column has one value per used row. Any other exception than segmint::error is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "segmint/error.hpp"
#include "segmint/io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  segmint::csv_options o;
  const uint8_t flags = data[0];
  if (flags & 1) o.on_bad_row = segmint::bad_row_policy::skip;
  if (flags & 2) o.decimal = ',';
  switch ((flags >> 2) & 3) {
    case 1: o.delimiter = ';'; break;
    case 2: o.delimiter = '\t'; break;
    case 3: o.delimiter = ','; break;
    default: break;
  }
  o.sample_rows = 1 + (flags >> 4);
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    const auto t = segmint::read_csv_buffer(bytes, "fuzz.csv", o, [](const std::vector<segmint::csv_column_info>& cols) {
      segmint::csv_plan p;
      for (const auto& c : cols) (c.kind == segmint::column_kind::numeric ? p.numeric : p.text).push_back(c.index);
      if (!cols.empty() && cols[0].kind != segmint::column_kind::numeric) p.id = 0;
      return p;
    });
    if (!t.ledger.balanced()) __builtin_trap();
    for (const auto& c : t.columns) {
      const size_t n = c.kind == segmint::column_kind::numeric ? c.numbers.size() : c.text.size();
      if (n != t.lines.size()) __builtin_trap();
    }
  } catch (const segmint::error&) {
  }
  return 0;
}
