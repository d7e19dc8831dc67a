#include <iostream>
#include <string>
#include <vector>

#include "../../host/io/atomic_file.hpp"
#include "cli.hpp"
#ifdef SEGMINT_HAVE_CUDA
#include "segmint/cuda.hpp"
#endif

int main(int argc, char** argv) {
  segmint::detail::install_output_signal_handlers();
#ifdef SEGMINT_HAVE_CUDA
  segmint::cuda::register_backend();
#endif
  std::ios::sync_with_stdio(false);
  const std::vector<std::string> args(argv, argv + argc);
  return segmint::cli::run(args, std::cout, std::cerr);
}
