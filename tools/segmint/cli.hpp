#pragma once
// The segmint command line, callable in-process (tests) or from main().
#include <iosfwd>
#include <string>
#include <memory>
#include <vector>

namespace segmint::detail {
class communicator;
}

namespace segmint::cli {

/// Runs one command line (args[0] is the program name). Writes results to `out`, progress and errors
/// to `err`, and returns the process exit code (see segmint::exit_code).
/// `world`: the MPI processes when segmint was launched under MPI (segmint run then runs data-parallel;
/// other commands run on rank 0 only); empty otherwise.
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
        std::shared_ptr<const detail::communicator> world = {}, bool execute = true);
/// `execute` false: parse and check the command line (every option conversion), run nothing (fuzzing).

}  // namespace segmint::cli
