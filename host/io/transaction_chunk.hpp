#pragma once
// Parsing one chunk of a transaction log into per-customer partial aggregates (run in parallel, one
// chunk per task). Everything a chunk produces is keyed by the customer's id hash, so the partials of all
// chunks can be merged by customer partition without any order dependence (see transaction_merge).
#include <cstdint>
#include <array>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "csv_record.hpp"
#include "flat_index.hpp"
#include "transaction_dates.hpp"
#include "transaction_input.hpp"
#include "transaction_values.hpp"

namespace segmint::detail {

/// Customers are merged in this many partitions (by the top bits of their id hash): fixed, so the work
/// split, and with it everything computed, does not depend on the thread count.
constexpr int partition_bits = 6;
constexpr uint32_t partitions = 1u << partition_bits;
inline uint32_t partition_of(uint64_t customer_hash) { return static_cast<uint32_t>(customer_hash >> (64 - partition_bits)); }

inline uint64_t day_key_hash(uint64_t customer_hash, int32_t day) {
  return mix64(customer_hash ^ (static_cast<uint64_t>(static_cast<uint32_t>(day)) * 0x9e3779b97f4a7c15ull), 0xd6e8feb86659fd93ull);
}
inline uint64_t pair_hash(uint64_t customer_hash, std::string_view value) { return hash_bytes(value, customer_hash); }

/// Settings shared by every chunk.
struct parse_settings {
  const transaction_options* options = nullptr;
  const date_parser* dates = nullptr;
  std::optional<int32_t> as_of;  ///< lines dated on or after it are rejected
};

/// Why a line is not used (the ledger's reasons; customer_without_purchase is decided after the merge).
enum class reject : uint8_t {
  wrong_field_count,
  malformed_quotes,
  missing_customer_id,
  bad_date,
  bad_amount,
  bad_quantity,
  bad_price,
  missing_invoice,
  on_or_after_as_of,
  duplicate_line,
  count_
};
constexpr const char* reject_names[] = {"wrong_field_count", "malformed_quotes", "missing_customer_id", "bad_date",
                                        "bad_amount",        "bad_quantity",     "bad_price",           "missing_invoice",
                                        "on_or_after_as_of", "duplicate_line"};
constexpr size_t reject_count = static_cast<size_t>(reject::count_);

/// Facts about well-formed lines, used or not (they are not rejections).
struct line_facts {
  int64_t cancellation_lines = 0;       ///< invoice starting with 'C'
  int64_t negative_quantity_lines = 0;  ///< with --quantity
  int64_t negative_amount_lines = 0;    ///< with --amount
};

/// One usable line, as the aggregation sees it.
struct parsed_line {
  std::string_view customer;  ///< normalised id
  int32_t day = 0;
  int64_t amount = 0;  ///< micro-units, negative for returns and cancellations
  bool is_return = false;
  std::string_view invoice;
  std::string_view product;
  std::string_view category;
};

struct chunk_customer {
  uint64_t hash = 0;
  std::string_view id;
  int32_t first_day = INT32_MAX;  ///< of purchase lines
  int32_t last_day = INT32_MIN;
  int128_t gross = 0;     ///< purchase lines, micro-units
  int128_t returned = 0;  ///< returns and cancellations, as a positive amount
  int128_t first_day_gross = 0;  ///< purchase lines on first_day (what lifetimes' monetary value leaves out)
  int64_t lines = 0;
  int64_t purchase_lines = 0;
  int64_t return_lines = 0;
};

/// A customer-day of the chunk: purchase days are counted from these, and the byte range of its lines
/// lets the rare cross-chunk duplicate check re-read just those lines.
struct chunk_day {
  uint64_t hash = 0;
  uint32_t customer = 0;  ///< index into chunk_result::customers
  int32_t day = 0;
  size_t first = 0;  ///< body offsets: start of its first line, end of its last line
  size_t end = 0;
  bool purchase = false;
};

/// A distinct (customer, value) pair: invoices and products of purchase lines.
struct chunk_pair {
  uint64_t hash = 0;
  uint32_t customer = 0;
  std::string_view value;
};

/// Purchase value per (customer, category).
struct chunk_spend {
  uint64_t hash = 0;
  uint32_t customer = 0;
  std::string_view category;
  int128_t spend = 0;
};

struct pending_error {
  reject reason = reject::count_;
  int64_t rel_line = 0;  ///< line breaks before the record, counted from the chunk start
  int64_t column = 0;    ///< 1-based, 0 = the whole line
  std::string column_name;
  std::string message;
};

struct chunk_result {
  std::vector<chunk_customer> customers;
  std::vector<chunk_day> days;
  std::vector<chunk_pair> invoices;
  std::vector<chunk_pair> products;
  std::vector<chunk_spend> spends;
  /// Per partition, the customers (indices) and the [offset, next offset) ranges of the vectors above,
  /// which are ordered by partition when the chunk is done.
  std::vector<uint32_t> customer_order;
  std::vector<uint32_t> customer_at, day_at, invoice_at, product_at, spend_at;  // partitions + 1 each

  int64_t read = 0;
  int64_t used = 0;
  int64_t blank = 0;
  int64_t newlines = 0;
  std::array<int64_t, reject_count> rejected{};
  line_facts facts;
  int32_t min_day = INT32_MAX;  ///< over used lines
  int32_t max_day = INT32_MIN;
  bool open_quote_at_end = false;  ///< the last record's quoted field runs past the chunk end
  std::optional<pending_error> error;
  std::deque<std::string> owned;  ///< unescaped quoted values that views point into
};

struct money_fields;

/// Reads one record's fields into a parsed_line, or says why the line cannot be used.
class line_reader {
 public:
  line_reader(const parse_settings& s, const transaction_file& f) : s_(s), f_(f) {}

  /// On success returns true and fills `out`. Otherwise returns false with `why` set and, for bad data
  /// (as opposed to a policy rejection such as a missing id), `error` filled when given. Facts
  /// (cancellation and negative-quantity lines) are counted for every line with the right field count.
  bool read(std::span<const csv_field> fields, const record_status& st, parsed_line& out, reject& why,
            pending_error* error, line_facts* facts, std::deque<std::string>& owned);

 private:
  std::string_view value(const csv_field& field, std::deque<std::string>& owned);
  bool read_day(const csv_field& field, int32_t& day, reject& why, pending_error* error, std::deque<std::string>& owned);
  bool read_amount(const money_fields& mf, int64_t& micro, reject& why, pending_error* error);
  bool bad(reject reason, int column, const std::string& message, reject& why, pending_error* error);
  bool refuse(reject reason, reject& why) {
    why = reason;
    return false;
  }

  const parse_settings& s_;
  const transaction_file& f_;
  std::string_view last_date_text_;  // consecutive lines mostly repeat the date: parse it once
  int32_t last_day_ = 0;
  bool have_last_date_ = false;
};

/// Parses body bytes [c.begin, c.end) of its file. Stops at the first bad line under on_bad_row=fail.
chunk_result parse_transaction_chunk(const parse_settings& s, const transaction_file& f, const parse_chunk& c);

/// True when the record is an empty or blank line (skipped and counted, not a row).
inline bool is_blank(std::span<const csv_field> fields) {
  if (fields.size() != 1 || fields[0].quoted) return false;
  for (char c : fields[0].text)
    if (c != ' ' && c != '\t' && c != '\r') return false;
  return true;
}

/// The byte range of a record without its line break (what "an exact duplicate line" compares).
inline std::string_view record_text(const char* begin, const char* next) {
  const char* e = next;
  if (e > begin && e[-1] == '\n') --e;
  if (e > begin && e[-1] == '\r') --e;
  return std::string_view(begin, static_cast<size_t>(e - begin));
}

}  // namespace segmint::detail
