#include "transaction_features.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "text_encoding.hpp"

namespace segmint::detail {
namespace {

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

struct customer_ref {
  const merged_customer* c = nullptr;
  uint32_t partition = 0;
  uint32_t index = 0;
  uint64_t number = 0;  ///< value of an all-digit id of up to 19 digits (a cheap first sort key)
  bool numeric = false;
};

customer_ref make_ref(const merged_customer& c, uint32_t p, uint32_t i) {
  customer_ref r{&c, p, i, 0, false};
  if (all_digits(c.id) && c.id.size() <= 19) {
    r.numeric = true;
    for (char ch : c.id) r.number = r.number * 10 + static_cast<uint64_t>(ch - '0');
  }
  return r;
}

bool ref_less(const customer_ref& a, const customer_ref& b) {
  if (a.numeric && b.numeric && a.number != b.number) return a.number < b.number;
  return customer_id_less(a.c->id, b.c->id);
}

double to_double(int128_t micro) { return static_cast<double>(micro) / 1e6; }

/// Category share columns: the `limit` categories with the most purchase value (ties by name), then "other".
struct category_columns {
  std::vector<std::string> names;
  std::map<std::string_view, size_t> column;  ///< category → share column (others → `other`)
  size_t other = SIZE_MAX;
};

category_columns choose_categories(const merged_log& log, int limit) {
  std::map<std::string_view, int128_t> totals;
  for (const auto& part : log.parts)
    for (const auto& s : part.spends.entries()) totals[s.category] += s.spend;
  std::vector<std::pair<std::string_view, int128_t>> order(totals.begin(), totals.end());
  std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  category_columns cc;
  const size_t kept = std::min(order.size(), static_cast<size_t>(std::max(limit, 0)));
  for (size_t i = 0; i < order.size(); ++i) {
    if (i < kept) {
      cc.column[order[i].first] = cc.names.size();
      cc.names.push_back("share_" + to_utf8(order[i].first.empty() ? std::string_view(missing_level) : order[i].first));
    } else {
      if (cc.other == SIZE_MAX) cc.other = kept;
      cc.column[order[i].first] = cc.other;
    }
  }
  if (cc.other != SIZE_MAX) cc.names.push_back("share_other");
  return cc;
}

}  // namespace

bool customer_id_less(std::string_view a, std::string_view b) {
  const bool da = all_digits(a);
  const bool db = all_digits(b);
  if (da != db) return da;
  if (da) {
    const std::string_view sa = a.substr(std::min(a.find_first_not_of('0'), a.size()));
    const std::string_view sb = b.substr(std::min(b.find_first_not_of('0'), b.size()));
    if (sa.size() != sb.size()) return sa.size() < sb.size();
    if (sa != sb) return sa < sb;
  }
  return a < b;
}

customer_table build_customer_table(const transaction_options& o, const merged_log& log, int32_t as_of,
                                    const std::string& id_column, transaction_summary& summary) {
  std::vector<customer_ref> refs;
  int64_t without_purchase_lines = 0;
  for (uint32_t p = 0; p < log.parts.size(); ++p) {
    const auto& entries = log.parts[p].customers.entries();
    summary.customers_seen += static_cast<int64_t>(entries.size());
    for (uint32_t i = 0; i < entries.size(); ++i) {
      const merged_customer& c = entries[i];
      if (c.first_day == INT32_MAX) {
        ++summary.customers_without_purchase;
        without_purchase_lines += c.lines;
        continue;
      }
      refs.push_back(make_ref(c, p, i));
      summary.purchase_lines += c.purchase_lines;
      summary.return_lines += c.return_lines;
    }
  }
  if (without_purchase_lines > 0) {
    summary.lines.reject("customer_without_purchase", without_purchase_lines);
    summary.lines.used -= without_purchase_lines;
  }
  std::sort(refs.begin(), refs.end(), ref_less);
  const size_t n = refs.size();
  summary.customers = static_cast<int64_t>(n);

  customer_table t;
  t.id_column = id_column;
  const bool by_invoice = o.columns.invoice.has_value();
  t.feature_names = {"recency_days", "frequency", "repeat_frequency", "monetary_total", "avg_order_value",
                     "tenure_days",  "avg_days_between", "return_rate"};
  if (o.columns.product) t.feature_names.push_back("distinct_products");
  category_columns cats;
  size_t share_base = 0;
  if (o.columns.category) {
    t.feature_names.push_back("distinct_categories");
    cats = choose_categories(log, o.max_category_shares);
    share_base = t.feature_names.size();
    t.feature_names.insert(t.feature_names.end(), cats.names.begin(), cats.names.end());
  }
  t.columns.assign(t.feature_names.size(), std::vector<double>(n, 0.0));
  t.ids.resize(n);
  t.first_purchase.resize(n);
  t.repeat_purchase_value.resize(n);
  t.last_purchase.resize(n);
  const double nan = std::numeric_limits<double>::quiet_NaN();
#pragma omp parallel for schedule(static)
  for (int64_t ii = 0; ii < static_cast<int64_t>(n); ++ii) {
    const auto i = static_cast<size_t>(ii);
    const merged_customer& c = *refs[i].c;
    const int128_t net = std::max<int128_t>(c.gross - c.returned, 0);
    const auto frequency = static_cast<double>(by_invoice ? c.invoices : c.purchase_days);
    const double monetary = to_double(net);
    t.ids[i] = to_utf8(c.id);
    t.first_purchase[i] = day_text(c.first_day);
    t.last_purchase[i] = day_text(c.last_day);
    t.columns[0][i] = as_of - c.last_day;
    t.columns[1][i] = frequency;
    t.columns[2][i] = static_cast<double>(c.purchase_days - 1);
    t.repeat_purchase_value[i] = c.purchase_days > 1 ? to_double(c.gross - c.first_day_gross) / static_cast<double>(c.purchase_days - 1) : 0.0;
    t.columns[3][i] = monetary;
    t.columns[4][i] = frequency > 0 ? monetary / frequency : 0.0;
    t.columns[5][i] = as_of - c.first_day;
    t.columns[6][i] = c.purchase_days > 1 ? static_cast<double>(c.last_day - c.first_day) / static_cast<double>(c.purchase_days - 1) : nan;
    t.columns[7][i] = c.gross > 0 ? to_double(c.returned) / to_double(c.gross) : 0.0;
    size_t next = 8;
    if (o.columns.product) t.columns[next++][i] = static_cast<double>(c.products);
    if (o.columns.category) t.columns[next][i] = static_cast<double>(c.categories);
  }
  if (o.columns.category) {
    // Shares: purchase value per category column over the customer's gross purchase value.
    std::vector<std::vector<int64_t>> row_of(log.parts.size());
    for (size_t p = 0; p < log.parts.size(); ++p) row_of[p].assign(log.parts[p].customers.size(), -1);
    for (size_t i = 0; i < n; ++i) row_of[refs[i].partition][refs[i].index] = static_cast<int64_t>(i);
    std::vector<std::vector<int128_t>> spend(cats.names.size(), std::vector<int128_t>(n, 0));
    for (size_t p = 0; p < log.parts.size(); ++p) {
      for (const auto& s : log.parts[p].spends.entries()) {
        const int64_t row = row_of[p][s.customer];
        if (row >= 0) spend[cats.column.at(s.category)][static_cast<size_t>(row)] += s.spend;
      }
    }
    for (size_t k = 0; k < cats.names.size(); ++k)
      for (size_t i = 0; i < n; ++i) {
        const int128_t gross = refs[i].c->gross;
        t.columns[share_base + k][i] = gross > 0 ? to_double(spend[k][i]) / to_double(gross) : 0.0;
      }
  }
  return t;
}

}  // namespace segmint::detail
