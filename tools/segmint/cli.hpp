#pragma once
// The segmint command line, callable in-process (tests) or from main().
#include <iosfwd>
#include <string>
#include <vector>

namespace segmint::cli {

/// Runs one command line (args[0] is the program name). Writes results to `out`, progress and errors
/// to `err`, and returns the process exit code (see segmint::exit_code).
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace segmint::cli
