#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "../support/test_support.hpp"
#include "segmint/error.hpp"
#include "segmint/gmm.hpp"

using namespace segmint;

namespace {

context_options cpu(int threads = 0) { return {backend_choice::cpu, threads, 0}; }

constexpr double param_tol = 1e-5;     // issue #4: same initial parameters ⇒ parameters within 1e-5
constexpr double bic_rel_tol = 1e-6;   // issue #4: BIC within 1e-6 relative

/// The fixture's (k × d or k) JSON parameters into segmint's column-major layouts.
gmm::mixture mixture_from_json(const nlohmann::json& w, const nlohmann::json& m, const nlohmann::json& c,
                               gmm::covariance_type t, int k, int64_t d) {
  gmm::mixture mix;
  mix.type = t;
  mix.k = k;
  mix.d = d;
  mix.weights = w.get<std::vector<double>>();
  mix.means.resize(static_cast<size_t>(k * d));
  for (int ci = 0; ci < k; ++ci)
    for (int64_t j = 0; j < d; ++j) mix.means[static_cast<size_t>(j * k + ci)] = m[ci][j].get<double>();
  switch (t) {
    case gmm::covariance_type::full:
      for (int ci = 0; ci < k; ++ci)
        for (int64_t b = 0; b < d; ++b)
          for (int64_t a = 0; a < d; ++a) mix.covariances.push_back(c[ci][a][b].get<double>());
      break;
    case gmm::covariance_type::diag:
      mix.covariances.resize(static_cast<size_t>(k * d));
      for (int ci = 0; ci < k; ++ci)
        for (int64_t j = 0; j < d; ++j) mix.covariances[static_cast<size_t>(j * k + ci)] = c[ci][j].get<double>();
      break;
    case gmm::covariance_type::spherical:
      mix.covariances = c.get<std::vector<double>>();
      break;
    case gmm::covariance_type::tied:
      for (int64_t b = 0; b < d; ++b)
        for (int64_t a = 0; a < d; ++a) mix.covariances.push_back(c[a][b].get<double>());
      break;
  }
  return mix;
}

TEST(GmmSklearn, SameInitialParametersGiveSameMixtureLabelsAndBic) {
  const auto fx = test::load_json(test::fixture("sklearn_gmm.json"));
  for (const auto& c : fx["cases"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    const matrix x = test::matrix_from_rows(fx["datasets"][c["dataset"].get<std::string>()]);
    const int k = c["k"].get<int>();
    const auto type = gmm::parse_covariance_type(c["covariance"].get<std::string>());
    gmm::params p;
    p.k = k;
    p.covariance = type;
    p.tol = c["tol"].get<double>();
    p.max_iter = 500;
    p.initial = mixture_from_json(c["init_weights"], c["init_means"], c["init_covariances"], type, k, x.cols());
    context ctx(cpu());
    const auto r = gmm::fit(ctx, x.view(), p);
    const gmm::mixture want = mixture_from_json(c["weights"], c["means"], c["covariances"], type, k, x.cols());
    EXPECT_EQ(r.iterations, c["n_iter"].get<int>());
    EXPECT_EQ(r.converged, c["converged"].get<bool>());
    for (size_t i = 0; i < want.weights.size(); ++i) EXPECT_NEAR(r.model.weights[i], want.weights[i], param_tol);
    for (size_t i = 0; i < want.means.size(); ++i) EXPECT_NEAR(r.model.means[i], want.means[i], param_tol);
    for (size_t i = 0; i < want.covariances.size(); ++i)
      EXPECT_NEAR(r.model.covariances[i], want.covariances[i], param_tol * std::max(1.0, std::fabs(want.covariances[i])));
    EXPECT_EQ(r.labels, c["labels"].get<std::vector<int32_t>>());
    EXPECT_NEAR(r.lower_bounds.back(), c["lower_bound"].get<double>(), 1e-9 * std::fabs(c["lower_bound"].get<double>()));
    EXPECT_NEAR(r.mean_log_likelihood, c["score"].get<double>(), 1e-9 * std::fabs(c["score"].get<double>()));
    EXPECT_NEAR(r.bic, c["bic"].get<double>(), bic_rel_tol * std::fabs(c["bic"].get<double>()));
    EXPECT_NEAR(r.aic, c["aic"].get<double>(), bic_rel_tol * std::fabs(c["aic"].get<double>()));
  }
}

TEST(Gmm, OneComponentIsTheSampleGaussianByHand) {
  // 1-D: x = 1, 2, 3, 6; mean 3, population variance 3.5. One component: converges at once;
  // mean log-likelihood = −½(ln(2π·v) + s²/v) with v = 3.5 + reg, s² = 3.5; 2 parameters.
  matrix x(4, 1);
  const float v[4] = {1, 2, 3, 6};
  for (int i = 0; i < 4; ++i) x(i, 0) = v[i];
  context ctx(cpu());
  const auto r = gmm::fit(ctx, x.view(), {.k = 1});
  const double var = 3.5 + 1e-6;
  EXPECT_NEAR(r.model.means[0], 3.0, 1e-12);
  EXPECT_NEAR(r.model.covariances[0], var, 1e-12);
  EXPECT_NEAR(r.model.weights[0], 1.0, 1e-12);
  const double ll = -0.5 * (std::log(2 * M_PI * var) + 3.5 / var);
  EXPECT_NEAR(r.mean_log_likelihood, ll, 1e-12);
  EXPECT_NEAR(r.bic, -2 * 4 * ll + 2 * std::log(4.0), 1e-9);
  EXPECT_EQ(gmm::parameter_count(gmm::covariance_type::full, 1, 1), 2);
}

TEST(Gmm, TwoDimensionalFullCovarianceByHand) {
  // Four points at the corners of a 2 × 1 rectangle: mean (1, 0.5), covariance diag(1, 0.25).
  matrix x(4, 2);
  const float pts[4][2] = {{0, 0}, {2, 0}, {0, 1}, {2, 1}};
  for (int i = 0; i < 4; ++i) {
    x(i, 0) = pts[i][0];
    x(i, 1) = pts[i][1];
  }
  context ctx(cpu());
  const auto r = gmm::fit(ctx, x.view(), {.k = 1, .reg_covar = 0});
  EXPECT_NEAR(r.model.covariances[0], 1.0, 1e-12);
  EXPECT_NEAR(r.model.covariances[1], 0.0, 1e-12);
  EXPECT_NEAR(r.model.covariances[3], 0.25, 1e-12);
  // log N at each corner: −½(2 ln 2π + ln det Σ + 2) with det Σ = 0.25 (every corner has Mahalanobis² 2).
  EXPECT_NEAR(r.mean_log_likelihood, -0.5 * (2 * std::log(2 * M_PI) + std::log(0.25) + 2), 1e-12);
}

TEST(Gmm, SeparatedGroupsAndProbabilities) {
  matrix x(8, 1);
  const float v[8] = {-11, -10, -10, -9, 9, 10, 10, 11};
  for (int i = 0; i < 8; ++i) x(i, 0) = v[i];
  context ctx(cpu());
  const auto r = gmm::fit(ctx, x.view(), {.k = 2, .seed = 1});
  EXPECT_NE(r.labels[0], r.labels[7]);
  for (int i = 1; i < 4; ++i) EXPECT_EQ(r.labels[i], r.labels[0]);
  for (float pr : r.probability) EXPECT_GT(pr, 0.999f);
  std::vector<int32_t> labels(8);
  std::vector<float> prob(8);
  std::vector<float> resp(16);
  gmm::predict(ctx, x.view(), r.model, labels, prob, resp);
  EXPECT_EQ(labels, r.labels);
  EXPECT_EQ(prob, r.probability);
  for (int i = 0; i < 8; ++i) EXPECT_NEAR(resp[static_cast<size_t>(i)] + resp[static_cast<size_t>(8 + i)], 1.0f, 1e-6f);
}

TEST(Gmm, LogLikelihoodNeverDecreases) {
  std::mt19937 gen(4);
  std::normal_distribution<float> n01;
  matrix x(3000, 3);
  for (int64_t i = 0; i < x.rows(); ++i)
    for (int64_t j = 0; j < 3; ++j) x(i, j) = n01(gen) + static_cast<float>((i % 4) * (j + 1));
  context ctx(cpu());
  for (auto t : {gmm::covariance_type::full, gmm::covariance_type::diag, gmm::covariance_type::spherical,
                 gmm::covariance_type::tied}) {
    for (auto init : {gmm::init_method::kmeans, gmm::init_method::random}) {
      const auto r = gmm::fit(ctx, x.view(), {.k = 5, .covariance = t, .tol = 1e-9, .max_iter = 60, .init = init, .seed = 2});
      for (size_t i = 1; i < r.lower_bounds.size(); ++i)
        EXPECT_GE(r.lower_bounds[i], r.lower_bounds[i - 1] - 1e-12 * std::fabs(r.lower_bounds[i - 1]))
            << gmm::to_string(t) << " iteration " << i;
    }
  }
}

TEST(Gmm, BitwiseIdenticalAcrossThreadCounts) {
  std::mt19937 gen(9);
  std::normal_distribution<float> n01;
  matrix x(20000, 4);
  for (int64_t i = 0; i < x.rows(); ++i)
    for (int64_t j = 0; j < 4; ++j) x(i, j) = n01(gen) + static_cast<float>(3 * (i % 3));
  context one(cpu(1));
  context two(cpu(2));
  const auto a = gmm::fit(one, x.view(), {.k = 3, .seed = 5});
  const auto b = gmm::fit(two, x.view(), {.k = 3, .seed = 5});
  EXPECT_EQ(a.labels, b.labels);
  EXPECT_EQ(a.model.means, b.model.means);
  EXPECT_EQ(a.model.covariances, b.model.covariances);
  EXPECT_EQ(a.bic, b.bic);
}

TEST(Gmm, DegenerateDataStaysFinite) {
  context ctx(cpu());
  // Duplicated points and a constant column: covariances are reg_covar on the flat directions.
  matrix dup(10, 2);
  for (int64_t i = 0; i < 10; ++i) {
    dup(i, 0) = i < 5 ? 1.0f : 4.0f;
    dup(i, 1) = 7.0f;
  }
  const auto r = gmm::fit(ctx, dup.view(), {.k = 2});
  for (double v : r.model.covariances) EXPECT_TRUE(std::isfinite(v));
  EXPECT_TRUE(std::isfinite(r.bic));
  EXPECT_NE(r.labels[0], r.labels[9]);
  // k larger than the number of distinct points: a clear input error, not NaNs.
  EXPECT_THROW(gmm::fit(ctx, dup.view(), {.k = 3}), input_error);
  EXPECT_THROW(gmm::fit(ctx, dup.view(), {.k = 11}), input_error);
  EXPECT_THROW(gmm::fit(ctx, dup.view(), {.k = 2, .reg_covar = -1}), input_error);
}

TEST(Gmm, CollapsedComponentIsReseededAndReported) {
  // Start one component far from every point with a tiny variance: its weight vanishes after the first
  // E-step, the policy recentres it on the least likely row.
  matrix x(40, 1);
  for (int64_t i = 0; i < 40; ++i) x(i, 0) = static_cast<float>(i < 20 ? static_cast<double>(i) * 0.1 : 50 + static_cast<double>(i) * 0.1);
  gmm::mixture init;
  init.type = gmm::covariance_type::full;
  init.k = 2;
  init.d = 1;
  init.weights = {0.5, 0.5};
  init.means = {1.0, 1e6};
  init.covariances = {100.0, 1e-6};
  context ctx(cpu());
  gmm::params p;
  p.k = 2;
  p.initial = init;
  const auto r = gmm::fit(ctx, x.view(), p);
  EXPECT_GE(r.collapsed_components, 1);
  EXPECT_NE(r.labels.front(), r.labels.back());
  for (double v : r.model.means) EXPECT_TRUE(std::isfinite(v));
}

}  // namespace
