#pragma once
// Tests of difference for the profile-only columns: Welch's t-test (numbers) and Pearson's chi-square
// test of independence (categories), with the distribution tails they need.
#include <cstdint>
#include <vector>

namespace segmint::detail {

/// Regularised incomplete beta I_x(a, b) (continued fraction, Numerical Recipes §6.4).
double incomplete_beta(double a, double b, double x);

/// Regularised upper incomplete gamma Q(a, x) = Γ(a, x) / Γ(a) (series below a + 1, continued fraction above).
double upper_incomplete_gamma(double a, double x);

/// Two-sided p-value of Welch's t-test between two groups given their sizes, means and sample variances
/// (ddof = 1), as scipy.stats.ttest_ind(equal_var=False). 1 when either group has fewer than 2 values or
/// both variances are 0 with equal means; 0 when the variances are 0 and the means differ.
double welch_p_value(int64_t n1, double mean1, double var1, int64_t n2, double mean2, double var2);

/// Pearson's chi-square statistic, degrees of freedom and p-value of an r × c table of counts (rows or
/// columns that are all zero are left out), as scipy.stats.chi2_contingency(correction=False).
struct chi_square_result {
  double statistic = 0;
  int dof = 0;
  double p_value = 1;
};
chi_square_result chi_square_independence(const std::vector<std::vector<int64_t>>& counts);

}  // namespace segmint::detail
