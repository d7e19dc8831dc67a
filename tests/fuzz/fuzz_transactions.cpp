// libFuzzer target: the transaction-log reader (customer features) on arbitrary bytes, written to a file in
// memory-backed /dev/shm (the reader maps files). The first byte picks the options (column layout, bad-row
// policy, duplicates, whitespace logs); the rest is the log. Invariants on success: the line ledger balances
// and every customer has one value per feature. Any exception other than segmint::error is a bug.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "segmint/error.hpp"
#include "segmint/transactions.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const std::string path = "/dev/shm/segmint-fuzz-log-" + std::to_string(::getpid()) + ".csv";
  if (FILE* f = std::fopen(path.c_str(), "wb")) {
    std::fwrite(data + 1, 1, size - 1, f);
    std::fclose(f);
  } else {
    return 0;
  }
  const uint8_t flags = data[0];
  segmint::transaction_options o;
  o.files = {path};
  o.on_bad_row = (flags & 1) ? segmint::bad_row_policy::skip : segmint::bad_row_policy::fail;
  o.keep_duplicates = (flags & 2) != 0;
  if (flags & 4) {  // headerless, whitespace-separated (the CDNOW layout): columns by number
    o.header = false;
    o.whitespace_delimited = true;
    o.columns.customer = "1";
    o.columns.date = "2";
    o.columns.quantity = "3";
    o.columns.amount = "4";
    o.date_format = (flags & 8) ? "%Y%m%d" : "";
  } else {  // the Online Retail layout
    o.columns.customer = "CustomerID";
    o.columns.date = "InvoiceDate";
    if (flags & 8) {
      o.columns.amount = "Amount";
    } else {
      o.columns.quantity = "Quantity";
      o.columns.price = "UnitPrice";
    }
    if (flags & 16) o.columns.invoice = "InvoiceNo";
    if (flags & 32) o.columns.category = "Category";
  }
  try {
    const auto t = segmint::compute_customer_features(o);
    if (!t.summary.lines.balanced()) __builtin_trap();
    for (const auto& c : t.columns)
      if (static_cast<int64_t>(c.size()) != t.rows()) __builtin_trap();
  } catch (const segmint::error&) {
  }
  return 0;
}
