#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "../../host/io/atomic_file.hpp"
#include "cli.hpp"
#include "../../host/dist/communicator.hpp"
#ifdef SEGMINT_WITH_MPI
#include <optional>

#include "../../host/mpi/mpi_communicator.hpp"
#endif
#ifdef SEGMINT_HAVE_CUDA
#include "segmint/cuda.hpp"
#endif

int main(int argc, char** argv) {
#ifdef SEGMINT_WITH_MPI
  // Launched by mpirun/srun: one process per shard of the rows. Otherwise MPI is never touched.
  std::optional<segmint::mpi::session> mpi;
  std::shared_ptr<const segmint::detail::communicator> world;
  if (segmint::mpi::launched_under_mpi()) {
    mpi.emplace(&argc, &argv);
    world = mpi->world();
  }
#else
  std::shared_ptr<const segmint::detail::communicator> world;
#endif
  segmint::detail::install_output_signal_handlers();
#ifdef SEGMINT_HAVE_CUDA
  segmint::cuda::register_backend();
#endif
  std::ios::sync_with_stdio(false);
  const std::vector<std::string> args(argv, argv + argc);
  const int code = segmint::cli::run(args, std::cout, std::cerr, world);
  std::cout.flush();
  return code;
}
