#include "table_inputs.hpp"

#include <iterator>
#include <memory>

#include "csv_shard.hpp"
#include "gzip.hpp"
#include "input_files.hpp"
#include "segmint/error.hpp"

namespace segmint::detail {
namespace {

std::vector<std::string> names_of(const std::vector<csv_column_info>& header) {
  std::vector<std::string> names;
  for (const auto& c : header) names.push_back(c.name);
  return names;
}

/// Appends the rows of `part` (file number `file` of several, parsed with the same plan) to `all`.
void append_rows(raw_table& all, raw_table&& part, uint32_t file, int64_t records_before) {
  const size_t rows = part.lines.size();
  if (file == 0) {
    all = std::move(part);
    all.file_of_row.assign(rows, 0);
    return;
  }
  for (size_t k = 0; k < all.columns.size(); ++k) {
    auto& dst = all.columns[k];
    auto& src = part.columns[k];
    dst.numbers.insert(dst.numbers.end(), src.numbers.begin(), src.numbers.end());
    std::move(src.text.begin(), src.text.end(), std::back_inserter(dst.text));
    dst.missing += src.missing;
  }
  all.lines.insert(all.lines.end(), part.lines.begin(), part.lines.end());
  for (int64_t r : part.records) all.records.push_back(records_before + r);
  all.file_of_row.insert(all.file_of_row.end(), rows, file);
  all.ledger.read += part.ledger.read;
  all.ledger.used += part.ledger.used;
  for (const auto& [reason, count] : part.ledger.rejected) all.ledger.reject(reason, count);
  all.blank_lines += part.blank_lines;
  all.had_bom = all.had_bom || part.had_bom;
}

}  // namespace

raw_table read_inputs(const std::vector<std::string>& paths, const csv_options& csv,
                      const std::function<csv_plan(const std::vector<csv_column_info>&)>& plan,
                      const detail::communicator& comm) {
  if (paths.size() == 1 && comm.size() == 1) return read_csv(paths.front(), csv, plan);
  std::vector<std::unique_ptr<detail::text_file>> files;
  size_t total = 0;
  for (const auto& path : paths) {
    files.push_back(std::make_unique<detail::text_file>(path));
    total += files.back()->bytes().size();
  }
  std::vector<std::string> first_header;
  csv_plan first_plan;
  raw_table all;
  size_t offset = 0;
  int64_t records_before = 0;  // data rows of the earlier files
  for (size_t f = 0; f < paths.size(); ++f) {
    auto plan_file = [&](const std::vector<csv_column_info>& header) {
      const std::vector<std::string> names = names_of(header);
      if (f == 0) {
        first_header = names;
        first_plan = plan(header);
        return first_plan;
      }
      if (names != first_header) {
        const size_t j = static_cast<size_t>(
            std::mismatch(names.begin(), names.end(), first_header.begin(), first_header.end()).first - names.begin());
        auto at = [&](const std::vector<std::string>& h) { return j < h.size() ? quote_value(h[j]) : "nothing"; };
        throw input_error(describe({paths[f], 1, static_cast<int64_t>(j) + 1, ""},
                                   "the header differs from " + paths.front() + "'s: " + at(names) + " where it has " +
                                       at(first_header) + " (several input files must have the same columns in the same order)"));
      }
      return first_plan;
    };
    const std::string_view bytes = files[f]->bytes();
    raw_table part = detail::read_csv_shard(bytes, paths[f], csv, plan_file, comm, {offset, total});
    offset += bytes.size();
    files[f].reset();  // the parsed rows own their data; unmap (or free) as we go
    const int64_t part_reads = comm.sum(part.ledger.read);  // over every process: row numbers run on across files
    append_rows(all, std::move(part), static_cast<uint32_t>(f), records_before);
    records_before += part_reads;
  }
  if (paths.size() == 1) {
    all.file_of_row.clear();
  } else {
    all.files = paths;
  }
  return all;
}

}  // namespace segmint::detail
