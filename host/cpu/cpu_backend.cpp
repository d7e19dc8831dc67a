#include "cpu_backend.hpp"

#include <omp.h>

#include <algorithm>
#include <fstream>
#include <numeric>

#include "assign_kernel.hpp"
#include "segmint/error.hpp"

namespace segmint::detail {
namespace {

std::string cpu_model_name() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) return line.substr(line.find_first_not_of(' ', colon + 1));
    }
  }
  return "CPU";
}

}  // namespace

cpu_backend::cpu_backend(int threads) : max_threads_(threads > 0 ? threads : omp_get_max_threads()), threads_(max_threads_) {}

std::string cpu_backend::device() const {
  return cpu_model_name() + " (" + std::to_string(threads_) + (threads_ == 1 ? " thread)" : " threads)");
}

void cpu_backend::load(matrix_view data) {
  x_ = data;
  blocks_ = make_row_blocks(data.rows);
  labels_.assign(static_cast<size_t>(data.rows), -1);
  sq_dist_.assign(static_cast<size_t>(data.rows), 0.0f);
  running_sums_.clear();
  running_k_ = 0;
  min_d2_.clear();
  min_d2_block_sums_.clear();
}

void cpu_backend::check_row(int64_t row) const {
  if (row < 0 || row >= x_.rows) throw error("internal error: row " + std::to_string(row) + " out of range");
}

void cpu_backend::reset_labels() {
  std::fill(labels_.begin(), labels_.end(), -1);
  running_sums_.clear();
  running_counts_.clear();
  running_k_ = 0;
}

assign_partials cpu_backend::assign(matrix_view centroids) {
  if (centroids.cols != x_.cols) throw error("internal error: centroid dimension mismatch");
  const auto k = static_cast<size_t>(centroids.rows);
  if (centroids.rows != running_k_) {  // a different model: start from no labels
    reset_labels();
    running_k_ = centroids.rows;
    running_sums_.assign(k * static_cast<size_t>(x_.cols), 0.0);
    running_counts_.assign(k, 0);
  }
  const int64_t nb = blocks_.count();
  std::vector<block_assign_result> parts(static_cast<size_t>(nb));
#pragma omp parallel for num_threads(threads_) schedule(static)
  for (int64_t b = 0; b < nb; ++b) {
    assign_block(x_, centroids, blocks_.begin(b), blocks_.end(b), labels_.data(), sq_dist_.data(),
                 parts[static_cast<size_t>(b)]);
  }
  assign_partials out;
  for (const auto& p : parts) {  // block order: deterministic for any thread count
    for (size_t i = 0; i < running_sums_.size(); ++i) running_sums_[i] += p.sums[i];
    for (size_t c = 0; c < k; ++c) running_counts_[c] += p.counts[c];
    out.inertia += p.inertia;
    out.changed += p.changed;
  }
  out.sums = running_sums_;
  out.counts = running_counts_;
  return out;
}

void cpu_backend::fetch_assignment(std::span<int32_t> labels, std::span<float> sq_dist) {
  if (!labels.empty()) std::copy(labels_.begin(), labels_.end(), labels.begin());
  if (!sq_dist.empty()) std::copy(sq_dist_.begin(), sq_dist_.end(), sq_dist.begin());
}

std::vector<int64_t> cpu_backend::farthest_rows(int64_t count) {
  count = std::min(count, x_.rows);
  std::vector<int64_t> idx(static_cast<size_t>(x_.rows));
  std::iota(idx.begin(), idx.end(), int64_t{0});
  std::partial_sort(idx.begin(), idx.begin() + count, idx.end(), [&](int64_t a, int64_t b) {
    const float da = sq_dist_[static_cast<size_t>(a)];
    const float db = sq_dist_[static_cast<size_t>(b)];
    return da > db || (da == db && a < b);
  });
  idx.resize(static_cast<size_t>(count));
  return idx;
}

double cpu_backend::update_min_d2(std::span<const float> point, bool reset) {
  if (static_cast<int64_t>(point.size()) != x_.cols) throw error("internal error: seeding point dimension mismatch");
  const std::vector<float> p(point.begin(), point.end());
  if (reset) min_d2_.assign(static_cast<size_t>(x_.rows), 0.0f);
  const int64_t nb = blocks_.count();
  min_d2_block_sums_.assign(static_cast<size_t>(nb), 0.0);
#pragma omp parallel num_threads(threads_)
  {
    std::vector<float> d2(static_cast<size_t>(blocks_.size));
#pragma omp for schedule(static)
    for (int64_t b = 0; b < nb; ++b) {
      const int64_t lo = blocks_.begin(b);
      const int64_t hi = blocks_.end(b);
      sq_dist_to_point(x_, p.data(), lo, hi, d2.data());
      double s = 0;
      for (int64_t i = lo; i < hi; ++i) {
        float& m = min_d2_[static_cast<size_t>(i)];
        const float v = d2[static_cast<size_t>(i - lo)];
        if (reset || v < m) m = v;
        s += static_cast<double>(m);
      }
      min_d2_block_sums_[static_cast<size_t>(b)] = s;
    }
  }
  return std::accumulate(min_d2_block_sums_.begin(), min_d2_block_sums_.end(), 0.0);
}

double cpu_backend::seed_start(std::span<const float> first) { return update_min_d2(first, true); }

double cpu_backend::seed_commit(std::span<const float> point) { return update_min_d2(point, false); }

std::vector<int64_t> cpu_backend::seed_sample(std::span<const double> targets) {
  std::vector<double> prefix(min_d2_block_sums_.size() + 1, 0.0);
  for (size_t b = 0; b < min_d2_block_sums_.size(); ++b) prefix[b + 1] = prefix[b] + min_d2_block_sums_[b];
  std::vector<int64_t> out;
  for (double t : targets) {
    // Last block whose running total at its start is ≤ t, then a sequential scan inside it.
    auto it = std::upper_bound(prefix.begin() + 1, prefix.end() - 1, t);
    auto b = static_cast<int64_t>(it - prefix.begin()) - 1;
    int64_t pick = -1;
    int64_t last_positive = -1;
    for (; b < blocks_.count() && pick < 0; ++b) {
      double running = prefix[static_cast<size_t>(b)];
      for (int64_t i = blocks_.begin(b); i < blocks_.end(b); ++i) {
        const float v = min_d2_[static_cast<size_t>(i)];
        if (v > 0) last_positive = i;
        running += static_cast<double>(v);
        if (running > t && v > 0) {
          pick = i;
          break;
        }
      }
    }
    if (pick < 0) {  // t at the very top (rounding): take the last row with weight
      for (int64_t i = x_.rows - 1; i >= 0 && last_positive < 0; --i)
        if (min_d2_[static_cast<size_t>(i)] > 0) last_positive = i;
      pick = std::max<int64_t>(last_positive, 0);
    }
    out.push_back(pick);
  }
  return out;
}

std::vector<double> cpu_backend::seed_trial(matrix_view pts) {
  const auto nc = static_cast<size_t>(pts.rows);
  const int64_t nb = blocks_.count();
  std::vector<double> parts(static_cast<size_t>(nb) * nc, 0.0);
#pragma omp parallel num_threads(threads_)
  {
    std::vector<float> d2(static_cast<size_t>(blocks_.size));
    std::vector<float> p(static_cast<size_t>(x_.cols));
#pragma omp for schedule(static)
    for (int64_t b = 0; b < nb; ++b) {
      const int64_t lo = blocks_.begin(b);
      const int64_t hi = blocks_.end(b);
      for (size_t c = 0; c < nc; ++c) {
        for (int64_t j = 0; j < x_.cols; ++j) p[static_cast<size_t>(j)] = pts(static_cast<int64_t>(c), j);
        sq_dist_to_point(x_, p.data(), lo, hi, d2.data());
        double s = 0;
        for (int64_t i = lo; i < hi; ++i)
          s += static_cast<double>(std::min(min_d2_[static_cast<size_t>(i)], d2[static_cast<size_t>(i - lo)]));
        parts[static_cast<size_t>(b) * nc + c] = s;
      }
    }
  }
  std::vector<double> out(nc, 0.0);
  for (int64_t b = 0; b < nb; ++b)
    for (size_t c = 0; c < nc; ++c) out[c] += parts[static_cast<size_t>(b) * nc + c];
  return out;
}

matrix cpu_backend::gather_rows(std::span<const int64_t> rows) {
  matrix out(static_cast<int64_t>(rows.size()), x_.cols);
  for (size_t r = 0; r < rows.size(); ++r) {
    check_row(rows[r]);
    for (int64_t j = 0; j < x_.cols; ++j) out(static_cast<int64_t>(r), j) = x_(rows[r], j);
  }
  return out;
}

std::vector<std::vector<double>> cpu_backend::silhouette(std::span<const int64_t> sample_rows,
                                                         const std::vector<std::vector<int32_t>>& labels) {
  const bool all_rows = static_cast<int64_t>(sample_rows.size()) == x_.rows &&
                        std::is_sorted(sample_rows.begin(), sample_rows.end()) &&
                        (sample_rows.empty() || (sample_rows.front() == 0 && sample_rows.back() == x_.rows - 1));
  if (all_rows) return silhouette_values(x_, labels, threads_);
  const matrix s = gather_rows(sample_rows);
  return silhouette_values(s.view(), labels, threads_);
}

}  // namespace segmint::detail
