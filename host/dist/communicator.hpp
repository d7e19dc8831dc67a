#pragma once
// The few collective operations the pipeline needs to run data-parallel (one process per shard of rows),
// behind an interface so that the core library does not depend on MPI. The single-process communicator is
// the identity; the MPI one (host/mpi) combines in RANK ORDER, so a fixed number of ranks gives bitwise
// reproducible results.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace segmint::detail {

class communicator {
 public:
  virtual ~communicator() = default;
  [[nodiscard]] virtual int rank() const { return 0; }
  [[nodiscard]] virtual int size() const { return 1; }
  [[nodiscard]] bool root() const { return rank() == 0; }

  /// Every rank's bytes, in rank order, on every rank.
  [[nodiscard]] virtual std::vector<std::string> allgather(const std::string& local) const { return {local}; }
  /// Personalised exchange: to_rank[r] goes to rank r; returns what each rank sent here, in rank order.
  [[nodiscard]] virtual std::vector<std::string> alltoall(const std::vector<std::string>& to_rank) const { return to_rank; }
  /// `bytes` from `from` on every rank.
  virtual void broadcast(std::string& bytes, int from) const { (void)bytes, (void)from; }
  /// Element-wise sums over ranks, added in rank order (deterministic), on every rank.
  virtual void sum(std::span<double> values) const { (void)values; }
  virtual void sum(std::span<int64_t> values) const { (void)values; }
  virtual void barrier() const {}
  /// Ends every rank now (after the caller printed why); never returns.
  [[noreturn]] virtual void abort(int code) const;

  // ---- conveniences built on the primitives ----
  [[nodiscard]] double sum(double v) const;
  [[nodiscard]] int64_t sum(int64_t v) const;
  /// Σ of `v` over the ranks before this one.
  [[nodiscard]] int64_t exclusive_prefix(int64_t v) const;
  [[nodiscard]] std::vector<int64_t> allgather(int64_t v) const;
  [[nodiscard]] double min(double v) const;
  [[nodiscard]] double max(double v) const;
};

/// The communicator of a process that runs alone.
std::shared_ptr<const communicator> single_process();

}  // namespace segmint::detail
