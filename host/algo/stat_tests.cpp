// Distribution tails by the classic continued fractions; fixtures from SciPy check them
// (tests/fixtures/make_stat_test_fixtures.py).
#include "stat_tests.hpp"

#include <cmath>
#include <limits>

namespace segmint::detail {
namespace {

constexpr double tiny = 1e-300;
constexpr double eps = 1e-15;

/// Lentz's continued fraction for I_x(a, b) (valid for x < (a + 1) / (a + b + 2)).
double beta_fraction(double a, double b, double x) {
  double c = 1, d = 1 - (a + b) * x / (a + 1);
  if (std::fabs(d) < tiny) d = tiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= 10000; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    const double del = d * c;
    h *= del;
    if (std::fabs(del - 1) < eps) break;
  }
  return h;
}

}  // namespace

double incomplete_beta(double a, double b, double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const double front = std::exp(std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x));
  if (x < (a + 1) / (a + b + 2)) return front * beta_fraction(a, b, x) / a;
  return 1 - front * beta_fraction(b, a, 1 - x) / b;
}

double upper_incomplete_gamma(double a, double x) {
  if (x <= 0) return 1;
  const double log_front = -x + a * std::log(x) - std::lgamma(a);
  if (x < a + 1) {  // P by its series, Q = 1 − P
    double sum = 1 / a, term = sum;
    for (int n = 1; n <= 10000; ++n) {
      term *= x / (a + n);
      sum += term;
      if (std::fabs(term) < std::fabs(sum) * eps) break;
    }
    return 1 - sum * std::exp(log_front);
  }
  double b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;  // Q by Lentz's continued fraction
  for (int i = 1; i <= 10000; ++i) {
    const double an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (std::fabs(d) < tiny) d = tiny;
    c = b + an / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    const double del = d * c;
    h *= del;
    if (std::fabs(del - 1) < eps) break;
  }
  return std::exp(log_front) * h;
}

double welch_p_value(int64_t n1, double mean1, double var1, int64_t n2, double mean2, double var2) {
  if (n1 < 2 || n2 < 2) return 1;
  const double s1 = var1 / static_cast<double>(n1), s2 = var2 / static_cast<double>(n2);
  const double se2 = s1 + s2;
  if (!(se2 > 0)) return mean1 == mean2 ? 1.0 : 0.0;
  const double t = (mean1 - mean2) / std::sqrt(se2);
  const double dof = se2 * se2 / (s1 * s1 / static_cast<double>(n1 - 1) + s2 * s2 / static_cast<double>(n2 - 1));
  return incomplete_beta(dof / 2, 0.5, dof / (dof + t * t));
}

chi_square_result chi_square_independence(const std::vector<std::vector<int64_t>>& counts) {
  chi_square_result r;
  std::vector<double> row_sum, col_sum;
  double total = 0;
  for (const auto& row : counts) {
    double s = 0;
    if (col_sum.size() < row.size()) col_sum.resize(row.size(), 0.0);
    for (size_t j = 0; j < row.size(); ++j) {
      s += static_cast<double>(row[j]);
      col_sum[j] += static_cast<double>(row[j]);
    }
    row_sum.push_back(s);
    total += s;
  }
  int rows = 0, cols = 0;
  for (double s : row_sum) rows += s > 0;
  for (double s : col_sum) cols += s > 0;
  if (rows < 2 || cols < 2) return r;
  for (size_t i = 0; i < counts.size(); ++i)
    for (size_t j = 0; j < counts[i].size(); ++j) {
      if (row_sum[i] == 0 || col_sum[j] == 0) continue;
      const double expected = row_sum[i] * col_sum[j] / total;
      const double diff = static_cast<double>(counts[i][j]) - expected;
      r.statistic += diff * diff / expected;
    }
  r.dof = (rows - 1) * (cols - 1);
  r.p_value = upper_incomplete_gamma(r.dof / 2.0, r.statistic / 2);
  return r;
}

}  // namespace segmint::detail
