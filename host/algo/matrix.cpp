// Identities of matrices (matrix.hpp): one counter for the whole process, so that two matrices never share one.
#include <atomic>

#include "segmint/matrix.hpp"

namespace segmint::detail {

uint64_t next_matrix_serial() {
  static std::atomic<uint64_t> last{0};
  return last.fetch_add(1, std::memory_order_relaxed) + 1;
}

}  // namespace segmint::detail
