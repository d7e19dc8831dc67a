// compute_customer_features: open → chunk → parse in parallel → merge by customer partition → remove
// cross-chunk duplicates → features. Each step lives in its own transaction_*.cpp file.
#include <algorithm>

#include "segmint/error.hpp"
#include "segmint/transactions.hpp"
#include "transaction_features.hpp"
#include "transaction_merge.hpp"

namespace segmint {
namespace {

using namespace detail;

void validate(const transaction_options& o) {
  if (o.files.empty()) throw input_error("--transactions: no files given");
  const auto& c = o.columns;
  if (c.customer.empty()) throw input_error("--customer: the customer id column is required");
  if (c.date.empty()) throw input_error("--date: the date column is required");
  if (c.amount && (c.quantity || c.price))
    throw input_error("give either --amount, or --quantity and --price (amount = quantity × price), not both");
  if (!c.amount && !(c.quantity && c.price))
    throw input_error("give --amount COL, or --quantity COL and --price COL (amount = quantity × price)");
  if (o.decimal != '.' && o.decimal != ',') throw input_error("--decimal must be '.' or ','");
  if (o.delimiter && (*o.delimiter == '"' || *o.delimiter == '\n' || *o.delimiter == '\r'))
    throw input_error("--delimiter cannot be a quote or a line break");
  if (o.delimiter && *o.delimiter == o.decimal)
    throw input_error("--delimiter and --decimal cannot both be " + quote_value(std::string(1, o.decimal)));
  if (o.max_category_shares < 0) throw input_error("the number of category share columns cannot be negative");
}

void parse_all(const parse_settings& s, const std::vector<transaction_file>& files, const std::vector<parse_chunk>& chunks,
               const std::vector<size_t>& which, std::vector<chunk_result>& results) {
  const auto n = static_cast<int64_t>(which.size());
#pragma omp parallel for schedule(dynamic, 1)
  for (int64_t i = 0; i < n; ++i) {
    const size_t c = which[static_cast<size_t>(i)];
    results[c] = parse_transaction_chunk(s, files[chunks[c].file], chunks[c]);
  }
}

/// A file cut inside a quoted field (a value with a line break) is cut again record by record and re-parsed.
void fix_split_records(const parse_settings& s, const std::vector<transaction_file>& files, std::vector<parse_chunk>& chunks,
                      std::vector<chunk_result>& results) {
  std::vector<char> redo(files.size(), 0);
  bool any = false;
  for (size_t c = 0; c + 1 < chunks.size(); ++c) {
    if (results[c].open_quote_at_end && chunks[c + 1].file == chunks[c].file) {
      redo[chunks[c].file] = 1;
      any = true;
    }
  }
  if (!any) return;
  std::vector<parse_chunk> new_chunks;
  std::vector<chunk_result> new_results;
  std::vector<size_t> which;
  for (size_t c = 0; c < chunks.size();) {
    const uint32_t f = chunks[c].file;
    size_t e = c;
    while (e < chunks.size() && chunks[e].file == f) ++e;
    if (redo[f]) {
      for (const auto& pc : make_chunks_serially(files[f], f, chunk_target_bytes)) {
        which.push_back(new_chunks.size());
        new_chunks.push_back(pc);
        new_results.emplace_back();
      }
    } else {
      for (size_t k = c; k < e; ++k) {
        new_chunks.push_back(chunks[k]);
        new_results.push_back(std::move(results[k]));
      }
    }
    c = e;
  }
  chunks = std::move(new_chunks);
  results = std::move(new_results);
  parse_all(s, files, chunks, which, results);
}

/// The first bad line in file order, as an input_error naming file, line, column and value.
void throw_first_error(const std::vector<transaction_file>& files, const std::vector<parse_chunk>& chunks,
                       const std::vector<chunk_result>& results) {
  std::vector<int64_t> line(files.size());
  for (size_t f = 0; f < files.size(); ++f) line[f] = files[f].body_line;
  for (size_t c = 0; c < chunks.size(); ++c) {
    const auto& f = files[chunks[c].file];
    if (const auto& e = results[c].error) {
      throw input_error(describe({f.path, line[chunks[c].file] + e->rel_line, e->column, e->column_name}, e->message) +
                        " (--on-bad-row skip skips such lines and counts them)");
    }
    line[chunks[c].file] += results[c].newlines;
  }
}

transaction_summary sum_chunks(const transaction_options& o, const std::vector<transaction_file>& files,
                               const std::vector<chunk_result>& results) {
  transaction_summary s;
  s.files = o.files;
  line_facts facts;
  std::array<int64_t, reject_count> rejected{};
  for (const auto& f : files) {
    s.header_lines += f.header_lines;
    s.blank_lines += f.leading_blank_lines;
  }
  for (const auto& r : results) {
    s.lines.read += r.read;
    s.lines.used += r.used;
    s.blank_lines += r.blank;
    for (size_t k = 0; k < reject_count; ++k) rejected[k] += r.rejected[k];
    facts.cancellation_lines += r.facts.cancellation_lines;
    facts.negative_quantity_lines += r.facts.negative_quantity_lines;
    facts.negative_amount_lines += r.facts.negative_amount_lines;
  }
  for (size_t k = 0; k < reject_count; ++k)
    if (rejected[k] > 0) s.lines.reject(reject_names[k], rejected[k]);
  if (o.columns.invoice) s.facts["cancellation_lines"] = facts.cancellation_lines;
  if (o.columns.amount) s.facts["negative_amount_lines"] = facts.negative_amount_lines;
  else s.facts["negative_quantity_lines"] = facts.negative_quantity_lines;
  return s;
}

/// The default as-of date follows the latest purchase: one mistyped future date would move it, and every
/// customer's recency with it. Warns when the latest purchase day lies more than 30 days after 99.9% of the
/// customer-days (a deterministic rule: no dependence on today's date).
void warn_if_last_day_stands_alone(const merged_log& log, int32_t last, std::vector<std::string>& warnings) {
  std::vector<int32_t> days;
  for (const auto& part : log.parts)
    for (const auto& d : part.days.entries())
      if (d.purchase) days.push_back(d.day);
  if (days.size() < 2) return;
  const size_t keep = std::max<size_t>(1, days.size() - std::max<size_t>(1, days.size() / 1000));
  std::nth_element(days.begin(), days.begin() + static_cast<std::ptrdiff_t>(keep - 1), days.end());
  const int32_t bulk_end = days[keep - 1];
  if (last - bulk_end <= 30) return;
  warnings.push_back("the latest purchase (" + day_text(last) + ") is " + std::to_string(last - bulk_end) +
                     " days after 99.9% of them (up to " + day_text(bulk_end) + "); the default as-of date follows it, so "
                     "every customer's recency counts from there: check those lines, or give --as-of");
}

}  // namespace

customer_table compute_customer_features(const transaction_options& o) {
  validate(o);
  const date_parser dates(o.date_format);
  parse_settings settings{&o, &dates, std::nullopt};
  if (o.as_of) {
    settings.as_of = parse_iso_day(*o.as_of);
    if (!settings.as_of) throw input_error("--as-of " + quote_value(*o.as_of) + ": write the date as YYYY-MM-DD");
  }
  const std::vector<transaction_file> files = open_transaction_files(o);
  std::vector<parse_chunk> chunks = make_chunks(files, chunk_target_bytes);
  std::vector<chunk_result> results(chunks.size());
  std::vector<size_t> all(chunks.size());
  for (size_t c = 0; c < all.size(); ++c) all[c] = c;
  parse_all(settings, files, chunks, all, results);
  fix_split_records(settings, files, chunks, results);
  throw_first_error(files, chunks, results);

  transaction_summary summary = sum_chunks(o, files, results);
  int32_t first = INT32_MAX, last = INT32_MIN;
  for (const auto& r : results) {
    first = std::min(first, r.min_day);
    last = std::max(last, r.max_day);
  }
  if (summary.lines.used == 0) {
    std::string why;
    for (const auto& [reason, count] : summary.lines.rejected) why += (why.empty() ? "" : ", ") + reason + ": " + std::to_string(count);
    throw input_error(o.files.front() + (o.files.size() > 1 ? " (and the other files)" : "") + ": no usable transaction lines (" +
                      std::to_string(summary.lines.read) + " read" + (why.empty() ? "" : "; " + why) + ")");
  }
  const int32_t as_of = settings.as_of.value_or(last + 1);
  summary.as_of = day_text(as_of);
  summary.as_of_default = !settings.as_of;
  summary.first_day = day_text(first);
  summary.last_day = day_text(last);

  merged_log log = merge_chunks(results, !o.keep_duplicates);
  if (!o.keep_duplicates) {
    const duplicate_removal removed = remove_cross_chunk_duplicates(settings, files, chunks, results, log);
    summary.cross_chunk_duplicates = removed.lines;
    summary.lines.used -= removed.lines;
    if (removed.lines > 0) summary.lines.reject("duplicate_line", removed.lines);
  }
  if (!settings.as_of) warn_if_last_day_stands_alone(log, last, summary.warnings);
  const std::string id_column = o.header ? o.columns.customer : "customer";
  customer_table t = build_customer_table(o, log, as_of, id_column, summary);
  if (t.rows() == 0) throw input_error(o.files.front() + ": no customer has a purchase line (only returns or cancellations)");
  const auto& rej = summary.lines.rejected;
  if (const auto it = rej.find("duplicate_line"); it != rej.end())
    summary.warnings.push_back("dropped " + std::to_string(it->second) + " exact duplicate lines (--keep-duplicates keeps them)");
  if (summary.customers_without_purchase > 0)
    summary.warnings.push_back(std::to_string(summary.customers_without_purchase) +
                               " customers have only returns or cancellations before as-of; they are not in the table");
  t.summary = std::move(summary);
  return t;
}

}  // namespace segmint
