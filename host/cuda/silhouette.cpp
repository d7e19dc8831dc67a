// Exact silhouette on the device for the given sample rows, all labellings of a sweep at once (the
// pairwise distances are shared). Labellings are grouped so each launch's per-row cluster sums fit shared
// memory (Σ k ≤ kernels::silhouette_max_slots); each group is one launch and one synchronisation.
#include <algorithm>
#include <numeric>

#include "cuda_backend.hpp"
#include "segmint/error.hpp"

namespace segmint::cuda::detail {
namespace {

/// Consecutive labellings whose k add up to at most `max_slots`.
std::vector<std::pair<size_t, size_t>> groups_of(const std::vector<int32_t>& ks, int max_slots) {
  std::vector<std::pair<size_t, size_t>> groups;
  size_t begin = 0;
  int64_t slots = 0;
  for (size_t l = 0; l < ks.size(); ++l) {
    if (l > begin && slots + ks[l] > max_slots) {
      groups.emplace_back(begin, l);
      begin = l;
      slots = 0;
    }
    slots += ks[l];
  }
  if (begin < ks.size()) groups.emplace_back(begin, ks.size());
  return groups;
}

}  // namespace

std::vector<std::vector<double>> cuda_backend::silhouette(std::span<const int64_t> sample_rows,
                                                          const std::vector<std::vector<int32_t>>& labels) {
  const auto m = static_cast<int64_t>(sample_rows.size());
  const int64_t d = data_.cols();
  std::vector<std::vector<double>> out(labels.size(), std::vector<double>(static_cast<size_t>(m), 0.0));
  if (m == 0 || labels.empty()) return out;
  std::vector<int32_t> ks(labels.size(), 0);
  for (size_t l = 0; l < labels.size(); ++l) {
    if (static_cast<int64_t>(labels[l].size()) != m) throw error("internal error: silhouette labels do not match the sample");
    for (int32_t v : labels[l]) {
      if (v < 0) throw error("internal error: silhouette labels must be ≥ 0");
      ks[l] = std::max(ks[l], v + 1);
    }
    if (ks[l] > kernels::silhouette_max_slots)
      throw error("the GPU silhouette supports at most " + std::to_string(kernels::silhouette_max_slots) +
                  " clusters per labelling (got " + std::to_string(ks[l]) + "); use --backend cpu");
  }
  staging_.begin_call();
  // The sample on the device: the resident table itself when the sample is every row in order.
  const bool all_rows = m == data_.rows() && data_.resident() != nullptr && sample_rows.front() == 0 &&
                        sample_rows.back() == m - 1 && std::is_sorted(sample_rows.begin(), sample_rows.end());
  const float* s = all_rows ? data_.resident() : device_rows(sample_rows);
  for (const auto& [begin, end] : groups_of(ks, kernels::silhouette_max_slots)) {
    const auto nl = static_cast<int>(end - begin);
    std::vector<int32_t> flat(static_cast<size_t>(nl) * static_cast<size_t>(m));
    std::vector<int32_t> offsets(static_cast<size_t>(nl));
    std::vector<int64_t> counts;
    for (int l = 0; l < nl; ++l) {
      const auto& lab = labels[begin + static_cast<size_t>(l)];
      std::copy(lab.begin(), lab.end(), flat.begin() + static_cast<int64_t>(l) * m);
      offsets[static_cast<size_t>(l)] = static_cast<int32_t>(counts.size());
      std::vector<int64_t> c(static_cast<size_t>(ks[begin + static_cast<size_t>(l)]), 0);
      for (int32_t v : lab) ++c[static_cast<size_t>(v)];
      counts.insert(counts.end(), c.begin(), c.end());
    }
    std::vector<int32_t> meta(offsets);  // [offsets (nl) | ks (nl)]
    meta.insert(meta.end(), ks.begin() + static_cast<int64_t>(begin), ks.begin() + static_cast<int64_t>(end));
    const int32_t* dev_labels = upload(flat.data(), flat.size(), out_i_);
    const int32_t* dev_meta = upload(meta.data(), meta.size(), small_i32_);
    const int64_t* dev_counts = upload(counts.data(), counts.size(), small_i64_);
    double* dev_out = ensure(out_d_, flat.size(), compute_);
    SEGMINT_CUDA_TRY(kernels::launch_silhouette(s, m, d, dev_labels, nl, dev_meta, dev_meta + nl,
                                                static_cast<int>(counts.size()), dev_counts, dev_out, compute_.get()));
    auto* host = staging_.take<double>(flat.size());
    SEGMINT_CUDA_TRY(cudaMemcpyAsync(host, dev_out, flat.size() * sizeof(double), cudaMemcpyDeviceToHost, compute_.get()));
    sync();
    for (int l = 0; l < nl; ++l)
      std::copy(host + static_cast<int64_t>(l) * m, host + static_cast<int64_t>(l + 1) * m, out[begin + static_cast<size_t>(l)].begin());
  }
  return out;
}

}  // namespace segmint::cuda::detail
