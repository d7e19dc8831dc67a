// Building blocks of the transaction reader: dates, fixed-point money, customer ids, hashing, id order.
#include <gtest/gtest.h>

#include <string>

#include "../../host/io/flat_index.hpp"
#include "../../host/io/transaction_dates.hpp"
#include "../../host/io/transaction_features.hpp"
#include "../../host/io/transaction_input.hpp"
#include "../../host/io/transaction_values.hpp"
#include "segmint/error.hpp"

using namespace segmint::detail;

namespace {

int32_t day_of(const std::string& format, const std::string& text) {
  int32_t d = -1;
  EXPECT_TRUE(date_parser(format).parse(text, d)) << format << " " << text;
  return d;
}

bool parses(const std::string& format, const std::string& text) {
  int32_t d = 0;
  return date_parser(format).parse(text, d);
}

TEST(TransactionDates, CivilDaysRoundTrip) {
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(2000, 3, 1) - days_from_civil(2000, 2, 28), 2);  // 2000 is a leap year
  EXPECT_EQ(days_from_civil(1900, 3, 1) - days_from_civil(1900, 2, 28), 1);  // 1900 is not
  for (int32_t d : {-719162, -1, 0, 1, 10957, 15309, 2932896}) EXPECT_EQ(*parse_iso_day(day_text(d)), d) << d;
  EXPECT_EQ(day_text(days_from_civil(2011, 12, 9)), "2011-12-09");
}

TEST(TransactionDates, IsoAndCompactWithOptionalTime) {
  const int32_t d = days_from_civil(2010, 12, 1);
  for (const char* t : {"2010-12-01", "2010-12-01 08:26:00", "2010-12-01T08:26:00+05:00", "2010/12/01", "20101201",
                        "20101201 0826"})
    EXPECT_EQ(day_of("", t), d) << t;
  for (const char* t : {"2010-13-01", "2010-02-30", "2011-02-29", "2010-12-1", "12/01/2010", "2010-12-01x", "2010-12-01 ",
                        "", "2010-12", "201012011"})
    EXPECT_FALSE(parses("", t)) << t;
  EXPECT_TRUE(parses("", "2012-02-29"));
}

TEST(TransactionDates, DayMonthFormats) {
  const int32_t d = days_from_civil(2010, 12, 1);
  EXPECT_EQ(day_of("%d/%m/%Y", "01/12/2010"), d);
  EXPECT_EQ(day_of("%d/%m/%Y", "1/12/2010 08:26"), d);
  EXPECT_EQ(day_of("%m/%d/%Y", "12/1/2010 8:26"), d);  // the Kaggle copy of Online Retail
  EXPECT_EQ(day_of("%m/%d/%Y %H:%M", "12/1/2010 8:26"), d);
  EXPECT_EQ(day_of("%d.%m.%Y", "01.12.2010"), d);
  EXPECT_EQ(day_of("%Y%m%d", "20101201"), d);
  EXPECT_EQ(day_of("%d-%b-%Y", "01-Dec-2010"), d);
  EXPECT_EQ(day_of("%d %b %Y", "1 december 2010"), d);
  EXPECT_FALSE(parses("%d/%m/%Y", "12/31/2010"));  // month 31
  EXPECT_FALSE(parses("%m/%d/%Y", "31/12/2010"));
  EXPECT_FALSE(parses("%d-%b-%Y", "01-Dez-2010"));
  EXPECT_FALSE(parses("%d/%m/%Y", "01/12/10"));  // %Y is four digits
}

TEST(TransactionDates, BadFormatsAreInputErrors) {
  EXPECT_THROW(date_parser("%Y-%m"), segmint::input_error);       // no day
  EXPECT_THROW(date_parser("%Y-%m-%d %Z"), segmint::input_error);  // unsupported directive
  EXPECT_THROW(date_parser("%d/%m/%Y%"), segmint::input_error);
  try {
    date_parser("%q");
  } catch (const segmint::input_error& e) {
    EXPECT_NE(std::string(e.what()).find("%q is not supported"), std::string::npos) << e.what();
  }
}

TEST(TransactionValues, DecimalsAreExact) {
  decimal_value v;
  ASSERT_EQ(parse_decimal("2.55", '.', v), value_status::ok);
  EXPECT_EQ(v.mantissa, 255);
  EXPECT_EQ(v.scale, 2);
  ASSERT_EQ(parse_decimal(" -6 ", '.', v), value_status::ok);
  EXPECT_EQ(v.mantissa, -6);
  ASSERT_EQ(parse_decimal("+0,5", ',', v), value_status::ok);
  EXPECT_EQ(v.mantissa, 5);
  EXPECT_EQ(v.scale, 1);
  ASSERT_EQ(parse_decimal("1.5e3", '.', v), value_status::ok);  // the rare path: rounded to 6 decimals
  int64_t micro = 0;
  ASSERT_TRUE(to_micro(v, micro));
  EXPECT_EQ(micro, 1500000000);
  EXPECT_EQ(parse_decimal("", '.', v), value_status::missing);
  EXPECT_EQ(parse_decimal("NA", '.', v), value_status::missing);
  EXPECT_EQ(parse_decimal("NaN", '.', v), value_status::missing);  // as in customer tables
  for (const char* bad : {"abc", "1,5", "inf", "-", "1.2.3", "£2.55"}) EXPECT_EQ(parse_decimal(bad, '.', v), value_status::bad) << bad;
}

TEST(TransactionValues, ProductsInMicroUnits) {
  decimal_value q, p;
  int64_t m = 0;
  parse_decimal("6", '.', q);
  parse_decimal("2.55", '.', p);
  ASSERT_TRUE(product_micro(q, p, m));
  EXPECT_EQ(m, 15300000);  // exactly 15.30, where 6 * 2.55 in binary floating point is 15.299999999999999
  parse_decimal("-80995", '.', q);
  parse_decimal("2.08", '.', p);
  ASSERT_TRUE(product_micro(q, p, m));
  EXPECT_EQ(m, -168469600000);
  parse_decimal("3", '.', q);
  parse_decimal("0.0000005", '.', p);  // 1.5e-6: half a micro-unit rounds away from zero
  ASSERT_TRUE(product_micro(q, p, m));
  EXPECT_EQ(m, 2);
  parse_decimal("999999999999999999", '.', q);
  EXPECT_FALSE(product_micro(q, q, m));  // overflow is refused, never wrapped
  EXPECT_EQ(micro_text(15300000), "15.3");
  EXPECT_EQ(micro_text(-168469600000), "-168469.6");
  EXPECT_EQ(micro_text(1), "0.000001");
  EXPECT_EQ(micro_text(0), "0");
}

TEST(TransactionValues, CustomerIdsAsWritten) {
  EXPECT_EQ(normalize_customer_id("17850.0"), "17850");
  EXPECT_EQ(normalize_customer_id(" 17850.00 "), "17850");
  EXPECT_EQ(normalize_customer_id("00017"), "00017");  // leading zeros are part of the id
  EXPECT_EQ(normalize_customer_id("17850.5"), "17850.5");
  EXPECT_EQ(normalize_customer_id("A17.0"), "A17.0");
  EXPECT_EQ(normalize_customer_id("1.0E4"), "1.0E4");
  EXPECT_EQ(normalize_customer_id("17850."), "17850.");
}

TEST(TransactionValues, HashAndIdOrder) {
  const std::string a(100, 'x');
  std::string b = a;
  b[99] = 'y';
  EXPECT_EQ(hash_bytes(a), hash_bytes(std::string(a)));
  EXPECT_NE(hash_bytes(a), hash_bytes(b));
  for (size_t n = 0; n < 40; ++n) EXPECT_NE(hash_bytes(a.substr(0, n)), hash_bytes(a.substr(0, n + 1))) << n;
  EXPECT_TRUE(customer_id_less("9", "10"));
  EXPECT_TRUE(customer_id_less("10", "00011"));
  EXPECT_TRUE(customer_id_less("007", "7"));  // same value: ordered by text
  EXPECT_TRUE(customer_id_less("99999", "A1"));  // numbers first
  EXPECT_TRUE(customer_id_less("A1", "B0"));
  EXPECT_FALSE(customer_id_less("10", "10"));
}

TEST(TransactionInput, PlainSplitterMatchesTheQuotedParser) {
  transaction_file f;
  f.delimiter = ',';
  for (const std::string line : {"a,b,,c\n", "a,b\r\n", ",\n", "x", "single\n", "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17\n", ""}) {
    field_array fast;
    std::vector<csv_field> slow;
    record_status s1, s2;
    const char* e = line.data() + line.size();
    const char* p1 = split_plain_record(line.data(), e, ',', fast, s1);
    const char* p2 = parse_record(line.data(), e, ',', slow, s2);
    ASSERT_NE(p1, nullptr) << line;
    EXPECT_EQ(p1, p2) << line;
    ASSERT_EQ(fast.count, slow.size()) << line;
    for (size_t i = 0; i < fast.count; ++i) EXPECT_EQ(fast.items[i].text, slow[i].text) << line;
    EXPECT_EQ(s1.newlines, s2.newlines);
  }
  field_array fields;
  record_status st;
  const std::string quoted = "a,\"b,c\",d\n";
  EXPECT_EQ(split_plain_record(quoted.data(), quoted.data() + quoted.size(), ',', fields, st), nullptr);
  const std::string wide = std::string(200, ',') + "\n";  // 201 fields: left to parse_record
  EXPECT_EQ(split_plain_record(wide.data(), wide.data() + wide.size(), ',', fields, st), nullptr);
}

}  // namespace
