#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <string>

#include "../../host/io/number_parse.hpp"

using segmint::detail::number_status;
using segmint::detail::parse_number;

namespace {

number_status parse(const char* text, float& v, char decimal = '.') { return parse_number(text, decimal, v); }

TEST(NumberParse, PlainNumbers) {
  float v = 0;
  EXPECT_EQ(parse("42", v), number_status::ok);
  EXPECT_EQ(v, 42.0f);
  EXPECT_EQ(parse("  -3.25 ", v), number_status::ok);
  EXPECT_EQ(v, -3.25f);
  EXPECT_EQ(parse("+7", v), number_status::ok);
  EXPECT_EQ(v, 7.0f);
  EXPECT_EQ(parse("1e3", v), number_status::ok);
  EXPECT_EQ(v, 1000.0f);
  EXPECT_EQ(parse(".5", v), number_status::ok);
  EXPECT_EQ(v, 0.5f);
  EXPECT_EQ(parse("0001", v), number_status::ok);
  EXPECT_EQ(v, 1.0f);
}

TEST(NumberParse, RoundsThroughDoubleLikeNumpy) {
  float v = 0;
  EXPECT_EQ(parse("0.1", v), number_status::ok);
  EXPECT_EQ(v, static_cast<float>(0.1));
}

TEST(NumberParse, MissingTokens) {
  float v = 0;
  for (const char* t : {"", "  ", "NA", "na", "N/A", "NaN", "nan", "null", "NULL", "None"}) {
    EXPECT_EQ(parse(t, v), number_status::missing) << t;
  }
}

TEST(NumberParse, Rejections) {
  float v = 0;
  EXPECT_EQ(parse("abc", v), number_status::not_a_number);
  EXPECT_EQ(parse("12abc", v), number_status::not_a_number);
  EXPECT_EQ(parse("1,5", v), number_status::not_a_number);
  EXPECT_EQ(parse("-", v), number_status::not_a_number);
  EXPECT_EQ(parse("++1", v), number_status::not_a_number);
  EXPECT_EQ(parse("0x10", v), number_status::not_a_number);
  EXPECT_EQ(parse("inf", v), number_status::non_finite);
  EXPECT_EQ(parse("-Infinity", v), number_status::non_finite);
  EXPECT_EQ(parse("1e308", v), number_status::out_of_range);
  EXPECT_EQ(parse("-4e38", v), number_status::out_of_range);
  EXPECT_EQ(parse("1e400", v), number_status::out_of_range);
}

TEST(NumberParse, UnderflowRoundsToZero) {
  float v = 1;
  EXPECT_EQ(parse("1e-50", v), number_status::ok);
  EXPECT_EQ(v, 0.0f);
  EXPECT_EQ(parse("1e-400", v), number_status::ok);
  EXPECT_EQ(v, 0.0f);
}

TEST(NumberParse, DecimalComma) {
  float v = 0;
  EXPECT_EQ(parse("1,5", v, ','), number_status::ok);
  EXPECT_EQ(v, 1.5f);
  EXPECT_EQ(parse("-0,25", v, ','), number_status::ok);
  EXPECT_EQ(v, -0.25f);
  EXPECT_EQ(parse("1.5", v, ','), number_status::not_a_number);
}

}  // namespace

namespace {
// The fast path for plain decimals must give exactly what from_chars + float conversion gives.
TEST(NumberParse, FastPathMatchesFromChars) {
  uint64_t state = 12345;
  auto next = [&] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return state >> 11;
  };
  for (int i = 0; i < 200000; ++i) {
    const uint64_t intpart = next() % (i % 3 == 0 ? 1000000000000ull : 100000ull);
    const uint64_t frac = next() % 1000000;
    const int decimals = static_cast<int>(next() % 7);
    std::string s = (i % 2 ? "-" : "") + std::to_string(intpart);
    if (decimals > 0) {
      std::string f = std::to_string(frac);
      f.resize(static_cast<size_t>(decimals), '0');
      s += "." + f;
    }
    float got = 0;
    ASSERT_EQ(segmint::detail::parse_number(s, '.', got), segmint::detail::number_status::ok) << s;
    double ref = 0;
    std::from_chars(s.data(), s.data() + s.size(), ref);
    ASSERT_EQ(got, static_cast<float>(ref)) << s;
  }
}
}  // namespace
