#pragma once
// Per-customer features from the merged aggregates (definitions in README, "From a transaction log").
#include "segmint/transactions.hpp"
#include "transaction_merge.hpp"

namespace segmint::detail {

/// Builds the customer table: customers with at least one purchase line, sorted by id (all-digit ids by
/// numeric value, before other ids, which sort bytewise). Customers with only returns are counted in
/// `summary` and their lines rejected as customer_without_purchase.
customer_table build_customer_table(const transaction_options& o, const merged_log& log, int32_t as_of,
                                    const std::string& id_column, transaction_summary& summary);

/// The order of customer ids in the table.
bool customer_id_less(std::string_view a, std::string_view b);

}  // namespace segmint::detail
