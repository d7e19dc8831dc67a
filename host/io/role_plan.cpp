#include "role_plan.hpp"

#include <algorithm>
#include <set>

#include "column_names.hpp"
#include "header_lookup.hpp"
#include "segmint/error.hpp"
#include "text_scales.hpp"

namespace segmint::detail {

role_plan plan_roles(const std::string& path, const std::vector<csv_column_info>& header, const table_params& p, bool sharded,
                     std::vector<std::string>& skipped) {
  role_plan roles;
  const header_lookup find_column(path, header);
  if (p.id) {
    roles.id = find_column(*p.id, "--id").index;
    roles.id_explicit = true;
  } else {
    for (const auto& c : header)
      if (!c.unnamed && looks_like_id(c.name)) {
        roles.id = c.index;
        break;
      }
  }
  std::set<int> profiled;  // --profile-only: read, described, never clustered on
  for (const auto& name : p.profile_only) {
    const auto& c = find_column(name, "--profile-only");
    if (roles.id && c.index == *roles.id) throw input_error("--profile-only: " + quote_value(name) + " is the id column");
    if (sharded) throw input_error("--profile-only: data-parallel runs do not profile extra columns yet; run without mpirun");
    if (!profiled.insert(c.index).second) throw input_error("--profile-only names " + quote_value(c.name) + " twice");
    roles.profiled.emplace_back(c.index, "--profile-only");
  }
  std::set<int> categorical;  // and --ordinal columns: both are used whatever --features says
  std::vector<int> ordinal_columns;  // after the other features, in the order given
  for (const auto& [name, order] : p.ordinal) {
    const auto& c = find_column(name, "--ordinal");
    if (roles.id && c.index == *roles.id) throw input_error("--ordinal: " + quote_value(name) + " is the id column");
    if (profiled.count(c.index)) throw input_error("--ordinal names " + quote_value(c.name) + ", which --profile-only keeps out of the features");
    if (!categorical.insert(c.index).second) throw input_error("--ordinal names " + quote_value(c.name) + " twice");
    ordinal_columns.push_back(c.index);
    roles.add_scaled(c.index, ordinal_scale(order), false, "", true);
  }
  for (const auto& name : p.categorical) {
    const auto& c = find_column(name, "--categorical");
    if (roles.id && c.index == *roles.id) throw input_error("--categorical: " + quote_value(name) + " is the id column");
    if (profiled.count(c.index))
      throw input_error("--categorical names " + quote_value(c.name) + ", which --profile-only keeps out of the features");
    if (std::find(ordinal_columns.begin(), ordinal_columns.end(), c.index) != ordinal_columns.end())
      throw input_error("--categorical names " + quote_value(c.name) + ", which --ordinal orders: give it to one of them");
    if (categorical.count(c.index)) throw input_error("--categorical names " + quote_value(c.name) + " twice");
    categorical.insert(c.index);
    roles.categorical.push_back(c.index);
  }
  if (!p.features.empty()) {
    std::set<int> named;
    for (const auto& name : p.features) {
      const auto& c = find_column(name, "--features");
      if (roles.id && c.index == *roles.id) throw input_error("--features: " + quote_value(name) + " is the id column");
      if (!named.insert(c.index).second) throw input_error("--features names " + quote_value(c.name) + " twice");
      if (profiled.count(c.index))
        throw input_error("--features names " + quote_value(c.name) + ", which --profile-only keeps out of the features");
      if (categorical.count(c.index)) continue;
      // A named feature is parsed as numbers; a value that is not one is then a bad row (file, line, value).
      // A column with text in the sample is read through a text scale when its answers follow one
      // ("Yes"/"No", "I love it!+5"); with no number at all in the sample and no scale it is refused.
      roles.numeric.push_back(c.index);
      if (c.kind == column_kind::text) {
        roles.add_scaled(c.index, std::nullopt, c.sample_numbers > 0,
                         describe({path, c.first_text_line, c.index + 1, c.name},
                                  "--features names a text column (e.g. " + quote_value(c.first_text) +
                                      ") whose answers follow no scale; use --categorical, or "
                                      "--ordinal COL=lowest,...,highest"),
                         true);
      }
    }
  } else {
    for (const auto& c : header) {
      if ((roles.id && c.index == *roles.id) || categorical.count(c.index) || profiled.count(c.index)) continue;
      if (c.unnamed || looks_like_id(c.name)) {
        skipped.push_back(c.name + " (looks like an identifier)");
      } else if (c.kind != column_kind::empty && detail::looks_like_outcome(c.name)) {
        skipped.push_back(c.name + (sharded ? " (outcomes or campaign responses: name them in --features to cluster on them)"
                                                      : " (outcomes or campaign responses: profiled per segment, not clustered on)"));
        if (!sharded) roles.profiled.emplace_back(c.index, "outcome");
      } else if (c.kind == column_kind::numeric) {
        roles.numeric.push_back(c.index);
      } else if (c.kind == column_kind::empty) {
        skipped.push_back(c.name + " (no values)");
      } else if (c.sample_texts * 20 <= c.sample_numbers) {
        // Almost all numbers (at most 1 value in 21 is text): numeric, and each stray text value is a bad row
        // (file, line, column, value), exactly as when the typo sits beyond the sampled rows. Where a typo
        // sits never decides whether the column is used.
        roles.numeric.push_back(c.index);
      } else {
        // Text: used when its answers follow a scale (survey answers), skipped with this reason otherwise.
        roles.numeric.push_back(c.index);
        roles.add_scaled(c.index, std::nullopt, false,
                         c.sample_numbers > c.sample_texts
                             ? "mostly numbers, but line " + std::to_string(c.first_text_line) + " has " +
                                   quote_value(c.first_text) + "; name it in --features to use it"
                             : "text: --categorical or --ordinal uses it",
                         false);
      }
    }
  }
  roles.numeric.insert(roles.numeric.end(), ordinal_columns.begin(), ordinal_columns.end());
  return roles;
}

}  // namespace segmint::detail
