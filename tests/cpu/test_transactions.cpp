// Transaction logs with known answers: returns, cancellations, duplicates, missing ids, float ids, several
// files, gzip, date formats, delimiters, bad lines, and chunk boundaries.
#include <gtest/gtest.h>
#include <omp.h>
#include <zlib.h>

#include <cmath>
#include <cstring>

#include "../../host/io/transaction_input.hpp"
#include "../support/test_support.hpp"
#include "segmint/error.hpp"
#include "segmint/transactions.hpp"

using namespace segmint;
using segmint::test::temp_dir;

namespace {

/// Bitwise equality of feature columns (NaN marks undefined values and must match NaN).
bool same_bits(const std::vector<std::vector<double>>& a, const std::vector<std::vector<double>>& b) {
  if (a.size() != b.size()) return false;
  for (size_t j = 0; j < a.size(); ++j)
    if (a[j].size() != b[j].size() || std::memcmp(a[j].data(), b[j].data(), a[j].size() * sizeof(double)) != 0) return false;
  return true;
}

const std::string header = "InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n";
// Customer 100: two purchase days (3 and 20 Jan), one cancellation, one exact duplicate line.
// Customer 200: two purchase days, one of them a free item. Customer 300: only a return.
const std::string body =
    "1001,A,2,2011-01-03 10:00:00,5.00,100.0,UK\n"
    "1001,B,1,2011-01-03 10:00:00,2.50,100.0,UK\n"
    "1001,B,1,2011-01-03 10:00:00,2.50,100.0,UK\n"
    "1002,A,1,2011-01-10 09:00:00,5.00,,UK\n"
    "1003,C,4,2011-01-10 11:00:00,1.25,200,FR\n"
    "C1004,A,-1,2011-01-12 12:00:00,5.00,100.0,UK\n"
    "1005,A,3,2011-01-20 10:00:00,5.00,100.0,UK\n"
    "1006,B,-2,2011-01-21 10:00:00,2.50,300,UK\n"
    "1007,A,1,2011-01-25 10:00:00,0,200,FR\n";

transaction_options retail(const std::vector<std::string>& files) {
  transaction_options o;
  o.files = files;
  o.columns.customer = "CustomerID";
  o.columns.date = "InvoiceDate";
  o.columns.quantity = "Quantity";
  o.columns.price = "UnitPrice";
  o.columns.invoice = "InvoiceNo";
  return o;
}

size_t row(const customer_table& t, const std::string& id) {
  for (size_t i = 0; i < t.ids.size(); ++i)
    if (t.ids[i] == id) return i;
  throw std::runtime_error("no customer " + id);
}

double value(const customer_table& t, const std::string& id, const std::string& feature) {
  const auto* col = t.find(feature);
  if (col == nullptr) throw std::runtime_error("no feature " + feature);
  for (size_t i = 0; i < t.ids.size(); ++i)
    if (t.ids[i] == id) return (*col)[i];
  throw std::runtime_error("no customer " + id);
}

int64_t rejected(const transaction_summary& s, const std::string& reason) {
  const auto it = s.lines.rejected.find(reason);
  return it == s.lines.rejected.end() ? 0 : it->second;
}

std::string error_of(const transaction_options& o) {
  try {
    compute_customer_features(o);
  } catch (const input_error& e) {
    return e.what();
  }
  return "no error";
}

void write_gzip(const std::string& path, const std::string& content) {
  gzFile g = gzopen(path.c_str(), "wb");
  ASSERT_NE(g, nullptr);
  ASSERT_EQ(gzwrite(g, content.data(), static_cast<unsigned>(content.size())), static_cast<int>(content.size()));
  gzclose(g);
}

TEST(Transactions, KnownAnswersWithReturnsCancellationsDuplicatesAndMissingIds) {
  temp_dir d;
  const auto t = compute_customer_features(retail({d.write("log.csv", header + body)}));
  EXPECT_EQ(t.id_column, "CustomerID");
  EXPECT_EQ(t.ids, (std::vector<std::string>{"100", "200"}));  // "100.0" is customer 100; 300 has no purchase
  EXPECT_EQ(t.summary.as_of, "2011-01-26");  // the day after the last transaction (25 January)
  EXPECT_TRUE(t.summary.as_of_default);
  EXPECT_EQ(value(t, "100", "recency_days"), 6);
  EXPECT_EQ(value(t, "100", "tenure_days"), 23);
  EXPECT_EQ(value(t, "100", "frequency"), 2);  // invoices 1001 and 1005; C1004 is no order
  EXPECT_EQ(value(t, "100", "repeat_frequency"), 1);
  EXPECT_EQ(value(t, "100", "monetary_total"), 22.5);  // 10 + 2.5 + 15 - 5 (the duplicate 2.5 is dropped)
  EXPECT_EQ(value(t, "100", "avg_order_value"), 11.25);
  EXPECT_EQ(value(t, "100", "avg_days_between"), 17);
  EXPECT_DOUBLE_EQ(value(t, "100", "return_rate"), 5.0 / 27.5);
  EXPECT_EQ(value(t, "200", "recency_days"), 1);
  EXPECT_EQ(value(t, "200", "frequency"), 2);  // the free item is an order too
  EXPECT_EQ(value(t, "200", "monetary_total"), 5);
  EXPECT_EQ(value(t, "200", "return_rate"), 0);
  EXPECT_EQ(t.repeat_purchase_value, (std::vector<double>{15, 0}));  // the value after each first purchase day
  EXPECT_EQ(t.first_purchase[0], "2011-01-03");
  EXPECT_EQ(t.last_purchase[0], "2011-01-20");

  const auto& s = t.summary;
  EXPECT_EQ(s.lines.read, 9);
  EXPECT_EQ(s.lines.used, 6);
  EXPECT_EQ(rejected(s, "missing_customer_id"), 1);
  EXPECT_EQ(rejected(s, "duplicate_line"), 1);
  EXPECT_EQ(rejected(s, "customer_without_purchase"), 1);
  EXPECT_TRUE(s.lines.balanced());
  EXPECT_EQ(s.facts.at("cancellation_lines"), 1);
  EXPECT_EQ(s.facts.at("negative_quantity_lines"), 2);
  EXPECT_EQ(s.purchase_lines, 5);
  EXPECT_EQ(s.return_lines, 1);
  EXPECT_EQ(s.customers_seen, 3);
  EXPECT_EQ(s.customers_without_purchase, 1);
  EXPECT_EQ(s.header_lines, 1);
  EXPECT_EQ(s.warnings.size(), 2u);  // duplicates dropped, a customer without purchase: never silent
}

TEST(Transactions, WithoutInvoiceFrequencyCountsPurchaseDays) {
  temp_dir d;
  auto o = retail({d.write("log.csv", header + body)});
  o.columns.invoice.reset();
  const auto t = compute_customer_features(o);
  EXPECT_EQ(value(t, "100", "frequency"), 2);  // 3 and 20 January
  EXPECT_EQ(t.summary.facts.count("cancellation_lines"), 0u);
  // Without invoices a cancellation is still a negative quantity: netted the same way.
  EXPECT_EQ(value(t, "100", "monetary_total"), 22.5);
}

TEST(Transactions, KeepDuplicatesAndAsOf) {
  temp_dir d;
  const std::string path = d.write("log.csv", header + body);
  auto o = retail({path});
  o.keep_duplicates = true;
  auto t = compute_customer_features(o);
  EXPECT_EQ(value(t, "100", "monetary_total"), 25);
  EXPECT_EQ(rejected(t.summary, "duplicate_line"), 0);

  o = retail({path});
  o.as_of = "2011-01-15";  // the first day not observed
  t = compute_customer_features(o);
  EXPECT_EQ(t.summary.as_of, "2011-01-15");
  EXPECT_FALSE(t.summary.as_of_default);
  EXPECT_EQ(rejected(t.summary, "on_or_after_as_of"), 3);
  EXPECT_EQ(value(t, "100", "recency_days"), 12);
  EXPECT_EQ(value(t, "100", "monetary_total"), 7.5);  // 10 + 2.5 - 5
  EXPECT_EQ(value(t, "200", "tenure_days"), 5);
  EXPECT_EQ(t.summary.customers_seen, 2);
  EXPECT_TRUE(t.summary.lines.balanced());

  o.as_of = "15/01/2011";
  EXPECT_NE(error_of(o).find("--as-of '15/01/2011': write the date as YYYY-MM-DD"), std::string::npos);
}

TEST(Transactions, ProductsCategoriesAndShares) {
  temp_dir d;
  auto o = retail({d.write("log.csv", header + body)});
  o.columns.product = "StockCode";
  o.columns.category = "Country";
  auto t = compute_customer_features(o);
  EXPECT_EQ(value(t, "100", "distinct_products"), 2);  // A and B (returns do not count)
  EXPECT_EQ(value(t, "100", "distinct_categories"), 1);
  EXPECT_EQ(value(t, "100", "share_UK"), 1);
  EXPECT_EQ(value(t, "100", "share_FR"), 0);
  EXPECT_EQ(value(t, "200", "share_FR"), 1);
  EXPECT_EQ(t.feature_names.back(), "share_FR");  // columns by total spend: UK 27.5, FR 5
  o.max_category_shares = 1;
  t = compute_customer_features(o);
  EXPECT_EQ(t.find("share_FR"), nullptr);
  EXPECT_EQ(value(t, "200", "share_other"), 1);
}

TEST(Transactions, TwoFilesOneGzippedWithAnotherColumnOrderGiveTheSameTable) {
  temp_dir d;
  const auto single = compute_customer_features(retail({d.write("all.csv", header + body)}));
  const size_t cut = body.find("1003,");
  const std::string first = d.write("a.csv", header + body.substr(0, cut));
  // The second file names the same columns in another order (each file has its own header).
  std::string second = "CustomerID,Country,InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice\n";
  std::string rest = body.substr(cut);
  for (size_t b = 0; b < rest.size();) {
    const size_t e = rest.find('\n', b);
    std::vector<std::string> f;
    std::string line = rest.substr(b, e - b);
    for (size_t p = 0;;) {
      const size_t c = line.find(',', p);
      f.push_back(line.substr(p, c == std::string::npos ? std::string::npos : c - p));
      if (c == std::string::npos) break;
      p = c + 1;
    }
    second += f[5] + "," + f[6] + "," + f[0] + "," + f[1] + "," + f[2] + "," + f[3] + "," + f[4] + "\n";
    b = e + 1;
  }
  write_gzip(d.file("b.csv.gz"), second);
  const auto two = compute_customer_features(retail({first, d.file("b.csv.gz")}));
  EXPECT_EQ(two.ids, single.ids);
  EXPECT_TRUE(same_bits(two.columns, single.columns));
  EXPECT_EQ(two.summary.lines.read, single.summary.lines.read);
  EXPECT_EQ(two.summary.header_lines, 2);

  // A gzip file made of two members (cat a.gz b.gz) is read whole.
  const std::string z = d.file("two.csv.gz");
  write_gzip(d.file("m1.gz"), header + body.substr(0, cut));
  write_gzip(d.file("m2.gz"), body.substr(cut));
  const std::string m = test::read_file(d.file("m1.gz")) + test::read_file(d.file("m2.gz"));
  d.write("two.csv.gz", m);
  EXPECT_TRUE(same_bits(compute_customer_features(retail({z})).columns, single.columns));

  d.write("bad.csv.gz", m.substr(0, m.size() / 2));
  EXPECT_NE(error_of(retail({d.file("bad.csv.gz")})).find("bad.csv.gz: truncated gzip data"), std::string::npos);
}

TEST(Transactions, DayMonthFormatsDelimitersAndDecimalCommas) {
  temp_dir d;
  transaction_options o;
  o.files = {d.write("eu.csv",
                     "kunde;datum;betrag\n"
                     "K1;03/01/2011 10:00;10,50\n"
                     "K1;20/01/2011;-2,25\n"
                     "K2;31/12/2010;7\n")};
  o.columns.customer = "kunde";
  o.columns.date = "datum";
  o.columns.amount = "betrag";
  o.decimal = ',';
  o.date_format = "%d/%m/%Y";
  auto t = compute_customer_features(o);
  EXPECT_EQ(t.summary.as_of, "2011-01-21");
  EXPECT_EQ(value(t, "K1", "monetary_total"), 8.25);
  EXPECT_EQ(value(t, "K1", "recency_days"), 18);  // the return is not a purchase
  EXPECT_EQ(value(t, "K2", "tenure_days"), 21);
  EXPECT_EQ(t.summary.facts.at("negative_amount_lines"), 1);

  o.files = {d.write("us.tsv", "id\twhen\tamount\n7\t1/3/2011 8:26\t5\n7\t1/10/2011 8:26\t5\n")};
  o.columns = {"id", "when", std::string("amount")};
  o.decimal = '.';
  o.date_format = "%m/%d/%Y";
  t = compute_customer_features(o);
  EXPECT_EQ(value(t, "7", "avg_days_between"), 7);

  // Whitespace-separated fixed-width text without a header (the CDNOW layout), CRLF line ends.
  o.files = {d.write("cdnow.txt", " 00004 0001 19970101  2   29.33\r\n 00004 0001 19970118  2   29.73\r\n\r\n 00018 0002 19970101  1   11.77\r\n")};
  o.columns = {"2", "3", std::string("5")};
  o.whitespace_delimited = true;
  o.header = false;
  o.date_format = "";
  t = compute_customer_features(o);
  EXPECT_EQ(t.id_column, "customer");
  EXPECT_EQ(t.ids, (std::vector<std::string>{"0001", "0002"}));
  EXPECT_DOUBLE_EQ(value(t, "0001", "monetary_total"), 59.06);
  EXPECT_EQ(t.summary.blank_lines, 1);
  EXPECT_EQ(t.summary.header_lines, 0);
  o.columns = {"2", "3", std::string("9")};
  EXPECT_NE(error_of(o).find("--amount '9': the file has only 5 columns"), std::string::npos) << error_of(o);
}

TEST(Transactions, BadLinesNameFileLineColumnAndValue) {
  temp_dir d;
  const std::string path = d.write("log.csv", header + body.substr(0, 90) + "1009,A,1,2011-02-30 10:00:00,5,100,UK\n" + body.substr(90));
  const std::string e = error_of(retail({path}));
  // An impossible date is called what it is, not "badly formatted".
  EXPECT_NE(e.find(path + ":4: column 4 'InvoiceDate': not a calendar date: '2011-02-30 10:00:00' (month 2 of 2011 has 28 "
                          "days, not 30)"),
            std::string::npos) << e;
  EXPECT_NE(e.find("--on-bad-row skip"), std::string::npos);

  auto o = retail({path});
  o.on_bad_row = bad_row_policy::skip;
  const auto t = compute_customer_features(o);
  EXPECT_EQ(rejected(t.summary, "bad_date"), 1);
  EXPECT_EQ(t.summary.lines.read, 10);
  EXPECT_TRUE(t.summary.lines.balanced());

  const std::string q = d.write("q.csv", header + "1,A,two,2011-01-01,5,100,UK\n");
  EXPECT_NE(error_of(retail({q})).find(q + ":2: column 3 'Quantity': not a number: 'two'"), std::string::npos) << error_of(retail({q}));
  const std::string w = d.write("w.csv", header + "1,A,1,2011-01-01,5,100,UK\n1,A,1,2011-01-01,5,100\n");
  EXPECT_NE(error_of(retail({w})).find(w + ":3: expected 7 fields (as in the header), found 6"), std::string::npos) << error_of(retail({w}));
  const std::string p = d.write("p.csv", header + "1,A,1,2011-01-01,,100,UK\n");
  EXPECT_NE(error_of(retail({p})).find(":2: column 5 'UnitPrice': missing value: ''"), std::string::npos) << error_of(retail({p}));
  const std::string i = d.write("i.csv", header + ",A,1,2011-01-01,1,100,UK\n");
  EXPECT_NE(error_of(retail({i})).find("missing invoice number"), std::string::npos);

  auto m = retail({path});
  m.columns.customer = "Customer ID";
  EXPECT_NE(error_of(m).find("--customer names column 'Customer ID', which is not in the header (columns: 'InvoiceNo'"), std::string::npos)
      << error_of(m);
  m = retail({path});
  m.columns.amount = "UnitPrice";
  EXPECT_NE(error_of(m).find("not both"), std::string::npos);
  m.columns.amount.reset();
  m.columns.price.reset();
  EXPECT_NE(error_of(m).find("give --amount COL, or --quantity COL and --price COL"), std::string::npos);
  EXPECT_NE(error_of(retail({d.write("none.csv", header + "1,A,1,2011-01-01,5,,UK\n")})).find("no usable transaction lines (1 read; missing_customer_id: 1)"),
            std::string::npos);
  EXPECT_NE(error_of(retail({d.file("missing.csv")})).find("missing.csv: cannot open"), std::string::npos);
}

/// One filler line of exactly `len` bytes (line break included), unique by `counter`.
std::string filler(size_t len, int& counter) {
  std::string line = std::to_string(500000 + counter) + ",F," + std::to_string(1 + counter % 7) + ",2011-03-0" +
                     std::to_string(1 + counter % 9) + ",1.5," + std::to_string(1000 + counter % 997) + ",UK";
  ++counter;
  return line + std::string(len - 1 - line.size(), 'x') + "\n";
}

/// Appends filler lines until the next line starts exactly at body offset `at`.
void fill_until(std::string& out, size_t body_start, size_t at, int& counter) {
  while (out.size() - body_start + 200 < at) out += filler(60, counter);
  const size_t rest = at - (out.size() - body_start);
  out += filler(rest / 2, counter);
  out += filler(rest - rest / 2, counter);
}

TEST(Transactions, DuplicateAcrossAChunkBoundaryAndAQuotedNewlineAcrossAnother) {
  temp_dir d;
  const size_t target = detail::chunk_target_bytes;  // a chunk ends at the first line break >= start + target
  std::string text = "InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n";
  const size_t body_start = text.size();
  int counter = 0;
  // Chunk 0 ends with line X (its line break at offset `target`), chunk 1 starts with an exact copy.
  const std::string x = "900001,D,3,2011-04-01 10:00:00,2.5,999,UK\n";
  fill_until(text, body_start, target - x.size() + 1, counter);
  text += x + x;
  // Chunk 1 starts at target + 1; its end is cut at the line break inside this quoted field.
  const std::string before_break = "900002,\"TWO\n";
  fill_until(text, body_start, 2 * target + 1 - before_break.size() + 1, counter);
  text += before_break + "LINES\",1,2011-04-02,4,998,UK\n";
  fill_until(text, body_start, 3 * target + 1000, counter);
  text += "900003,D,1,2011-04-05 10:00:00,10,999,UK\n";  // 999's repeat purchase day
  const std::string path = d.write("big.csv", text);

  auto o = retail({path});
  omp_set_num_threads(1);
  const auto one = compute_customer_features(o);
  omp_set_num_threads(2);
  const auto two = compute_customer_features(o);
  omp_set_num_threads(omp_get_num_procs());
  EXPECT_TRUE(same_bits(one.columns, two.columns));
  EXPECT_EQ(transaction_summary_json(one.summary), transaction_summary_json(two.summary));
  EXPECT_EQ(one.summary.cross_chunk_duplicates, 1);
  EXPECT_EQ(rejected(one.summary, "duplicate_line"), 1);
  EXPECT_EQ(value(one, "999", "monetary_total"), 17.5);  // the copy counted once
  // The first day's value (lifetimes' monetary leaves it out) loses the removed copy too.
  EXPECT_EQ(one.repeat_purchase_value[row(one, "999")], 10);
  EXPECT_EQ(one.repeat_purchase_value, two.repeat_purchase_value);
  EXPECT_EQ(value(one, "998", "monetary_total"), 4);    // the two-line record was read as one
  EXPECT_EQ(one.summary.lines.read, counter + 4);
  EXPECT_EQ(one.summary.lines.rejected_total(), 1);
  EXPECT_TRUE(one.summary.lines.balanced());

  o.keep_duplicates = true;
  const auto kept = compute_customer_features(o);
  EXPECT_EQ(value(kept, "999", "monetary_total"), 25);
  EXPECT_EQ(kept.repeat_purchase_value[row(kept, "999")], 10);
}

TEST(Transactions, FeatureTableForThePipeline) {
  temp_dir d;
  const auto t = compute_customer_features(retail({d.write("log.csv", header + body)}));
  auto f = customer_feature_table(t, {});
  EXPECT_EQ(f.feature_names(), default_rfm_features());
  EXPECT_EQ(f.id_column, "CustomerID");
  EXPECT_EQ(f.rows(), 2);
  EXPECT_EQ(f.values(0, 2), 22.5f);
  f = customer_feature_table(t, {"avg_days_between", "tenure_days"});
  EXPECT_EQ(f.features[0].imputed, 0);
  EXPECT_THROW(customer_feature_table(t, {"recency"}), input_error);
}

}  // namespace
