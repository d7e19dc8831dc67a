#pragma once
#include <string>

namespace segmint {
/// "0.1.0" (+ "-<git commit>" when built from a git checkout).
std::string version_string();
}  // namespace segmint
