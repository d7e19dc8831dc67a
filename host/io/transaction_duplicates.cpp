// The cross-chunk half of the duplicate-line policy (each chunk drops its own repeats while parsing).
#include <algorithm>

#include "transaction_merge.hpp"

namespace segmint::detail {
namespace {

struct key_entry {
  uint64_t hash = 0;
  std::string_view id;
  int32_t day = 0;
  uint32_t local = 0;
};

struct line_copy {
  uint64_t hash = 0;
  std::string_view text;
  uint32_t chunk = 0;
  uint32_t local = 0;  ///< the chunk's customer
  int64_t amount = 0;
  int32_t day = 0;
  bool is_return = false;
  std::string_view category;
};

struct text_entry {
  uint64_t hash = 0;
  std::string_view text;
};

/// The first copy (within the chunk) of every used line of the chunk's shared customer-days.
std::vector<line_copy> rescan_chunk(const parse_settings& s, const transaction_file& f, uint32_t chunk_index,
                                    const chunk_result& r, const std::vector<uint32_t>& entries) {
  flat_index<key_entry> keys(entries.size());
  std::vector<std::pair<size_t, size_t>> ranges;
  for (uint32_t e : entries) {
    const chunk_day& d = r.days[e];
    const chunk_customer& c = r.customers[d.customer];
    keys.find_or_insert(d.hash, [&](const key_entry& k) { return k.id == c.id && k.day == d.day; },
                        [&] { return key_entry{d.hash, c.id, d.day, d.customer}; });
    ranges.emplace_back(d.first, d.end);
  }
  std::sort(ranges.begin(), ranges.end());
  std::vector<std::pair<size_t, size_t>> merged;
  for (const auto& rg : ranges) {
    if (!merged.empty() && rg.first <= merged.back().second) merged.back().second = std::max(merged.back().second, rg.second);
    else merged.push_back(rg);
  }
  line_reader reader(s, f);
  std::deque<std::string> owned;
  std::vector<csv_field> fields;
  record_status st;
  parsed_line line;
  flat_index<text_entry> seen(1024);
  std::vector<line_copy> out;
  const char* base = f.body.data();
  for (const auto& [b, e] : merged) {
    for (const char* p = base + b; p < base + e;) {
      const char* start = p;
      p = split_record(f, p, base + e, fields, st);
      reject why = reject::count_;
      if (is_blank_record(fields) || !reader.read(fields, st, line, why, nullptr, nullptr, owned)) continue;
      const uint64_t kh = day_key_hash(hash_bytes(line.customer), line.day);
      const int64_t k = keys.find(kh, [&](const key_entry& x) { return x.id == line.customer && x.day == line.day; });
      if (k < 0) continue;
      const std::string_view text = record_text(start, p);
      const uint64_t h = hash_bytes(text);
      if (!seen.find_or_insert(h, [&](const text_entry& x) { return x.text == text; }, [&] { return text_entry{h, text}; }).second)
        continue;
      out.push_back({h, text, chunk_index, keys.entries()[static_cast<size_t>(k)].local, line.amount, line.day, line.is_return, line.category});
    }
  }
  return out;
}

}  // namespace

duplicate_removal remove_cross_chunk_duplicates(const parse_settings& s, const std::vector<transaction_file>& files,
                                                const std::vector<parse_chunk>& chunks,
                                                const std::vector<chunk_result>& results, merged_log& log) {
  duplicate_removal removed;
  std::vector<shared_day> shared;
  for (const auto& part : log.parts) shared.insert(shared.end(), part.shared.begin(), part.shared.end());
  if (shared.empty()) return removed;
  std::sort(shared.begin(), shared.end(), [](const shared_day& a, const shared_day& b) {
    return a.chunk != b.chunk ? a.chunk < b.chunk : a.entry < b.entry;
  });
  std::vector<uint32_t> chunk_ids;
  std::vector<std::vector<uint32_t>> entries;
  for (const auto& sd : shared) {
    if (chunk_ids.empty() || chunk_ids.back() != sd.chunk) {
      chunk_ids.push_back(sd.chunk);
      entries.emplace_back();
    }
    entries.back().push_back(sd.entry);
  }
  std::vector<std::vector<line_copy>> copies(chunk_ids.size());
  const auto n = static_cast<int64_t>(chunk_ids.size());
#pragma omp parallel for schedule(dynamic, 1)
  for (int64_t i = 0; i < n; ++i) {
    const uint32_t c = chunk_ids[static_cast<size_t>(i)];
    copies[static_cast<size_t>(i)] = rescan_chunk(s, files[chunks[c].file], c, results[c], entries[static_cast<size_t>(i)]);
  }
  std::vector<line_copy> all;
  for (auto& v : copies) all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end(), [](const line_copy& a, const line_copy& b) {
    if (a.hash != b.hash) return a.hash < b.hash;
    if (a.text != b.text) return a.text < b.text;
    return a.chunk < b.chunk;
  });
  for (size_t i = 1; i < all.size(); ++i) {
    const line_copy& x = all[i];
    if (x.hash != all[i - 1].hash || x.text != all[i - 1].text) continue;
    // A later copy of a line already counted in an earlier chunk: take it back out.
    merged_customer& m = log.customer_of(results, x.chunk, x.local);
    --m.lines;
    ++removed.lines;
    if (x.is_return) {
      m.returned += x.amount;  // amount is negative
      --m.return_lines;
      ++removed.return_lines;
      continue;
    }
    m.gross -= x.amount;
    if (x.day == m.first_day) m.first_day_gross -= x.amount;
    --m.purchase_lines;
    ++removed.purchase_lines;
    if (s.options->columns.category) {
      partition_state& part = log.parts[partition_of(m.hash)];
      const uint32_t g = log.customer_index[x.chunk][x.local];
      const uint64_t h = pair_hash(m.hash, x.category);
      const int64_t k = part.spends.find(h, [&](const merged_spend& e) { return e.customer == g && e.category == x.category; });
      if (k >= 0) part.spends.entries()[static_cast<size_t>(k)].spend -= x.amount;
    }
  }
  return removed;
}

}  // namespace segmint::detail
