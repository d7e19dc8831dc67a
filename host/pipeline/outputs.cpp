#include "outputs.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

#include "csv_writer.hpp"
#include "segmint/version.hpp"

namespace segmint::detail {

void write_assignments(atomic_file& f, const std::string& id_column, const std::vector<std::string>& ids,
                       const assignment_columns& c, const std::vector<std::string>& segment_names, bool header,
                       bool spreadsheet_safe) {
  const size_t k = segment_names.size();
  const bool with_probability = !c.probability.empty();
  const bool with_all = !c.responsibilities.empty();
  std::string head = csv_field(id_column) + ",segment,segment_name" + (with_probability ? ",probability" : "") + ",distance";
  if (with_all)
    for (size_t s = 0; s < k; ++s) head += ",prob_" + std::to_string(s);
  if (header) f << head << "\n";
  std::vector<std::string> quoted_names;
  for (const auto& n : segment_names) quoted_names.push_back(csv_text(n, spreadsheet_safe));
  std::string line;
  for (size_t i = 0; i < ids.size(); ++i) {
    const int32_t l = c.labels[i];
    line.clear();
    line += csv_text(ids[i], spreadsheet_safe);
    line += ',';
    line += std::to_string(l);
    line += ',';
    line += quoted_names[static_cast<size_t>(l)];
    if (with_probability) {
      line += ',';
      line += csv_float(c.probability[i]);
    }
    line += ',';
    line += csv_float(c.distance[i]);
    if (with_all) {
      for (size_t s = 0; s < k; ++s) {
        line += ',';
        line += csv_float(c.responsibilities[s * ids.size() + i]);
      }
    }
    line += '\n';
    f << line;
  }
}

namespace {

/// profile.csv's value cells of one segment (spend cells empty without spend, all empty for a segment without
/// value rows).
std::string value_cells(const std::vector<segment_value>& value, int segment) {
  const auto it = std::find_if(value.begin(), value.end(), [&](const segment_value& v) { return v.segment == segment; });
  if (it == value.end()) return ",,,,,,,";
  const auto& v = *it;
  std::string cells = "," + csv_number(v.mean_p_alive, 6) + "," + csv_number(v.median_p_alive, 6) + "," + csv_number(v.expected_purchases, 8);
  if (!v.with_spend) return cells + ",,,,,";
  return cells + "," + csv_number(v.expected_spend, 8) + "," + csv_number(v.total_clv, 8) + "," + csv_number(v.mean_clv, 8) + "," +
         csv_number(v.mean_clv_low, 8) + "," + csv_number(v.mean_clv_high, 8);
}

}  // namespace

void write_profile_csv(atomic_file& f, const std::vector<segment_profile>& profiles, bool spreadsheet_safe,
                       const std::vector<segment_value>* value) {
  if (profiles.empty()) return;
  const auto text = [spreadsheet_safe](std::string_view s) { return csv_text(s, spreadsheet_safe); };
  std::string head = "segment,segment_name,size,share,reason,drivers";
  for (const auto& feat : profiles.front().features) {
    head += "," + text(feat.name + "_mean") + "," + text(feat.name + "_median") + "," + text(feat.name + "_z");
  }
  // Categorical columns: the most over-represented level, its share in the segment and overall.
  for (const auto& c : profiles.front().categories)
    head += "," + text(c.column + "_top_level") + "," + text(c.column + "_top_share") + "," + text(c.column + "_top_overall_share");
  if (value)
    head += ",value_mean_p_alive,value_median_p_alive,value_expected_purchases,value_expected_spend,value_total_clv,value_mean_clv,"
            "value_mean_clv_low,value_mean_clv_high";
  f << head << "\n";
  for (const auto& s : profiles) {
    std::string drivers;
    for (int j : s.drivers) drivers += (drivers.empty() ? "" : "; ") + s.features[static_cast<size_t>(j)].name;
    std::string line = std::to_string(s.id) + "," + text(s.name) + "," + std::to_string(s.size) + "," +
                       csv_number(s.share, 6) + "," + text(s.reason) + "," + text(drivers);
    for (const auto& feat : s.features)
      // The values were read as float32, which carries 7 significant digits: means and medians are printed
      // with 7, so 55.67 reads back as 55.67, not 55.669998.
      line += "," + csv_number(feat.mean, 7) + "," + csv_number(feat.median, 7) + "," + csv_number(feat.z, 6);
    for (const auto& c : s.categories)
      line += "," + text(c.level) + "," + csv_number(c.share, 6) + "," + csv_number(c.overall_share, 6);
    if (value) line += value_cells(*value, s.id);
    f << line << "\n";
  }
}

size_t count_formula_like_levels(const std::vector<segment_profile>& profiles) {
  std::set<std::string_view> levels;
  for (const auto& s : profiles)
    for (const auto& c : s.categories) levels.insert(c.level);
  for (const auto& s : profiles)
    for (const auto& feat : s.features) levels.insert(feat.name);  // one-hot features are named column=level
  return count_formula_like(levels);
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
  m.mixture = r.seg.mixture;
  if (const auto it = r.seg.facts.find("nearest_centre_agreement"); it != r.seg.facts.end()) m.training_agreement = it->second;
  for (const auto& p : r.profiles) m.segments.push_back({p.id, p.name, p.reason, p.size, p.share});
  return m;
}

}  // namespace segmint::detail
