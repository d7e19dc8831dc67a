#include "linkage_csv.hpp"

#include <string>

#include "csv_writer.hpp"

namespace segmint::detail {

void write_linkage_csv(atomic_file& f, std::span<const linkage_step> z) {
  f << "a,b,height,size\n";
  std::string line;
  for (const auto& s : z) {
    line.clear();
    line += std::to_string(s.a);
    line += ',';
    line += std::to_string(s.b);
    line += ',';
    line += csv_number(s.height, 17);
    line += ',';
    line += std::to_string(s.size);
    line += '\n';
    f << line;
  }
}

}  // namespace segmint::detail
