// A CSV file's header: its column names, and the kind of each column judged on a sample of the rows.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "csv_record.hpp"
#include "segmint/io.hpp"

namespace segmint::detail {

/// The columns named by the header record (an empty name becomes unnamed_N); a name used twice is refused.
std::vector<csv_column_info> read_header(const std::string& path, const std::vector<csv_field>& fields);

/// A record whose fields are the header's names: files joined with their headers (cat a.csv b.csv).
bool repeats_header(const std::vector<csv_field>& fields, const std::vector<csv_column_info>& header);

/// Kinds of the columns from the first `limit` rows: numeric when every non-missing value parses.
void infer_kinds(std::string_view body, int64_t first_line, char delim, char decimal, int limit,
                 std::vector<csv_column_info>& header);

}  // namespace segmint::detail
