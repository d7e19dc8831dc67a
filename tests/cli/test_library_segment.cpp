// The library's entry point segmint::segment (include/segmint/segment.hpp) against the program: the same table,
// preprocessing and parameters give the segments `segmint run` writes, for every algorithm.
#include <gtest/gtest.h>

#include "../support/test_support.hpp"
#include "segmint/error.hpp"
#include "segmint/preprocess.hpp"
#include "segmint/segment.hpp"
#include "segmint/table.hpp"

using namespace segmint;

namespace {

const std::string mall = test::example("mall_customers/Mall_Customers.csv").string();

TEST(LibrarySegment, EveryAlgorithmGivesTheProgramsSegments) {
  const feature_table table = load_feature_table(mall, table_params{});
  context ctx({.backend = backend_choice::cpu});
  std::vector<std::string> warnings;
  const preprocess_model pre = fit_preprocess(ctx, table, preprocess_params{}, warnings);
  const matrix z = apply_preprocess(pre, table);
  for (const algorithm a : {algorithm::kmeans, algorithm::gmm, algorithm::ward, algorithm::automatic}) {
    const std::string name(algorithm_name(a));
    segment_params p;
    p.algo = a;
    p.k_min = 2;
    p.k_max = 7;
    p.seed = 11;
    const segmentation s = segment(ctx, z.view(), p);
    test::temp_dir t;
    const auto r = test::run_cli({"run", mall, "--algo", name, "--k", "2..7", "--seed", "11", "--no-report", "--out", t.file("run")});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto labels = test::numeric_column(test::read_file(t.file("run/segments.csv")), "segment");
    ASSERT_EQ(labels.size(), s.labels.size()) << name;
    for (size_t i = 0; i < labels.size(); ++i) ASSERT_EQ(labels[i], s.labels[i]) << name << " row " << i;
    EXPECT_EQ(test::load_json(t.file("run/run.json"))["selection"]["chosen_k"].get<int>(), s.k) << name;
    EXPECT_EQ(parse_algorithm(name), a);
  }
}

TEST(LibrarySegment, BadParametersNameThemselves) {
  context ctx({.backend = backend_choice::cpu});
  const matrix z = test::matrix_from_rows(nlohmann::json::parse("[[0,0],[1,1],[5,5],[6,6]]"));
  segment_params p;
  p.k_min = 3;
  p.k_max = 2;
  EXPECT_THROW(segment(ctx, z.view(), p), input_error);
  try {
    (void)parse_algorithm("dbscan");
    FAIL();
  } catch (const input_error& e) {
    EXPECT_NE(std::string(e.what()).find("available algorithms are kmeans, gmm, ward and auto"), std::string::npos) << e.what();
  }
}

}  // namespace
