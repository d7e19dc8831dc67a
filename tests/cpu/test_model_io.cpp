#include <gtest/gtest.h>

#include "../support/test_support.hpp"
#include "segmint/error.hpp"
#include "segmint/model.hpp"

using namespace segmint;

namespace {

segment_model sample_model() {
  segment_model m;
  m.segmint_version = "test";
  m.trained_on = "x.csv";
  m.seed = 7;
  m.schema.id_column = "id";
  feature_info a;
  a.name = a.source = "a";
  a.impute_value = 1.25;
  feature_info c;
  c.name = "g=F";
  c.source = "g";
  c.kind = feature_kind::one_hot;
  c.level = "F";
  m.schema.features = {a, c};
  m.preprocess.columns = {{"a", true, 0.1, 3.3333333333333335, 0}, {"g=F", false, 0.5, 0.5, 0}};
  m.centroids = matrix(2, 2);
  m.centroids(0, 0) = 0.1f;
  m.centroids(0, 1) = -1.0f / 3.0f;
  m.centroids(1, 0) = 7e-12f;
  m.centroids(1, 1) = 123456.789f;
  m.segments = {{0, "Big", "why", 10, 0.5}, {1, "Small", "why not", 10, 0.5}};
  return m;
}

std::string error_of(const std::string& text) {
  try {
    model_from_json(text, "m.json");
  } catch (const input_error& e) {
    return e.what();
  }
  return "no error";
}

TEST(ModelIo, RoundTripIsExact) {
  const segment_model m = sample_model();
  const segment_model r = model_from_json(model_to_json(m), "m.json");
  EXPECT_EQ(r.schema.id_column, "id");
  ASSERT_EQ(r.schema.features.size(), 2u);
  EXPECT_EQ(r.schema.features[1].level, "F");
  EXPECT_EQ(r.preprocess.columns[0].scale, m.preprocess.columns[0].scale);  // bitwise
  EXPECT_TRUE(r.preprocess.columns[0].log1p);
  for (int64_t i = 0; i < 2; ++i)
    for (int64_t j = 0; j < 2; ++j) EXPECT_EQ(r.centroids(i, j), m.centroids(i, j));
  EXPECT_EQ(r.segments[1].name, "Small");
  EXPECT_EQ(model_to_json(r), model_to_json(m));
}

TEST(ModelIo, CorruptTruncatedEditedAndForeignFilesAreClearErrors) {
  const std::string good = model_to_json(sample_model());
  EXPECT_NE(error_of(good.substr(0, good.size() / 2)).find("not a valid model file"), std::string::npos);
  EXPECT_NE(error_of("{}").find("not a segmint model"), std::string::npos);
  EXPECT_NE(error_of("[1,2]").find("not a segmint model"), std::string::npos);
  std::string v2 = good;
  v2.replace(v2.find("\"version\": 1"), 12, "\"version\": 2");
  EXPECT_NE(error_of(v2).find("version 2 is not supported"), std::string::npos);

  auto edit = [&](const std::string& from, const std::string& to) {
    std::string s = good;
    const auto p = s.find(from);
    EXPECT_NE(p, std::string::npos) << from;
    return s.replace(p, from.size(), to);
  };
  const std::string e1 = error_of(edit("\"scale\": 0.5", "\"scale\": -0.5"));
  EXPECT_NE(e1.find("$.preprocess.columns[1].scale"), std::string::npos) << e1;
  const std::string e2 = error_of(edit("\"k\": 2", "\"k\": 3"));
  EXPECT_NE(e2.find("$.centroids"), std::string::npos) << e2;
  std::string renamed = good;
  const auto q = renamed.rfind("\"name\": \"a\"", renamed.find("\"log1p\": true"));
  renamed.replace(q, 11, "\"name\": \"zz\"");
  const std::string e3 = error_of(renamed);
  EXPECT_NE(e3.find("not one of the input_features"), std::string::npos) << e3;
  const std::string e4 = error_of(edit("\"mean\": 0.1", "\"mean\": \"x\""));
  EXPECT_NE(e4.find("expected a number"), std::string::npos) << e4;
}

TEST(ModelIo, MissingFile) { EXPECT_THROW(load_model("/nonexistent/model.json"), input_error); }

}  // namespace

namespace {

TEST(ModelIo, MixtureRoundTripsAndIsValidated) {
  segment_model m = sample_model();
  m.algorithm = "gmm";
  gmm::mixture mix;
  mix.type = gmm::covariance_type::full;
  mix.k = 2;
  mix.d = 2;
  mix.weights = {0.25, 0.75};
  mix.means = {0.1, 0.2, 0.3, 0.4};
  mix.covariances = {1.0, 0.1, 0.1, 2.0, 3.0, -0.5, -0.5, 1.0 / 3.0};
  m.mixture = mix;
  const std::string text = model_to_json(m);
  const segment_model r = model_from_json(text, "m.json");
  ASSERT_TRUE(r.mixture);
  EXPECT_EQ(r.mixture->weights, mix.weights);
  EXPECT_EQ(r.mixture->means, mix.means);
  EXPECT_EQ(r.mixture->covariances, mix.covariances);
  std::string bad = text;
  bad.replace(bad.find("0.25"), 4, "0.35");
  EXPECT_NE(error_of(bad).find("summing to 1"), std::string::npos);
  std::string not_pd = text;
  not_pd.replace(not_pd.find("2.0"), 3, "0.001");
  EXPECT_NE(error_of(not_pd).find("positive definite"), std::string::npos) << error_of(not_pd);
}

}  // namespace
