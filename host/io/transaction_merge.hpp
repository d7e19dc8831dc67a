#pragma once
// Merging the per-chunk partials into one aggregate per customer. Work is split by customer partition
// (the top bits of the id hash, a fixed number of them) and each partition reads the chunks in file order,
// so the result depends on the data only. Counts are set sizes and money sums are exact integers, so the
// result would not change with any other order either.
#include <vector>

#include "transaction_chunk.hpp"

namespace segmint::detail {

struct merged_customer {
  uint64_t hash = 0;
  std::string_view id;
  int32_t first_day = INT32_MAX;  ///< of purchase lines
  int32_t last_day = INT32_MIN;
  int128_t gross = 0;
  int128_t returned = 0;
  int128_t first_day_gross = 0;  ///< purchase lines on first_day
  int64_t lines = 0;
  int64_t purchase_lines = 0;
  int64_t return_lines = 0;
  int64_t purchase_days = 0;
  int64_t invoices = 0;  ///< distinct invoices with a purchase line
  int64_t products = 0;
  int64_t categories = 0;
};

struct merged_day {
  uint64_t hash = 0;
  uint32_t customer = 0;
  int32_t day = 0;
  uint32_t first_chunk = 0;  ///< the first chunk with this customer-day, and its entry there
  uint32_t first_entry = 0;
  bool purchase = false;
  bool shared = false;  ///< also in a later chunk: a duplicate line may hide across the chunk boundary
};

struct merged_pair {
  uint64_t hash = 0;
  uint32_t customer = 0;
  std::string_view value;
};

struct merged_spend {
  uint64_t hash = 0;
  uint32_t customer = 0;
  std::string_view category;
  int128_t spend = 0;
};

/// A customer-day entry of one chunk that another chunk shares.
struct shared_day {
  uint32_t chunk = 0;
  uint32_t entry = 0;  ///< index into chunk_result::days
};

struct partition_state {
  flat_index<merged_customer> customers;
  flat_index<merged_day> days;
  flat_index<merged_pair> invoices;
  flat_index<merged_pair> products;
  flat_index<merged_spend> spends;
  std::vector<shared_day> shared;
};

struct merged_log {
  std::vector<partition_state> parts;                  ///< `partitions` of them
  std::vector<std::vector<uint32_t>> customer_index;  ///< [chunk][local customer] → index in its partition

  merged_customer& customer_of(const std::vector<chunk_result>& chunks, uint32_t chunk, uint32_t local) {
    const uint32_t p = partition_of(chunks[chunk].customers[local].hash);
    return parts[p].customers.entries()[customer_index[chunk][local]];
  }
};

/// Merges all chunks (in parallel over partitions). With `track_shared_days`, customer-days that occur
/// in more than one chunk are listed for the cross-chunk duplicate check.
merged_log merge_chunks(const std::vector<chunk_result>& chunks, bool track_shared_days);

struct duplicate_removal {
  int64_t lines = 0;
  int64_t purchase_lines = 0;
  int64_t return_lines = 0;
};

/// Exact duplicate lines in different chunks (each chunk already dropped its own): re-reads only the lines
/// of customer-days shared by several chunks, and takes all but the first copy back out of the aggregates.
/// With exact integer sums, taking a line out leaves the same result as never adding it.
duplicate_removal remove_cross_chunk_duplicates(const parse_settings& s, const std::vector<transaction_file>& files,
                                                const std::vector<parse_chunk>& chunks,
                                                const std::vector<chunk_result>& results, merged_log& log);

}  // namespace segmint::detail
