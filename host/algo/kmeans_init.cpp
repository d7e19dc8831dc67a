#include "kmeans_init.hpp"

#include <cmath>
#include <vector>

#include "rng.hpp"
#include "segmint/error.hpp"

namespace segmint::detail {

matrix kmeans_plus_plus(backend& be, int k, uint64_t seed, uint64_t restart) {
  const int64_t n = be.rows();
  const int trials = 2 + static_cast<int>(std::log(static_cast<double>(k)));
  auto row_of = [](const matrix& m, int64_t i) {
    std::vector<float> v(static_cast<size_t>(m.cols()));
    for (int64_t j = 0; j < m.cols(); ++j) v[static_cast<size_t>(j)] = m(i, j);
    return v;
  };
  std::vector<int64_t> chosen;
  chosen.reserve(static_cast<size_t>(k));
  chosen.push_back(random_index(seed, rng_purpose::kmeans_first_centre, restart, 0, n));
  double potential = be.seed_start(row_of(be.gather_rows(chosen), 0));
  uint64_t draw = 0;
  for (int c = 1; c < k; ++c) {
    if (!(potential > 0)) {
      throw input_error("k = " + std::to_string(k) + " is more than the number of distinct rows in the data (" +
                        std::to_string(c) + "); choose a smaller k");
    }
    std::vector<double> targets(static_cast<size_t>(trials));
    for (auto& t : targets) t = random_uniform(seed, rng_purpose::kmeans_candidates, restart, draw++) * potential;
    const std::vector<int64_t> candidates = be.seed_sample(targets);
    const matrix points = be.gather_rows(candidates);
    const std::vector<double> potentials = be.seed_trial(points.view());
    size_t best = 0;
    for (size_t i = 1; i < potentials.size(); ++i)
      if (potentials[i] < potentials[best]) best = i;
    chosen.push_back(candidates[best]);
    potential = be.seed_commit(row_of(points, static_cast<int64_t>(best)));
  }
  return be.gather_rows(chosen);
}

}  // namespace segmint::detail
