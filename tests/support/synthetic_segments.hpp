#pragma once
// Populations with a known segmentation, drawn from a seed (counter-based normals: the same on every
// platform): the acceptance cases of `segmint tune` (issue #16).
#include <cmath>
#include <cstdio>
#include <cstdint>
#include <string>
#include <vector>

namespace segmint::test {

struct synthetic {
  std::vector<std::string> columns;
  std::vector<std::vector<double>> rows;
  std::vector<int32_t> truth;

  /// "id,<columns>" then one line per row (ids 1..n), values with 6 significant digits.
  [[nodiscard]] std::string csv() const {
    std::string out = "id";
    for (const auto& c : columns) out += "," + c;
    out += "\n";
    char buf[32];
    for (size_t i = 0; i < rows.size(); ++i) {
      out += std::to_string(i + 1);
      for (double v : rows[i]) {
        std::snprintf(buf, sizeof buf, ",%.6g", v);
        out += buf;
      }
      out += "\n";
    }
    return out;
  }
};

class normal_source {
 public:
  explicit normal_source(uint64_t seed) : state_(seed * 0x9E3779B97F4A7C15ull + 1) {}
  double operator()() {  // Box-Muller on two uniforms in (0, 1)
    const double u1 = (static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53;
    const double u2 = (static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53;
    return std::sqrt(-2 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

 private:
  uint64_t next() {
    uint64_t x = (state_ += 0x9E3779B97F4A7C15ull);
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
  }
  uint64_t state_;
};

/// Six Gaussian segments of unequal size (scale × 40%, 25%, 15%, 10%, 6%, 4%) and spread (sd 0.5..1.5) in 8
/// features, centres drawn N(0, 6²) per coordinate and redrawn until every two are 12 apart (8 of the largest
/// sd): six clean segments.
inline synthetic six_gaussians(uint64_t seed, int scale = 10000) {
  normal_source z(seed);
  synthetic s;
  for (int j = 0; j < 8; ++j) s.columns.push_back("f" + std::to_string(j));
  const double share[6] = {0.40, 0.25, 0.15, 0.10, 0.06, 0.04};
  const double sd[6] = {1.0, 0.5, 1.5, 0.8, 1.2, 0.6};
  double centre[6][8];
  for (int g = 0; g < 6; ++g) {
    for (bool clear = false; !clear;) {
      for (double& v : centre[g]) v = 6 * z();
      clear = true;
      for (int h = 0; h < g; ++h) {
        double d2 = 0;
        for (int j = 0; j < 8; ++j) d2 += (centre[g][j] - centre[h][j]) * (centre[g][j] - centre[h][j]);
        clear = clear && d2 >= 144;
      }
    }
  }
  for (int g = 0; g < 6; ++g)
    for (int i = 0; i < static_cast<int>(share[g] * scale); ++i) {
      std::vector<double> row(8);
      for (int j = 0; j < 8; ++j) row[static_cast<size_t>(j)] = centre[g][j] + sd[g] * z();
      s.rows.push_back(std::move(row));
      s.truth.push_back(g);
    }
  return s;
}

/// Four customer segments with log-normal recency (days), orders and spend (sd 0.25 in log units).
inline synthetic skewed_rfm(uint64_t seed, int scale = 8000) {
  normal_source z(seed);
  synthetic s;
  s.columns = {"recency_days", "orders", "spend"};
  const double log_mean[4][3] = {{2.0, 2.8, 7.0}, {3.5, 1.8, 5.5}, {5.5, 1.0, 4.0}, {2.5, 0.9, 6.5}};
  const double share[4] = {0.375, 0.3125, 0.1875, 0.125};
  for (int g = 0; g < 4; ++g)
    for (int i = 0; i < static_cast<int>(share[g] * scale); ++i) {
      std::vector<double> row(3);
      for (int j = 0; j < 3; ++j) row[static_cast<size_t>(j)] = std::exp(log_mean[g][j] + 0.25 * z());
      s.rows.push_back(std::move(row));
      s.truth.push_back(g);
    }
  return s;
}

/// One standard Gaussian blob: no segments.
inline synthetic one_blob(uint64_t seed, int rows, int features) {
  normal_source z(seed);
  synthetic s;
  for (int j = 0; j < features; ++j) s.columns.push_back("x" + std::to_string(j));
  for (int i = 0; i < rows; ++i) {
    std::vector<double> row(static_cast<size_t>(features));
    for (double& v : row) v = z();
    s.rows.push_back(std::move(row));
    s.truth.push_back(0);
  }
  return s;
}

}  // namespace segmint::test
