#include "segmint/version.hpp"

#ifndef SEGMINT_VERSION
#define SEGMINT_VERSION "0.0.0"
#endif
#ifndef SEGMINT_GIT_COMMIT
#define SEGMINT_GIT_COMMIT ""
#endif

namespace segmint {
std::string version_string() {
  const std::string commit = SEGMINT_GIT_COMMIT;
  return commit.empty() ? std::string(SEGMINT_VERSION) : std::string(SEGMINT_VERSION) + "-" + commit;
}
}  // namespace segmint
