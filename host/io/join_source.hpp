// One source of columns about a base table's customers, keyed by id: a --join file or the customer
// features built from a transaction log (README "Joining sources").
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "segmint/io.hpp"
#include "segmint/table.hpp"

namespace segmint::detail {

struct join_source {
  std::string file;
  int64_t rows_read = 0;
  std::map<std::string, int64_t> rejected;  ///< rows this source lost while being read
  std::string id_name;                      ///< for messages: the id column's name and 1-based number
  int id_number = 1;
  std::vector<std::string> ids;
  std::vector<int64_t> lines;  ///< each row's line in `file`
  std::vector<column_table::column> columns;  ///< besides the id
  /// Per column: the value of a base customer the source has no row for (NaN: missing, imputed later).
  std::vector<double> absent_value;
  std::string policy;  ///< in words, for run.json
  std::string on_clash = "rename it in one of them";  ///< the way out when a column is already in the table
};

/// The key two ids meet by: the text, except that a whole number matches by value (00042, 42 and 42.0 are
/// one customer: spreadsheets and logs disagree about leading zeros and ".0").
std::string join_key(std::string_view id);

/// Every column of the CSV/TSV file `path` as a source keyed by its column `id_name` (which must exist).
join_source join_source_from_file(const std::string& path, const std::string& id_name, const csv_options& csv);

/// The base table `path` with each source's columns added by customer id (a left join on the base rows),
/// then read as load_feature_table reads one file.
feature_table load_joined_sources(const std::string& path, const std::vector<join_source>& sources, const table_params& p);
/// Refuses a model without an id column (its rows were numbered): nothing to join by.
void require_model_id(const table_schema& schema);
/// The same, read with a model's schema for scoring (its id column is the join's).
feature_table load_joined_sources(const std::string& path, const std::vector<join_source>& sources, const table_schema& schema,
                                  const csv_options& csv);

}  // namespace segmint::detail
