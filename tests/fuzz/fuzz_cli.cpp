// libFuzzer target: the command-line parser. The input is split on NUL bytes into arguments after
// "segmint"; every option is parsed and converted, nothing is run. Any exception other than the mapped
// ones (the parser returns an exit code) is a bug; the exit code must be one of the documented ones.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "cli.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<std::string> args{"segmint"};
  std::string cur;
  for (size_t i = 0; i < size; ++i) {
    if (data[i] == 0) {
      args.push_back(cur);
      cur.clear();
    } else {
      cur += static_cast<char>(data[i]);
    }
  }
  if (!cur.empty()) args.push_back(cur);
  if (args.size() > 64) return 0;
  std::ostringstream out;
  std::ostringstream err;
  const int code = segmint::cli::run(args, out, err, {}, false);
  if (code != 0 && code != 2 && code != 3) __builtin_trap();
  return 0;
}
