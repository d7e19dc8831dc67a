#include "outputs.hpp"

#include <cmath>
#include <filesystem>

#include "csv_writer.hpp"
#include "segmint/version.hpp"

namespace segmint::detail {

void write_assignments(atomic_file& f, const std::string& id_column, const std::vector<std::string>& ids,
                       std::span<const int32_t> labels, std::span<const float> distance,
                       const std::vector<std::string>& segment_names) {
  f << csv_field(id_column) << ",segment,segment_name,distance\n";
  std::vector<std::string> quoted_names;
  for (const auto& n : segment_names) quoted_names.push_back(csv_field(n));
  std::string line;
  for (size_t i = 0; i < ids.size(); ++i) {
    const int32_t l = labels[i];
    line.clear();
    line += csv_field(ids[i]);
    line += ',';
    line += std::to_string(l);
    line += ',';
    line += quoted_names[static_cast<size_t>(l)];
    line += ',';
    line += csv_float(distance[i]);
    line += '\n';
    f << line;
  }
}

void write_profile_csv(atomic_file& f, const std::vector<segment_profile>& profiles) {
  if (profiles.empty()) return;
  std::string head = "segment,segment_name,size,share,reason,drivers";
  for (const auto& feat : profiles.front().features) {
    head += "," + csv_field(feat.name + "_mean") + "," + csv_field(feat.name + "_median") + "," + csv_field(feat.name + "_z");
  }
  f << head << "\n";
  for (const auto& s : profiles) {
    std::string drivers;
    for (int j : s.drivers) drivers += (drivers.empty() ? "" : "; ") + s.features[static_cast<size_t>(j)].name;
    std::string line = std::to_string(s.id) + "," + csv_field(s.name) + "," + std::to_string(s.size) + "," +
                       csv_number(s.share, 6) + "," + csv_field(s.reason) + "," + csv_field(drivers);
    for (const auto& feat : s.features)
      line += "," + csv_number(feat.mean, 8) + "," + csv_number(feat.median, 8) + "," + csv_number(feat.z, 6);
    f << line << "\n";
  }
}

segment_model make_model(const run_options& o, const run_outcome& r) {
  segment_model m;
  m.algorithm = r.seg.algorithm;
  m.segmint_version = version_string();
  m.trained_on = std::filesystem::path(o.input).filename().string();
  m.seed = o.kmeans.seed;
  m.schema.id_column = r.table.id_generated ? "" : r.table.id_column;
  m.schema.features = r.table.features;
  m.preprocess = r.preprocess;
  m.centroids = r.seg.centres;
  if (const auto it = r.seg.facts.find("nearest_centre_agreement"); it != r.seg.facts.end()) m.training_agreement = it->second;
  for (const auto& p : r.profiles) m.segments.push_back({p.id, p.name, p.reason, p.size, p.share});
  return m;
}

}  // namespace segmint::detail
