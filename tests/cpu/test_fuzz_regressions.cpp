// Every input a fuzzer found a problem with stays here as a regression test (tests/fuzz/regressions/<target>/).
#include <gtest/gtest.h>

#include <filesystem>

#include "../fuzz/csv_fuzz_input.hpp"
#include "../support/test_support.hpp"
#include "segmint/error.hpp"
#include "segmint/io.hpp"
#include "segmint/model.hpp"

using namespace segmint;

namespace {

std::vector<std::filesystem::path> inputs(const std::string& target) {
  std::vector<std::filesystem::path> out;
  const auto dir = test::source_dir() / "tests" / "fuzz" / "regressions" / target;
  if (std::filesystem::exists(dir))
    for (const auto& e : std::filesystem::directory_iterator(dir)) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(FuzzRegressions, ModelLoaderRejectsWithInputError) {
  for (const auto& p : inputs("model")) {
    SCOPED_TRACE(p.string());
    EXPECT_THROW(model_from_json(test::read_file(p.string()), p.filename().string()), input_error);
  }
}

TEST(FuzzRegressions, CsvReaderNeverCrashes) {
  for (const auto& p : inputs("csv")) {
    SCOPED_TRACE(p.string());
    const std::string bytes = test::read_file(p.string());
    try {
      const raw_table t = fuzz::read_csv_fuzz_input(bytes);
      EXPECT_TRUE(t.ledger.balanced());
    } catch (const error&) {
    }
  }
}

TEST(FuzzRegressions, NpyReaderNeverCrashes) {
  for (const auto& p : inputs("npy")) {
    SCOPED_TRACE(p.string());
    const std::string bytes = test::read_file(p.string());
    try {
      read_npy_buffer(bytes, "x.npy");
    } catch (const error&) {
    }
  }
}

}  // namespace
