// libFuzzer target: the model.json loader on arbitrary text. A model that loads must serialise again and
// load to the same JSON (the loader accepts nothing the writer cannot represent).
#include <cstddef>
#include <cstdint>
#include <string>

#include "segmint/error.hpp"
#include "segmint/model.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const segmint::segment_model m = segmint::model_from_json(std::string(reinterpret_cast<const char*>(data), size), "fuzz.json");
    const std::string once = segmint::model_to_json(m);
    if (segmint::model_to_json(segmint::model_from_json(once, "again.json")) != once) __builtin_trap();
  } catch (const segmint::error&) {
  }
  return 0;
}
