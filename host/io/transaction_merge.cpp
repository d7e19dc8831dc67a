#include "transaction_merge.hpp"

namespace segmint::detail {
namespace {

void merge_customers(const std::vector<chunk_result>& chunks, uint32_t p, partition_state& part, merged_log& log) {
  for (size_t c = 0; c < chunks.size(); ++c) {
    const chunk_result& r = chunks[c];
    for (uint32_t k = r.customer_at[p]; k < r.customer_at[p + 1]; ++k) {
      const uint32_t local = r.customer_order[k];
      const chunk_customer& cc = r.customers[local];
      const auto [g, inserted] = part.customers.find_or_insert(
          cc.hash, [&](const merged_customer& e) { return e.id == cc.id; },
          [&] {
            merged_customer m;
            m.hash = cc.hash;
            m.id = cc.id;
            return m;
          });
      merged_customer& m = part.customers.entries()[g];
      if (cc.first_day < m.first_day) m.first_day_gross = 0;
      if (cc.first_day <= m.first_day) m.first_day_gross += cc.first_day_gross;
      m.first_day = std::min(m.first_day, cc.first_day);
      m.last_day = std::max(m.last_day, cc.last_day);
      m.gross += cc.gross;
      m.returned += cc.returned;
      m.lines += cc.lines;
      m.purchase_lines += cc.purchase_lines;
      m.return_lines += cc.return_lines;
      log.customer_index[c][local] = g;
    }
  }
}

void merge_days(const std::vector<chunk_result>& chunks, uint32_t p, bool track, partition_state& part, const merged_log& log) {
  for (size_t c = 0; c < chunks.size(); ++c) {
    const chunk_result& r = chunks[c];
    for (uint32_t k = r.day_at[p]; k < r.day_at[p + 1]; ++k) {
      const chunk_day& d = r.days[k];
      const uint32_t g = log.customer_index[c][d.customer];
      const auto [i, inserted] = part.days.find_or_insert(
          d.hash, [&](const merged_day& e) { return e.customer == g && e.day == d.day; },
          [&] { return merged_day{d.hash, g, d.day, static_cast<uint32_t>(c), k, d.purchase, false}; });
      if (inserted) continue;
      merged_day& m = part.days.entries()[i];
      m.purchase = m.purchase || d.purchase;
      if (!track) continue;
      part.shared.push_back({static_cast<uint32_t>(c), k});
      if (!m.shared) {
        m.shared = true;
        part.shared.push_back({m.first_chunk, m.first_entry});
      }
    }
  }
  for (const auto& d : part.days.entries())
    if (d.purchase) ++part.customers.entries()[d.customer].purchase_days;
}

void merge_pairs(const std::vector<chunk_result>& chunks, uint32_t p, const std::vector<chunk_pair> chunk_result::*field,
                 const std::vector<uint32_t> chunk_result::*at, flat_index<merged_pair>& index, const merged_log& log) {
  for (size_t c = 0; c < chunks.size(); ++c) {
    const chunk_result& r = chunks[c];
    const auto& v = r.*field;
    for (uint32_t k = (r.*at)[p]; k < (r.*at)[p + 1]; ++k) {
      const chunk_pair& e = v[k];
      const uint32_t g = log.customer_index[c][e.customer];
      index.find_or_insert(e.hash, [&](const merged_pair& m) { return m.customer == g && m.value == e.value; },
                           [&] { return merged_pair{e.hash, g, e.value}; });
    }
  }
}

void merge_spends(const std::vector<chunk_result>& chunks, uint32_t p, partition_state& part, const merged_log& log) {
  for (size_t c = 0; c < chunks.size(); ++c) {
    const chunk_result& r = chunks[c];
    for (uint32_t k = r.spend_at[p]; k < r.spend_at[p + 1]; ++k) {
      const chunk_spend& e = r.spends[k];
      const uint32_t g = log.customer_index[c][e.customer];
      const auto [i, inserted] = part.spends.find_or_insert(
          e.hash, [&](const merged_spend& m) { return m.customer == g && m.category == e.category; },
          [&] { return merged_spend{e.hash, g, e.category, 0}; });
      part.spends.entries()[i].spend += e.spend;
    }
  }
  for (const auto& s : part.spends.entries()) ++part.customers.entries()[s.customer].categories;
}

}  // namespace

merged_log merge_chunks(const std::vector<chunk_result>& chunks, bool track_shared_days) {
  merged_log log;
  log.parts.resize(partitions);
  log.customer_index.resize(chunks.size());
  size_t customers = 0, days = 0, invoices = 0, products = 0;
  for (size_t c = 0; c < chunks.size(); ++c) {
    log.customer_index[c].assign(chunks[c].customers.size(), 0);
    customers += chunks[c].customers.size();
    days += chunks[c].days.size();
    invoices += chunks[c].invoices.size();
    products += chunks[c].products.size();
  }
#pragma omp parallel for schedule(dynamic, 1)
  for (int64_t pi = 0; pi < static_cast<int64_t>(partitions); ++pi) {
    const auto p = static_cast<uint32_t>(pi);
    partition_state& part = log.parts[p];
    part.customers.reset(customers / partitions / 2);
    part.days.reset(days / partitions);
    part.invoices.reset(invoices / partitions);
    part.products.reset(products / partitions);
    merge_customers(chunks, p, part, log);
    merge_days(chunks, p, track_shared_days, part, log);
    merge_pairs(chunks, p, &chunk_result::invoices, &chunk_result::invoice_at, part.invoices, log);
    for (const auto& e : part.invoices.entries()) ++part.customers.entries()[e.customer].invoices;
    merge_pairs(chunks, p, &chunk_result::products, &chunk_result::product_at, part.products, log);
    for (const auto& e : part.products.entries()) ++part.customers.entries()[e.customer].products;
    merge_spends(chunks, p, part, log);
  }
  return log;
}

}  // namespace segmint::detail
