#include "sharded_backend.hpp"

#include <omp.h>

#include <algorithm>
#include <limits>

#include "../cpu/cpu_backend.hpp"
#include "bytes.hpp"
#include "segmint/error.hpp"

namespace segmint::detail {
namespace {

struct row_value {
  double value;
  int64_t row;
};

}  // namespace

sharded_backend::sharded_backend(std::unique_ptr<backend> local, std::shared_ptr<const communicator> comm)
    : local_(std::move(local)), comm_(std::move(comm)) {}

std::string sharded_backend::device() const {
  return local_->device() + " × " + std::to_string(comm_->size()) + " ranks";
}

void sharded_backend::load(matrix_view data) {
  local_->load(data);
  const auto counts = comm_->allgather(data.rows);
  offsets_.assign(counts.size() + 1, 0);
  for (size_t r = 0; r < counts.size(); ++r) offsets_[r + 1] = offsets_[r] + counts[r];
  global_rows_ = offsets_.back();
  seed_totals_.clear();
}

int sharded_backend::owner(int64_t row) const {
  if (row < 0 || row >= global_rows_) throw error("internal error: global row " + std::to_string(row) + " out of range");
  return static_cast<int>(std::upper_bound(offsets_.begin(), offsets_.end(), row) - offsets_.begin()) - 1;
}

void sharded_backend::sum(assign_partials& p) const {
  comm_->sum(std::span<double>(p.sums));
  comm_->sum(std::span<int64_t>(p.counts));
  p.inertia = comm_->sum(p.inertia);
  p.changed = comm_->sum(p.changed);
}

assign_partials sharded_backend::assign(matrix_view centroids) {
  assign_partials p = local_->assign(centroids);
  sum(p);
  return p;
}

std::vector<int64_t> sharded_backend::farthest_rows(int64_t count) {
  // Each rank's own farthest rows, then the global order: larger distance first, ties by lower row.
  std::vector<row_value> mine;
  const int64_t local_n = offsets_[static_cast<size_t>(comm_->rank()) + 1] - offsets_[static_cast<size_t>(comm_->rank())];
  if (local_n > 0) {
    std::vector<int32_t> labels(static_cast<size_t>(local_n));
    std::vector<float> sq(static_cast<size_t>(local_n));
    local_->fetch_assignment(labels, sq);
    for (int64_t r : local_->farthest_rows(count))
      mine.push_back({static_cast<double>(sq[static_cast<size_t>(r)]), offsets_[static_cast<size_t>(comm_->rank())] + r});
  }
  std::vector<row_value> all;
  for (const auto& b : comm_->allgather(to_bytes(mine))) {
    const auto part = from_bytes<row_value>(b);
    all.insert(all.end(), part.begin(), part.end());
  }
  std::sort(all.begin(), all.end(), [](const row_value& a, const row_value& b) {
    return a.value > b.value || (a.value == b.value && a.row < b.row);
  });
  std::vector<int64_t> out;
  for (size_t i = 0; i < all.size() && static_cast<int64_t>(i) < count; ++i) out.push_back(all[i].row);
  return out;
}

double sharded_backend::seed_start(std::span<const float> first) {
  const double local = global_rows_ > 0 && offsets_[static_cast<size_t>(comm_->rank()) + 1] > offsets_[static_cast<size_t>(comm_->rank())]
                           ? local_->seed_start(first)
                           : 0.0;
  const auto all = comm_->allgather(to_bytes(std::vector<double>{local}));
  seed_totals_.clear();
  for (const auto& b : all) seed_totals_.push_back(from_bytes<double>(b).front());
  double total = 0;
  for (double t : seed_totals_) total += t;  // rank order
  return total;
}

double sharded_backend::seed_commit(std::span<const float> point) {
  const bool has_rows = offsets_[static_cast<size_t>(comm_->rank()) + 1] > offsets_[static_cast<size_t>(comm_->rank())];
  const double local = has_rows ? local_->seed_commit(point) : 0.0;
  const auto all = comm_->allgather(to_bytes(std::vector<double>{local}));
  seed_totals_.clear();
  for (const auto& b : all) seed_totals_.push_back(from_bytes<double>(b).front());
  double total = 0;
  for (double t : seed_totals_) total += t;
  return total;
}

std::vector<int64_t> sharded_backend::seed_sample(std::span<const double> targets) {
  // The rank whose share of the running total holds each target answers for it with its own local search.
  std::vector<double> prefix(seed_totals_.size() + 1, 0.0);
  for (size_t r = 0; r < seed_totals_.size(); ++r) prefix[r + 1] = prefix[r] + seed_totals_[r];
  std::vector<int> owner_of(targets.size(), -1);
  for (size_t i = 0; i < targets.size(); ++i) {
    int last_positive = -1;
    for (size_t r = 0; r < seed_totals_.size(); ++r) {
      if (seed_totals_[r] > 0) last_positive = static_cast<int>(r);
      if (seed_totals_[r] > 0 && targets[i] < prefix[r + 1]) {
        owner_of[i] = static_cast<int>(r);
        break;
      }
    }
    if (owner_of[i] < 0) owner_of[i] = std::max(last_positive, 0);  // rounding at the very top
  }
  std::vector<row_value> mine;
  const int me = comm_->rank();
  std::vector<double> local_targets;
  std::vector<size_t> which;
  for (size_t i = 0; i < targets.size(); ++i) {
    if (owner_of[i] != me) continue;
    local_targets.push_back(targets[i] - prefix[static_cast<size_t>(me)]);
    which.push_back(i);
  }
  if (!local_targets.empty()) {
    const auto rows = local_->seed_sample(local_targets);
    for (size_t j = 0; j < rows.size(); ++j)
      mine.push_back({static_cast<double>(which[j]), offsets_[static_cast<size_t>(me)] + rows[j]});
  }
  std::vector<int64_t> out(targets.size(), 0);
  for (const auto& b : comm_->allgather(to_bytes(mine)))
    for (const auto& rv : from_bytes<row_value>(b)) out[static_cast<size_t>(rv.value)] = rv.row;
  return out;
}

std::vector<double> sharded_backend::seed_trial(matrix_view candidates) {
  const bool has_rows = offsets_[static_cast<size_t>(comm_->rank()) + 1] > offsets_[static_cast<size_t>(comm_->rank())];
  std::vector<double> v = has_rows ? local_->seed_trial(candidates) : std::vector<double>(static_cast<size_t>(candidates.rows), 0.0);
  comm_->sum(std::span<double>(v));
  return v;
}

matrix sharded_backend::gather_rows(std::span<const int64_t> rows) {
  const int me = comm_->rank();
  std::vector<int64_t> local_rows;
  std::vector<int64_t> positions;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (owner(rows[i]) != me) continue;
    local_rows.push_back(rows[i] - offsets_[static_cast<size_t>(me)]);
    positions.push_back(static_cast<int64_t>(i));
  }
  const int64_t d = local_->cols();
  std::vector<float> packed;  // d values per owned row, in the order of `positions`
  if (!local_rows.empty()) {
    const matrix part = local_->gather_rows(local_rows);
    for (size_t i = 0; i < local_rows.size(); ++i)
      for (int64_t j = 0; j < d; ++j) packed.push_back(part(static_cast<int64_t>(i), j));
  }
  matrix out(static_cast<int64_t>(rows.size()), d);
  const auto pos_all = comm_->allgather(to_bytes(positions));
  const auto val_all = comm_->allgather(to_bytes(packed));
  for (size_t r = 0; r < pos_all.size(); ++r) {
    const auto pos = from_bytes<int64_t>(pos_all[r]);
    const auto vals = from_bytes<float>(val_all[r]);
    for (size_t i = 0; i < pos.size(); ++i)
      for (int64_t j = 0; j < d; ++j) out(pos[i], j) = vals[i * static_cast<size_t>(d) + static_cast<size_t>(j)];
  }
  return out;
}

std::vector<int32_t> sharded_backend::gather_labels(std::span<const int64_t> rows, std::span<const int32_t> labels) {
  const int me = comm_->rank();
  std::vector<int64_t> mine;  // pairs: position, label
  for (size_t i = 0; i < rows.size(); ++i) {
    if (owner(rows[i]) != me) continue;
    mine.push_back(static_cast<int64_t>(i));
    mine.push_back(labels[static_cast<size_t>(rows[i] - offsets_[static_cast<size_t>(me)])]);
  }
  std::vector<int32_t> out(rows.size(), -1);
  for (const auto& b : comm_->allgather(to_bytes(mine))) {
    const auto pairs = from_bytes<int64_t>(b);
    for (size_t i = 0; i + 1 < pairs.size(); i += 2) out[static_cast<size_t>(pairs[i])] = static_cast<int32_t>(pairs[i + 1]);
  }
  return out;
}

gmm_partials sharded_backend::gmm_pass(const gmm_responsibilities& r, gmm::covariance_type stats, int k) {
  gmm_responsibilities local_r = r;
  local_r.row_offset = static_cast<uint64_t>(offsets_[static_cast<size_t>(comm_->rank())]);  // random draws by global row
  gmm_partials p = local_->gmm_pass(local_r, stats, k);
  comm_->sum(std::span<double>(p.nk));
  comm_->sum(std::span<double>(p.sums));
  comm_->sum(std::span<double>(p.second));
  p.log_likelihood = comm_->sum(p.log_likelihood);
  std::vector<row_value> mine;
  if (p.least_likely_row >= 0) mine.push_back({p.least_likelihood, offsets_[static_cast<size_t>(comm_->rank())] + p.least_likely_row});
  p.least_likely_row = -1;
  p.least_likelihood = std::numeric_limits<double>::infinity();
  for (const auto& b : comm_->allgather(to_bytes(mine)))
    for (const auto& rv : from_bytes<row_value>(b))
      if (rv.value < p.least_likelihood || (rv.value == p.least_likelihood && rv.row < p.least_likely_row)) {
        p.least_likelihood = rv.value;
        p.least_likely_row = rv.row;
      }
  return p;
}

double sharded_backend::gmm_score(const gmm_estep_params& m, std::span<int32_t> labels, std::span<float> probability,
                                  std::span<float> responsibilities) {
  return comm_->sum(local_->gmm_score(m, labels, probability, responsibilities));
}

moments sharded_backend::column_moments() {
  // Each rank's mean and covariance, combined exactly: Σ n_r (C_r + (μ_r − μ)(μ_r − μ)ᵀ) / N.
  const moments mine = local_->column_moments();
  const int64_t d = local_->cols();
  const auto all = comm_->allgather(to_bytes(mine.mean) + to_bytes(mine.covariance) + to_bytes(std::vector<int64_t>{mine.rows}));
  moments out;
  out.rows = global_rows_;
  out.mean.assign(static_cast<size_t>(d), 0.0);
  out.covariance.assign(static_cast<size_t>(d * d), 0.0);
  std::vector<moments> parts;
  for (const auto& b : all) {
    moments m;
    const size_t mean_bytes = static_cast<size_t>(d) * sizeof(double);
    const size_t cov_bytes = static_cast<size_t>(d * d) * sizeof(double);
    m.mean = from_bytes<double>(b.substr(0, mean_bytes));
    m.covariance = from_bytes<double>(b.substr(mean_bytes, cov_bytes));
    m.rows = from_bytes<int64_t>(b.substr(mean_bytes + cov_bytes)).front();
    parts.push_back(std::move(m));
  }
  if (global_rows_ == 0) return out;
  for (const auto& m : parts)
    for (int64_t j = 0; j < d; ++j) out.mean[static_cast<size_t>(j)] += static_cast<double>(m.rows) * (m.rows ? m.mean[static_cast<size_t>(j)] : 0.0);
  for (auto& v : out.mean) v /= static_cast<double>(global_rows_);
  for (const auto& m : parts) {
    if (m.rows == 0) continue;
    for (int64_t b = 0; b < d; ++b)
      for (int64_t a = 0; a < d; ++a) {
        const double da = m.mean[static_cast<size_t>(a)] - out.mean[static_cast<size_t>(a)];
        const double db = m.mean[static_cast<size_t>(b)] - out.mean[static_cast<size_t>(b)];
        out.covariance[static_cast<size_t>(b * d + a)] += static_cast<double>(m.rows) * (m.covariance[static_cast<size_t>(b * d + a)] + da * db);
      }
  }
  for (auto& v : out.covariance) v /= static_cast<double>(global_rows_);
  return out;
}

assign_partials sharded_backend::cluster_sums(std::span<const int32_t> labels, int64_t k) {
  assign_partials p = local_->cluster_sums(labels, k);
  sum(p);
  return p;
}

dispersion_partials sharded_backend::dispersion(std::span<const int32_t> labels, matrix_view centres) {
  dispersion_partials p = local_->dispersion(labels, centres);
  comm_->sum(std::span<double>(p.dist_sums));
  comm_->sum(std::span<double>(p.sq_dist_sums));
  comm_->sum(std::span<int64_t>(p.counts));
  return p;
}

std::vector<std::vector<double>> sharded_backend::silhouette(std::span<const int64_t> sample_rows,
                                                             const std::vector<std::vector<int32_t>>& labels) {
  // The sampled rows are gathered (a few thousand), scored on rank 0 and the values broadcast.
  const matrix sample = gather_rows(sample_rows);
  std::string bytes;
  if (comm_->root()) {
    const auto values = silhouette_values(sample.view(), labels, omp_get_max_threads());
    for (const auto& v : values) bytes += to_bytes(v);
  }
  comm_->broadcast(bytes, 0);
  const auto flat = from_bytes<double>(bytes);
  std::vector<std::vector<double>> out(labels.size());
  for (size_t l = 0; l < labels.size(); ++l)
    out[l].assign(flat.begin() + static_cast<std::ptrdiff_t>(l * sample_rows.size()),
                  flat.begin() + static_cast<std::ptrdiff_t>((l + 1) * sample_rows.size()));
  return out;
}

}  // namespace segmint::detail
