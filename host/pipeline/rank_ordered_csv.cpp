#include "rank_ordered_csv.hpp"

namespace segmint::detail {

void write_csv_in_rank_order(output_set* outputs, const communicator& comm, const std::string& name,
                             const std::function<void(atomic_file& file, bool with_header)>& write) {
  std::string temp;
  if (comm.root()) {
    auto& f = outputs->open(name);
    write(f, true);
    f.finish();
    temp = f.temp_path();
  }
  if (comm.size() == 1) return;
  comm.broadcast(temp, 0);
  for (int turn = 1; turn < comm.size(); ++turn) {
    comm.barrier();
    if (comm.rank() != turn) continue;
    atomic_file part(atomic_file::append_tag{}, temp);
    write(part, false);
    part.finish();
  }
  comm.barrier();
}

}  // namespace segmint::detail
