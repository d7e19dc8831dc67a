// Survey answers read as numbers, with the bad-row policy of the numeric columns (README "Survey answers").
#include "scaled_columns.hpp"

#include <cmath>
#include <limits>
#include <set>

#include "../dist/collectives.hpp"
#include "number_parse.hpp"
#include "segmint/error.hpp"

namespace segmint::detail {
namespace {

// More distinct answers than any rating or frequency scale has: free text or a category, never a scale.
constexpr size_t max_scale_answers = 60;

std::vector<std::string> distinct_answers(const raw_column& c, const std::vector<bool>& keep, const communicator& comm) {
  std::set<std::string> seen;
  for (size_t i = 0; i < c.text.size() && seen.size() <= max_scale_answers; ++i)
    if (keep[i] && !is_missing_token(c.text[i])) seen.insert(c.text[i]);
  std::vector<std::string> mine(seen.begin(), seen.end());
  return comm.size() > 1 ? global_union(mine, comm) : mine;
}

}  // namespace

void raise_first_failure(const std::string& failure, const communicator& comm) {
  if (comm.size() > 1) {
    for (const auto& f : comm.allgather(failure)) {
      if (f.empty()) continue;
      input_error e(f);
      e.mark_collective();
      throw e;
    }
  } else if (!failure.empty()) {
    throw input_error(failure);
  }
}

std::vector<std::optional<text_scale>> read_scaled_columns(raw_table& raw, const std::vector<scale_request>& requests,
                                                           char decimal, bool fail, std::vector<bool>& keep,
                                                           row_ledger& ledger, const communicator& comm) {
  std::vector<std::optional<text_scale>> used;
  std::string failure;
  std::map<std::string, int64_t> rejected;
  for (const auto& request : requests) {
    raw_column* c = nullptr;
    for (auto& col : raw.columns)
      if (col.index == request.column && col.kind == column_kind::text) c = &col;
    if (c == nullptr) throw error("internal error: column " + std::to_string(request.column) + " was not read as text");
    std::optional<text_scale> scale = request.scale;
    if (!scale) {
      const std::vector<std::string> answers = distinct_answers(*c, keep, comm);
      if (answers.size() <= max_scale_answers) scale = detect_text_scale(answers);
    }
    if (!scale && !request.named) {
      used.emplace_back();
      continue;
    }
    if (!scale) scale = text_scale{};  // named: plain numbers, each value that is not one a bad row
    std::vector<float> numbers(c->text.size(), std::numeric_limits<float>::quiet_NaN());
    int64_t missing = 0;
    for (size_t i = 0; i < c->text.size(); ++i) {
      const std::string& v = c->text[i];
      if (is_missing_token(v)) {
        ++missing;
        continue;
      }
      std::string problem;
      const char* reason = "unknown_answer";
      if (scale->rule.empty()) {
        float x = 0;
        if (parse_number(v, decimal, x) == number_status::ok) numbers[i] = x;
        else problem = "not a number: " + quote_value(v), reason = "not_a_number";
      } else if (const auto x = scale->value_of(v)) {
        numbers[i] = static_cast<float>(*x);
      } else {
        problem = "answer " + quote_value(v) + " is not on the column's scale (" + describe_scale(*scale) + ")";
      }
      if (problem.empty() || !keep[i]) continue;
      keep[i] = false;
      ++rejected[reason];
      if (fail && failure.empty()) {
        failure = describe({raw.file_of(i), raw.lines[i], c->index + 1, c->name}, problem);
        if (comm.size() > 1) failure += " [found by rank " + std::to_string(comm.rank()) + "]";  // as the reader says
      }
    }
    c->kind = column_kind::numeric;
    c->numbers = std::move(numbers);
    c->text.clear();
    c->missing = missing;
    used.push_back(std::move(scale));
  }
  for (const auto& [reason, count] : rejected) ledger.reject(reason, count);
  raise_first_failure(failure, comm);
  return used;
}

}  // namespace segmint::detail
