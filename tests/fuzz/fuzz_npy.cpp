// libFuzzer target: the .npy reader on arbitrary bytes.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "segmint/error.hpp"
#include "segmint/io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const segmint::matrix m = segmint::read_npy_buffer(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.npy");
    for (float v : m.values())
      if (!std::isfinite(v)) __builtin_trap();
  } catch (const segmint::error&) {
  }
  return 0;
}
