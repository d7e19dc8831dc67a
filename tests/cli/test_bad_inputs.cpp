// The bad-input suite: one folder per case under tests/bad_inputs/, each with its input files and a
// case.json giving the command line ({dir} = the case folder, {out} = a fresh output folder), the expected
// exit code, words stderr (and stdout) must contain, and for runs that succeed, text segments.csv must
// contain. A failing case must leave no output files behind and print exactly one line on stderr.
#include <gtest/gtest.h>

#include <filesystem>

#include "../support/test_support.hpp"

using namespace segmint;

namespace {

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(test::source_dir() / "tests" / "bad_inputs"))
    if (e.is_directory() && std::filesystem::exists(e.path() / "case.json")) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::string substitute(std::string arg, const std::string& dir, const std::string& out) {
  for (auto [key, value] : {std::pair<std::string, std::string>{"{dir}", dir}, {"{out}", out}}) {
    for (size_t p = arg.find(key); p != std::string::npos; p = arg.find(key)) arg.replace(p, key.size(), value);
  }
  return arg;
}

size_t files_under(const std::filesystem::path& dir) {
  if (!std::filesystem::exists(dir)) return 0;
  size_t n = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) n += e.is_regular_file();
  return n;
}

class BadInput : public ::testing::TestWithParam<std::string> {};

TEST_P(BadInput, BehavesAsSpecified) {
  const auto dir = test::source_dir() / "tests" / "bad_inputs" / GetParam();
  const auto spec = test::load_json(dir / "case.json");
  test::temp_dir t;
  const std::string out = t.file("out");
  std::vector<std::string> args;
  for (const auto& a : spec["args"]) args.push_back(substitute(a.get<std::string>(), dir.string(), out));
  const auto r = test::run_cli(args);
  EXPECT_EQ(r.code, spec["exit_code"].get<int>()) << r.err;
  for (const auto& w : spec["stderr_contains"]) EXPECT_NE(r.err.find(w.get<std::string>()), std::string::npos) << "stderr lacks '" << w << "': " << r.err;
  for (const auto& w : spec["stdout_contains"]) EXPECT_NE(r.out.find(w.get<std::string>()), std::string::npos) << "stdout lacks '" << w << "'";
  if (spec["exit_code"].get<int>() != 0) {
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one clear line: " << r.err;
    EXPECT_EQ(r.err.rfind("segmint: error: ", 0), 0u) << r.err;
    EXPECT_EQ(files_under(out), 0u) << "partial outputs left behind";
  } else {
    const std::string seg = test::read_file(out + "/segments.csv");
    for (const auto& w : spec["segments_contains"]) EXPECT_NE(seg.find(w.get<std::string>()), std::string::npos) << "segments.csv lacks '" << w << "'";
    if (std::filesystem::exists(out + "/run.json")) {
      EXPECT_TRUE(test::load_json(out + "/run.json")["rows"]["balanced"].get<bool>());
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Suite, BadInput, ::testing::ValuesIn(case_names()),
                         [](const auto& param_info) { return param_info.param; });

TEST(BadInputGenerated, TenMegabyteSingleLine) {
  test::temp_dir t;
  // One 10 MB text field in a row: parsed, counted, not a crash; the id column stays text.
  std::string body = "id,note,x,y\n";
  for (int i = 1; i <= 30; ++i) body += std::to_string(i) + ",short," + std::to_string(i % 4) + "," + std::to_string((i * 3) % 7) + "\n";
  body += "31," + std::string(10 << 20, 'z') + ",1,2\n";
  const std::string in = t.write("long.csv", body);
  const auto r = test::run_cli({"run", in, "--out", t.file("out"), "--k", "2", "--quiet"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(test::load_json(t.file("out/run.json"))["rows"]["used"], 31);
  // And a 10 MB header line: a clear error, not a hang.
  const std::string wide = t.write("wide.csv", std::string(10 << 20, 'h') + "\n1\n");
  const auto w = test::run_cli({"run", wide, "--out", t.file("out2"), "--quiet"});
  EXPECT_EQ(w.code, 2) << w.err;
}

}  // namespace
