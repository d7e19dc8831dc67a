#include "scatter_sample.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <unordered_set>

#include "../algo/backend.hpp"
#include "../algo/rng.hpp"
#include "../dist/communicator.hpp"
#include "sample_pca.hpp"
#include "segmint/pca.hpp"

namespace segmint::detail {
namespace {

std::string axis_label(int component, double ratio) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "PC%d (%.1f%% of variance)", component, 100.0 * ratio);
  return buf;
}

/// ids[row] for global rows, fetched from the processes that hold them.
std::vector<std::string> gather_ids(const std::vector<int64_t>& rows, const std::vector<std::string>& ids,
                                    const communicator& comm) {
  const int64_t first = comm.exclusive_prefix(static_cast<int64_t>(ids.size()));
  std::string mine;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows[i] < first || rows[i] >= first + static_cast<int64_t>(ids.size())) continue;
    const std::string& id = ids[static_cast<size_t>(rows[i] - first)];
    const uint64_t header[2] = {i, id.size()};
    mine.append(reinterpret_cast<const char*>(header), sizeof header);
    mine += id;
  }
  std::vector<std::string> out(rows.size());
  for (const auto& b : comm.allgather(mine)) {
    size_t p = 0;
    while (p + 2 * sizeof(uint64_t) <= b.size()) {
      uint64_t header[2];
      std::memcpy(header, b.data() + p, sizeof header);
      p += sizeof header;
      out[header[0]] = b.substr(p, header[1]);
      p += header[1];
    }
  }
  return out;
}

}  // namespace

std::vector<int64_t> report_sample_rows(int64_t n, int64_t size, uint64_t seed) {
  std::vector<int64_t> rows;
  if (n <= size) {
    rows.resize(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) rows[static_cast<size_t>(i)] = i;
    return rows;
  }
  // Floyd's algorithm: `size` distinct rows in O(size) memory.
  std::unordered_set<int64_t> picked;
  picked.reserve(static_cast<size_t>(size) * 2);
  uint64_t draw = 0;
  for (int64_t j = n - size; j < n; ++j) {
    const int64_t t = random_index(seed, rng_purpose::report_sample, 0, draw++, j + 1);
    if (!picked.insert(t).second) picked.insert(j);
  }
  rows.assign(picked.begin(), picked.end());
  std::sort(rows.begin(), rows.end());
  return rows;
}

report_scatter make_report_scatter(context& ctx, matrix_view z, const segmentation& seg, const preprocess_model& pre,
                                   const std::vector<std::string>& ids, uint64_t seed, int64_t max_points) {
  report_scatter out;
  // Rows are global: in a data-parallel run the sampled rows come from whichever process holds them.
  ctx.load(z);
  const int64_t n = ctx.total_rows();
  out.rows_total = n;
  const auto rows = report_sample_rows(n, max_points, seed);
  matrix sample = ctx.backend().gather_rows(rows);
  out.segment = ctx.backend().gather_labels(rows, seg.labels);
  out.ids = gather_ids(rows, ids, ctx.comm());
  matrix points, centres;
  if (z.cols < 2 || (n < 2 && !pre.pca)) {
    // One dimension, or too few rows for a PCA: plot the first one or two model dimensions as they are.
    const auto names = pre.output_names();
    out.x_label = names.empty() ? "dimension 1" : names.front();
    out.y_label = z.cols < 2 ? "(the model has one dimension)" : names.at(1);
    out.projection = z.cols < 2 ? "The model space has a single dimension, shown on the horizontal axis."
                                : "The first two dimensions of the model space.";
    points = matrix(sample.rows(), 2);
    centres = matrix(seg.centres.rows(), 2);
    for (int64_t j = 0; j < std::min<int64_t>(2, z.cols); ++j) {
      std::copy(sample.col(j), sample.col(j) + sample.rows(), points.col(j));
      std::copy(seg.centres.col(j), seg.centres.col(j) + seg.centres.rows(), centres.col(j));
    }
  } else if (!pre.pca && z.cols == 2 && pre.columns.size() == 2) {
    // Two features (Mall's income × spending score): the classic picture, in the features' own units.
    out.x_label = pre.columns[0].name;
    out.y_label = pre.columns[1].name;
    out.projection = "The two features the segments were computed on, in their original units.";
    points = matrix(sample.rows(), 2);
    centres = matrix(seg.centres.rows(), 2);
    for (int64_t j = 0; j < 2; ++j) {
      const column_transform& c = pre.columns[static_cast<size_t>(j)];
      auto original = [&](float v) {
        const double x = static_cast<double>(v) * c.scale + c.mean;
        return static_cast<float>(c.log1p ? std::expm1(x) : x);
      };
      for (int64_t i = 0; i < sample.rows(); ++i) points(i, j) = original(sample(i, j));
      for (int64_t i = 0; i < seg.centres.rows(); ++i) centres(i, j) = original(seg.centres(i, j));
    }
  } else if (pre.pca) {
    // The run clustered on principal components: the first two columns are PC1 and PC2 already.
    const auto& ratio = pre.pca->explained_variance_ratio;
    out.x_label = axis_label(1, ratio.at(0));
    out.y_label = axis_label(2, ratio.at(1));
    out.projection =
        "The first two of the principal components the segments were computed on (variance shares of "
        "the standardised features).";
    points = std::move(sample);
    centres = seg.centres;
  } else {
    // Wide tables: the PCA of the plotted sample (a full one needs a d × d covariance).
    const bool wide = z.cols > report_wide_features && sample.rows() >= 2;
    const pca::model m = wide ? sample_pca2(sample.view()) : pca::fit(ctx, z, {.components = 2});
    out.x_label = axis_label(1, m.explained_variance_ratio.at(0));
    out.y_label = axis_label(2, m.explained_variance_ratio.at(1));
    out.projection =
        wide ? "The first two principal components of the plotted customers' features as clustered (after "
               "preprocessing; " + std::to_string(z.cols) + " features, too many for a PCA over every row), "
               "computed for this map only."
             : "The first two principal components of the features as clustered (after preprocessing), computed "
               "for this map only (the segments were computed on all of them).";
    points = pca::transform(m, sample.view());
    centres = pca::transform(m, seg.centres.view());
  }
  out.x.assign(points.col(0), points.col(0) + points.rows());
  out.y.assign(points.col(1), points.col(1) + points.rows());
  for (int64_t c = 0; c < centres.rows(); ++c) {
    out.centre_x.push_back(centres(c, 0));
    out.centre_y.push_back(centres(c, 1));
  }
  return out;
}

}  // namespace segmint::detail
