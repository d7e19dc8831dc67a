// libFuzzer target: the CSV reader on arbitrary bytes, read as csv_fuzz_input.hpp says. Invariants checked
// on success: the ledger balances and every column has one value per used row. Any other exception than
// segmint::error is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "csv_fuzz_input.hpp"
#include "segmint/error.hpp"
#include "segmint/io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  try {
    const auto t = segmint::fuzz::read_csv_fuzz_input(std::string_view(reinterpret_cast<const char*>(data), size));
    if (!t.ledger.balanced()) __builtin_trap();
    for (const auto& c : t.columns) {
      const size_t n = c.kind == segmint::column_kind::numeric ? c.numbers.size() : c.text.size();
      if (n != t.lines.size()) __builtin_trap();
    }
  } catch (const segmint::error&) {
  }
  return 0;
}
