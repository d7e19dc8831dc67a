#include "test_support.hpp"

#include <algorithm>
#include <map>
#include <sstream>

#include "cli.hpp"

namespace segmint::test {

double adjusted_rand_index(const std::vector<int32_t>& a, const std::vector<int32_t>& b) {
  if (a.size() != b.size()) throw std::runtime_error("ARI: sizes differ");
  std::map<std::pair<int32_t, int32_t>, double> joint;
  std::map<int32_t, double> ra;
  std::map<int32_t, double> rb;
  for (size_t i = 0; i < a.size(); ++i) {
    joint[{a[i], b[i]}] += 1;
    ra[a[i]] += 1;
    rb[b[i]] += 1;
  }
  auto c2 = [](double x) { return x * (x - 1) / 2; };
  double index = 0;
  for (const auto& [k, v] : joint) index += c2(v);
  double sa = 0;
  double sb = 0;
  for (const auto& [k, v] : ra) sa += c2(v);
  for (const auto& [k, v] : rb) sb += c2(v);
  const double n = static_cast<double>(a.size());
  const double expected = sa * sb / c2(n);
  const double max_index = (sa + sb) / 2;
  if (max_index == expected) return 1.0;
  return (index - expected) / (max_index - expected);
}

cli_result run_cli(const std::vector<std::string>& args) {
  std::vector<std::string> full{"segmint"};
  full.insert(full.end(), args.begin(), args.end());
  std::ostringstream out;
  std::ostringstream err;
  cli_result r;
  r.code = segmint::cli::run(full, out, err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

namespace {

/// One CSV line's fields, with RFC 4180 quotes ("a, b" and "" inside quotes).
std::vector<std::string> csv_fields(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
      fields.back() += '"';
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

}  // namespace

std::vector<double> numeric_column(const std::string& csv, const std::string& name) {
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);
  const std::vector<std::string> header = csv_fields(line);
  const auto at = static_cast<size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  if (at == header.size()) throw std::runtime_error("no column " + name);
  std::vector<double> values;
  while (std::getline(in, line)) values.push_back(std::stod(csv_fields(line).at(at)));
  return values;
}

}  // namespace segmint::test
