// A program of its own that uses the installed segmint library (find_package(segmint)): segments a customer
// table with the algorithm named (kmeans, gmm, ward or auto), choosing k from 2..8, and prints each segment's
// size and name.
//   segment_table examples/data/mall_customers/Mall_Customers.csv gmm
#include <segmint/context.hpp>
#include <segmint/error.hpp>
#include <segmint/naming.hpp>
#include <segmint/preprocess.hpp>
#include <segmint/profile.hpp>
#include <segmint/segment.hpp>
#include <segmint/table.hpp>

#include <iostream>

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::cerr << "usage: segment_table CUSTOMERS.csv [kmeans|gmm|ward|auto]\n";
    return 2;
  }
  try {
    const segmint::feature_table table = segmint::load_feature_table(argv[1], segmint::table_params{});
    segmint::context ctx({.backend = segmint::backend_choice::cpu});
    std::vector<std::string> warnings;
    const segmint::preprocess_model pre = segmint::fit_preprocess(ctx, table, segmint::preprocess_params{}, warnings);
    const segmint::matrix z = segmint::apply_preprocess(pre, table);
    segmint::segment_params p;
    p.algo = argc == 3 ? segmint::parse_algorithm(argv[2]) : segmint::algorithm::kmeans;
    p.k_min = 2;
    p.k_max = 8;
    const segmint::segmentation r = segmint::segment(ctx, z.view(), p);
    std::vector<segmint::segment_profile> segments = segmint::profile_segments(table, r.labels, r.k);
    segmint::name_segments(segments, segmint::assign_roles(table.features, {}));
    std::cout << table.rows() << " customers, " << r.algorithm << ", k = " << r.k << ": " << r.reason << "\n";
    for (const auto& s : segments) std::cout << "  segment " << s.id << ": " << s.size << " customers, " << s.name << "\n";
    return 0;
  } catch (const segmint::error& e) {
    std::cerr << "segment_table: " << e.what() << "\n";
    return static_cast<int>(e.code());
  }
}
