#pragma once
// One number as text with a printf format ("%.3f", "%.1f"): the console lines, reasons and reports share it.
#include <cstdio>
#include <string>

namespace segmint::detail {

inline std::string printf_number(double v, const char* format) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

}  // namespace segmint::detail
