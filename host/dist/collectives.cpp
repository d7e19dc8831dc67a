#include "collectives.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <set>

#include "bytes.hpp"

namespace segmint::detail {
namespace {

/// Order-preserving map from float to uint32 (for finite values and infinities).
uint32_t key_of(float f) {
  uint32_t u = 0;
  std::memcpy(&u, &f, sizeof u);
  return (u & 0x80000000u) ? ~u : (u | 0x80000000u);
}

float float_of(uint32_t k) {
  const uint32_t u = (k & 0x80000000u) ? (k & 0x7FFFFFFFu) : ~k;
  float f = 0;
  std::memcpy(&f, &u, sizeof f);
  return f;
}

uint64_t fnv1a(const std::string& s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

struct id_record {
  uint64_t h1;
  uint64_t h2;
  int64_t row;
};

}  // namespace

std::vector<float> global_kth(const std::vector<std::vector<float>>& sets, const std::vector<int64_t>& ks,
                              const communicator& comm) {
  const size_t m = sets.size();
  std::vector<int64_t> sizes(m);
  for (size_t i = 0; i < m; ++i) sizes[i] = static_cast<int64_t>(sets[i].size());
  comm.sum(std::span<int64_t>(sizes));
  std::vector<uint64_t> lo(m, 0);
  std::vector<uint64_t> hi(m, 0xFFFFFFFFull);
  for (int step = 0; step < 33; ++step) {  // the smallest key whose count of values ≤ key exceeds k
    bool open = false;
    std::vector<int64_t> counts(m, 0);
    std::vector<uint64_t> mid(m, 0);
    for (size_t i = 0; i < m; ++i) {
      if (lo[i] >= hi[i]) continue;
      open = true;
      mid[i] = lo[i] + (hi[i] - lo[i]) / 2;
      for (float v : sets[i]) counts[i] += key_of(v) <= mid[i];
    }
    if (!open) break;
    comm.sum(std::span<int64_t>(counts));
    for (size_t i = 0; i < m; ++i) {
      if (lo[i] >= hi[i]) continue;
      if (counts[i] > ks[i]) hi[i] = mid[i];
      else lo[i] = mid[i] + 1;
    }
  }
  std::vector<float> out(m);
  for (size_t i = 0; i < m; ++i)
    out[i] = sizes[i] > ks[i] && ks[i] >= 0 ? float_of(static_cast<uint32_t>(lo[i])) : std::numeric_limits<float>::quiet_NaN();
  return out;
}

std::vector<double> global_medians(const std::vector<std::vector<float>>& sets, const communicator& comm) {
  std::vector<int64_t> sizes(sets.size());
  for (size_t i = 0; i < sets.size(); ++i) sizes[i] = static_cast<int64_t>(sets[i].size());
  comm.sum(std::span<int64_t>(sizes));
  std::vector<int64_t> low(sets.size());
  std::vector<int64_t> high(sets.size());
  for (size_t i = 0; i < sets.size(); ++i) {
    low[i] = sizes[i] > 0 ? (sizes[i] - 1) / 2 : -1;
    high[i] = sizes[i] > 0 ? sizes[i] / 2 : -1;
  }
  std::vector<std::vector<float>> both(sets);
  both.insert(both.end(), sets.begin(), sets.end());
  std::vector<int64_t> ks(low);
  ks.insert(ks.end(), high.begin(), high.end());
  const std::vector<float> v = global_kth(both, ks, comm);
  std::vector<double> out(sets.size());
  for (size_t i = 0; i < sets.size(); ++i)
    out[i] = sizes[i] == 0 ? std::numeric_limits<double>::quiet_NaN()
                           : (static_cast<double>(v[i]) + static_cast<double>(v[sets.size() + i])) / 2.0;
  return out;
}

std::vector<int64_t> global_earlier_duplicates(const std::vector<std::string>& values, int64_t first_row,
                                               const communicator& comm) {
  const auto p = static_cast<uint64_t>(comm.size());
  std::vector<std::vector<id_record>> outgoing(p);
  for (size_t i = 0; i < values.size(); ++i) {
    const id_record r{std::hash<std::string>{}(values[i]), fnv1a(values[i]), first_row + static_cast<int64_t>(i)};
    outgoing[r.h1 % p].push_back(r);
  }
  std::vector<std::string> send;
  for (const auto& o : outgoing) send.push_back(to_bytes(o));
  // The owner of each hash sees every row with it and answers each row with its first occurrence.
  std::vector<id_record> mine;
  for (const auto& b : comm.alltoall(send)) {
    const auto part = from_bytes<id_record>(b);
    mine.insert(mine.end(), part.begin(), part.end());
  }
  std::sort(mine.begin(), mine.end(), [](const id_record& a, const id_record& b) {
    return a.h1 != b.h1 ? a.h1 < b.h1 : (a.h2 != b.h2 ? a.h2 < b.h2 : a.row < b.row);
  });
  std::vector<std::vector<int64_t>> answers(p);  // pairs (row, first row) back to the row's owner
  const auto owners = comm.allgather(first_row);
  auto owner_of = [&](int64_t row) {
    size_t r = 0;
    while (r + 1 < owners.size() && owners[r + 1] <= row) ++r;
    return r;
  };
  size_t first = 0;
  for (size_t i = 1; i < mine.size(); ++i) {
    if (mine[i].h1 != mine[first].h1 || mine[i].h2 != mine[first].h2) {
      first = i;
      continue;
    }
    auto& a = answers[owner_of(mine[i].row)];
    a.push_back(mine[i].row);
    a.push_back(mine[first].row);
  }
  std::vector<std::string> back;
  for (const auto& a : answers) back.push_back(to_bytes(a));
  std::vector<int64_t> out(values.size(), -1);
  for (const auto& b : comm.alltoall(back)) {
    const auto pairs = from_bytes<int64_t>(b);
    for (size_t i = 0; i + 1 < pairs.size(); i += 2) out[static_cast<size_t>(pairs[i] - first_row)] = pairs[i + 1];
  }
  return out;
}

std::vector<std::string> global_union(const std::vector<std::string>& mine, const communicator& comm) {
  std::string packed;
  for (const auto& s : mine) {
    const auto n = static_cast<uint64_t>(s.size());
    packed.append(reinterpret_cast<const char*>(&n), sizeof n);
    packed += s;
  }
  std::set<std::string> all(mine.begin(), mine.end());
  for (const auto& b : comm.allgather(packed)) {
    size_t p = 0;
    while (p + sizeof(uint64_t) <= b.size()) {
      uint64_t n = 0;
      std::memcpy(&n, b.data() + p, sizeof n);
      p += sizeof n;
      all.insert(b.substr(p, n));
      p += n;
    }
  }
  return {all.begin(), all.end()};
}

row_ledger global_ledger(const row_ledger& mine, const communicator& comm) {
  std::vector<std::string> reasons;
  for (const auto& [reason, count] : mine.rejected) reasons.push_back(reason);
  reasons = global_union(reasons, comm);
  std::vector<int64_t> counts{mine.read, mine.used};
  for (const auto& r : reasons) counts.push_back(mine.rejected.count(r) ? mine.rejected.at(r) : 0);
  comm.sum(std::span<int64_t>(counts));
  row_ledger out;
  out.read = counts[0];
  out.used = counts[1];
  for (size_t i = 0; i < reasons.size(); ++i)
    if (counts[i + 2] > 0) out.rejected[reasons[i]] = counts[i + 2];
  return out;
}

}  // namespace segmint::detail
