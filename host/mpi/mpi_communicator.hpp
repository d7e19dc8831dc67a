#pragma once
// The MPI communicator (built with SEGMINT_MPI=ON): rank-ordered sums by gather-to-rank-0 + broadcast.
#include <memory>

#include "../dist/communicator.hpp"

namespace segmint::mpi {

/// True when this process was started by an MPI launcher (mpirun/mpiexec/srun): the launcher's variables
/// are in the environment. A segmint started any other way runs single-process without touching MPI.
bool launched_under_mpi();

/// Initialises MPI (thread level FUNNELED: only the main thread calls MPI) and finalises it at exit.
class session {
 public:
  session(int* argc, char*** argv);
  ~session();
  session(const session&) = delete;
  session& operator=(const session&) = delete;
  [[nodiscard]] std::shared_ptr<const detail::communicator> world() const;
};

}  // namespace segmint::mpi
