// libFuzzer target: gzip inflation (customer tables and transaction logs may be .gz) on arbitrary bytes.
// Invariants: an error or the inflated bytes, never a crash; the buffer is never sized by the trailer's
// claim beyond what the input can inflate to (deflate's ~1032:1), so a tiny file cannot take gigabytes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "../../host/io/gzip.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  std::string out;
  (void)segmint::detail::inflate_all(in, out);
  if (out.capacity() > size * 2064 + (size_t{1} << 20)) __builtin_trap();
  return 0;
}
