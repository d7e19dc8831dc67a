#pragma once
// Hashing and a small open-addressing index for the transaction aggregation: entries live in a dense
// vector in insertion order (so iterating them is deterministic), the table holds 32 hash bits and the
// entry number per slot, so most failed probes never touch an entry. Far faster than std::unordered_map
// for the millions of short keys (customer ids, invoices, lines) a transaction log has.
#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "int128.hpp"

namespace segmint::detail {

inline uint64_t mix64(uint64_t a, uint64_t b) {
  const uint128_t r = static_cast<uint128_t>(a) * b;
  return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}

/// A fast 64-bit string hash (wyhash-style multiply-fold): two independent lanes of 8 bytes, so the
/// multiply latency of one overlaps the other, and the tail read as one overlapping 8-byte word. Not for
/// adversarial keys; equal strings always hash equal, whatever the thread or chunk.
inline uint64_t hash_bytes(std::string_view s, uint64_t seed = 0) {
  constexpr uint64_t k0 = 0xa0761d6478bd642full;
  constexpr uint64_t k1 = 0xe7037ed1a0b428dbull;
  constexpr uint64_t k2 = 0x8ebc6af09c88c6e3ull;
  const char* p = s.data();
  const size_t n = s.size();
  auto word = [](const char* q) {
    uint64_t w;
    std::memcpy(&w, q, 8);
    return w;
  };
  uint64_t a = seed ^ k0 ^ (n * k1);
  if (n < 8) {
    uint64_t w = 0;
    for (size_t i = 0; i < n; ++i) w |= static_cast<uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
    return mix64(mix64(a ^ w, k1), k2);
  }
  uint64_t b = seed ^ k2;
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    a = mix64(a ^ word(p + i), k1);
    b = mix64(b ^ word(p + i + 8), k0);
  }
  if (i + 8 <= n) {
    a = mix64(a ^ word(p + i), k1);
    i += 8;
  }
  if (i < n) b = mix64(b ^ word(p + n - 8), k2);  // the last 8 bytes, overlapping what came before
  return mix64(a ^ (b * k0), k1 ^ k2);
}

/// Open-addressing index over a dense vector of entries. `Entry` needs a `uint64_t hash` member (kept for
/// rehashing); keys are compared by the caller's predicate, so any key type works.
template <class Entry>
class flat_index {
 public:
  explicit flat_index(size_t expected = 16) { reset(expected); }

  void reset(size_t expected) {
    entries_.clear();
    const size_t cap = std::bit_ceil(std::max<size_t>(16, expected * 2));
    slots_.assign(cap, 0);
    mask_ = cap - 1;
  }

  /// The entry with this hash for which `same(entry)` holds, or a new one made by `make()` (which must
  /// set its hash to `hash`). Returns its index and whether it was inserted.
  template <class Same, class Make>
  std::pair<uint32_t, bool> find_or_insert(uint64_t hash, Same&& same, Make&& make) {
    const auto tag = static_cast<uint32_t>(hash >> 32);
    for (size_t slot = hash & mask_;; slot = (slot + 1) & mask_) {
      const uint64_t s = slots_[slot];
      if (s == 0) {
        const auto index = static_cast<uint32_t>(entries_.size());
        entries_.push_back(make());
        slots_[slot] = (uint64_t{tag} << 32) | (uint64_t{index} + 1);
        if (entries_.size() * 2 > slots_.size()) grow();
        return {index, true};
      }
      if (static_cast<uint32_t>(s >> 32) == tag) {
        const auto index = static_cast<uint32_t>(s & 0xffffffffu) - 1;
        if (same(entries_[index])) return {index, false};
      }
    }
  }

  /// The index of the entry with this hash for which `same(entry)` holds, or -1.
  template <class Same>
  [[nodiscard]] int64_t find(uint64_t hash, Same&& same) const {
    const auto tag = static_cast<uint32_t>(hash >> 32);
    for (size_t slot = hash & mask_;; slot = (slot + 1) & mask_) {
      const uint64_t s = slots_[slot];
      if (s == 0) return -1;
      if (static_cast<uint32_t>(s >> 32) == tag) {
        const auto index = static_cast<uint32_t>(s & 0xffffffffu) - 1;
        if (same(entries_[index])) return index;
      }
    }
  }

  /// Starts loading the slot a lookup of `hash` will read first: the table of a parse chunk is larger
  /// than the L2 cache, so a probe issued early overlaps its miss with the work before the lookup.
  void prefetch(uint64_t hash) const { __builtin_prefetch(slots_.data() + (hash & mask_)); }

  [[nodiscard]] std::vector<Entry>& entries() { return entries_; }
  [[nodiscard]] const std::vector<Entry>& entries() const { return entries_; }
  [[nodiscard]] size_t size() const { return entries_.size(); }

 private:
  void grow() {
    slots_.assign(slots_.size() * 2, 0);
    mask_ = slots_.size() - 1;
    for (size_t i = 0; i < entries_.size(); ++i) {
      const uint64_t h = entries_[i].hash;
      size_t slot = h & mask_;
      while (slots_[slot] != 0) slot = (slot + 1) & mask_;
      slots_[slot] = ((h >> 32) << 32) | (uint64_t{static_cast<uint32_t>(i)} + 1);
    }
  }

  std::vector<Entry> entries_;
  std::vector<uint64_t> slots_;
  size_t mask_ = 0;
};

}  // namespace segmint::detail
