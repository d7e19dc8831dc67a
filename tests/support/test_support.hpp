#pragma once
// Shared helpers for the test suite: fixture paths, JSON fixtures, temporary folders, ARI, the CLI in-process.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "segmint/matrix.hpp"

namespace segmint::test {

inline std::filesystem::path source_dir() { return SEGMINT_SOURCE_DIR; }
inline std::filesystem::path fixture(const std::string& name) { return source_dir() / "tests" / "fixtures" / name; }
inline std::filesystem::path example(const std::string& rel) { return source_dir() / "examples" / "data" / rel; }

inline nlohmann::json load_json(const std::filesystem::path& p) {
  std::ifstream in(p);
  if (!in) throw std::runtime_error("cannot open fixture " + p.string());
  return nlohmann::json::parse(in);
}

/// Rows of a JSON array of arrays as a column-major matrix.
inline matrix matrix_from_rows(const nlohmann::json& rows) {
  const auto n = static_cast<int64_t>(rows.size());
  const auto d = n > 0 ? static_cast<int64_t>(rows[0].size()) : 0;
  matrix m(n, d);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < d; ++j) m(i, j) = rows[static_cast<size_t>(i)][static_cast<size_t>(j)].get<float>();
  return m;
}

/// A fresh folder under the system temp dir, removed at the end of the test.
class temp_dir {
 public:
  temp_dir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string("segmint-test-") + (info ? std::string(info->test_suite_name()) + "-" + info->name() : "x");
    for (auto& c : name)
      if (c == '/') c = '_';
    path_ = std::filesystem::temp_directory_path() / name;
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all, std::filesystem::perm_options::add, ec);
    std::filesystem::remove_all(path_, ec);
  }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  [[nodiscard]] std::string file(const std::string& name) const { return (path_ / name).string(); }
  /// Writes `content` to a file in the folder and returns its path.
  std::string write(const std::string& name, const std::string& content) const {
    std::ofstream(path_ / name, std::ios::binary) << content;
    return file(name);
  }

 private:
  std::filesystem::path path_;
};

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// Column `name` of a CSV written by segmint (text with a header row; no line breaks inside values), as numbers.
std::vector<double> numeric_column(const std::string& csv, const std::string& name);

/// Adjusted Rand index of two labellings (1 = identical partitions up to renaming).
double adjusted_rand_index(const std::vector<int32_t>& a, const std::vector<int32_t>& b);

struct cli_result {
  int code = 0;
  std::string out;
  std::string err;
};

/// Runs the segmint command line in-process: run_cli({"run", "x.csv", "--out", dir}).
cli_result run_cli(const std::vector<std::string>& args);

}  // namespace segmint::test
