#include "mpi_communicator.hpp"

#include <mpi.h>

#include <execinfo.h>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace segmint::mpi {
namespace {

void check(int rc, const char* what) {
  if (rc != MPI_SUCCESS) throw std::runtime_error(std::string("MPI call failed: ") + what);
}

class world_communicator final : public detail::communicator {
 public:
  world_communicator() {
    check(MPI_Comm_rank(MPI_COMM_WORLD, &rank_), "MPI_Comm_rank");
    check(MPI_Comm_size(MPI_COMM_WORLD, &size_), "MPI_Comm_size");
  }
  [[nodiscard]] int rank() const override { return rank_; }
  [[nodiscard]] int size() const override { return size_; }

  [[nodiscard]] std::vector<std::string> allgather(const std::string& local) const override {
    const int n = static_cast<int>(local.size());
    std::vector<int> counts(static_cast<size_t>(size_));
    check(MPI_Allgather(&n, 1, MPI_INT, counts.data(), 1, MPI_INT, MPI_COMM_WORLD), "MPI_Allgather");
    std::vector<int> offsets(static_cast<size_t>(size_), 0);
    int total = 0;
    for (int r = 0; r < size_; ++r) {
      offsets[static_cast<size_t>(r)] = total;
      total += counts[static_cast<size_t>(r)];
    }
    std::string all(static_cast<size_t>(total), '\0');
    check(MPI_Allgatherv(local.data(), n, MPI_CHAR, all.data(), counts.data(), offsets.data(), MPI_CHAR, MPI_COMM_WORLD),
          "MPI_Allgatherv");
    std::vector<std::string> out;
    for (int r = 0; r < size_; ++r)
      out.push_back(all.substr(static_cast<size_t>(offsets[static_cast<size_t>(r)]), static_cast<size_t>(counts[static_cast<size_t>(r)])));
    return out;
  }

  [[nodiscard]] std::vector<std::string> alltoall(const std::vector<std::string>& to_rank) const override {
    std::vector<int> send_counts(static_cast<size_t>(size_));
    std::vector<int> send_offsets(static_cast<size_t>(size_));
    std::string send;
    for (int r = 0; r < size_; ++r) {
      send_offsets[static_cast<size_t>(r)] = static_cast<int>(send.size());
      send_counts[static_cast<size_t>(r)] = static_cast<int>(to_rank[static_cast<size_t>(r)].size());
      send += to_rank[static_cast<size_t>(r)];
    }
    std::vector<int> recv_counts(static_cast<size_t>(size_));
    check(MPI_Alltoall(send_counts.data(), 1, MPI_INT, recv_counts.data(), 1, MPI_INT, MPI_COMM_WORLD), "MPI_Alltoall");
    std::vector<int> recv_offsets(static_cast<size_t>(size_), 0);
    int total = 0;
    for (int r = 0; r < size_; ++r) {
      recv_offsets[static_cast<size_t>(r)] = total;
      total += recv_counts[static_cast<size_t>(r)];
    }
    std::string recv(static_cast<size_t>(total), '\0');
    check(MPI_Alltoallv(send.data(), send_counts.data(), send_offsets.data(), MPI_CHAR, recv.data(), recv_counts.data(),
                        recv_offsets.data(), MPI_CHAR, MPI_COMM_WORLD),
          "MPI_Alltoallv");
    std::vector<std::string> out;
    for (int r = 0; r < size_; ++r)
      out.push_back(recv.substr(static_cast<size_t>(recv_offsets[static_cast<size_t>(r)]), static_cast<size_t>(recv_counts[static_cast<size_t>(r)])));
    return out;
  }

  void broadcast(std::string& bytes, int from) const override {
    int64_t n = static_cast<int64_t>(bytes.size());
    check(MPI_Bcast(&n, 1, MPI_INT64_T, from, MPI_COMM_WORLD), "MPI_Bcast");
    bytes.resize(static_cast<size_t>(n));
    check(MPI_Bcast(bytes.data(), static_cast<int>(n), MPI_CHAR, from, MPI_COMM_WORLD), "MPI_Bcast");
  }

  // Gather to rank 0, add in rank order there, broadcast: the same bits for a fixed rank count, whatever
  // reduction tree the MPI library would have used.
  void sum(std::span<double> values) const override { ordered_sum(values.data(), values.size(), MPI_DOUBLE); }
  void sum(std::span<int64_t> values) const override { ordered_sum(values.data(), values.size(), MPI_INT64_T); }

  void barrier() const override { check(MPI_Barrier(MPI_COMM_WORLD), "MPI_Barrier"); }
  [[noreturn]] void abort(int code) const override {
    MPI_Abort(MPI_COMM_WORLD, code);
    std::_Exit(code);
  }

 private:
  template <typename T>
  void ordered_sum(T* v, size_t count, MPI_Datatype type) const {
    if (count == 0) return;
    if (const char* dir = std::getenv("SEGMINT_TRACE_MPI")) {  // debugging aid: one log per rank
      const std::string path = std::string(dir) + "/rank" + std::to_string(rank_) + ".log";
      if (FILE* f = std::fopen(path.c_str(), "a")) {
        std::fprintf(f, "sum %zu\n", count);
        void* frames[6];
        const int nf = backtrace(frames, 6);
        backtrace_symbols_fd(frames, nf, fileno(f));
        std::fclose(f);
      }
    }
    std::vector<T> all(rank_ == 0 ? count * static_cast<size_t>(size_) : 0);
    check(MPI_Gather(v, static_cast<int>(count), type, all.data(), static_cast<int>(count), type, 0, MPI_COMM_WORLD),
          "MPI_Gather");
    if (rank_ == 0) {
      for (size_t i = 0; i < count; ++i) {
        T s = all[i];
        for (int r = 1; r < size_; ++r) s += all[static_cast<size_t>(r) * count + i];
        v[i] = s;
      }
    }
    check(MPI_Bcast(v, static_cast<int>(count), type, 0, MPI_COMM_WORLD), "MPI_Bcast");
  }

  int rank_ = 0;
  int size_ = 1;
};

}  // namespace

bool launched_under_mpi() {
  for (const char* var : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "MPI_LOCALNRANKS", "PMI_RANK"})
    if (std::getenv(var) != nullptr) return true;
  return false;
}

session::session(int* argc, char*** argv) {
  int provided = 0;
  check(MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
}

session::~session() { MPI_Finalize(); }

std::shared_ptr<const detail::communicator> session::world() const { return std::make_shared<world_communicator>(); }

}  // namespace segmint::mpi
