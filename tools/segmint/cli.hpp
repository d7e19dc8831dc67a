#pragma once
// The segmint command line, callable in-process (tests) or from main().
#include <iosfwd>
#include <string>
#include <memory>
#include <vector>

#include <functional>

#include "segmint/io.hpp"
#include "segmint/run.hpp"

namespace segmint::detail {
class communicator;
}

namespace segmint::cli {

/// Runs one command line (args[0] is the program name). Writes results to `out`, progress and errors
/// to `err`, and returns the process exit code (see segmint::exit_code).
/// `world`: the MPI processes when segmint was launched under MPI (segmint run then runs data-parallel;
/// other commands run on rank 0 only); empty otherwise.
/// A table in memory for `segmint run` (the Python package): read with the command line's table options in
/// place of the INPUT file, whose name then only stands for the table in messages. `done` receives the
/// outcome of the run.
struct in_memory_run {
  column_table columns;
  std::function<void(run_outcome&&)> done;
};

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
        std::shared_ptr<const detail::communicator> world = {}, bool execute = true, in_memory_run* in_memory = nullptr);
/// `execute` false: parse and check the command line (every option conversion), run nothing (fuzzing).

}  // namespace segmint::cli
