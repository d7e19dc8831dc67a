#include <gtest/gtest.h>

#include "../support/test_support.hpp"
#include "segmint/error.hpp"
#include "segmint/io.hpp"

using namespace segmint;

namespace {

std::string npy_bytes(const std::string& dict, const std::string& data) {
  std::string d = dict;
  while ((10 + d.size() + 1) % 64 != 0) d += ' ';
  d += '\n';
  std::string h = "\x93NUMPY\x01";
  h += '\0';
  h += static_cast<char>(d.size() & 0xff);
  h += static_cast<char>(d.size() >> 8);
  return h + d + data;
}

TEST(Npy, WriteThenReadRoundTrips) {
  test::temp_dir t;
  matrix m(3, 2);
  for (int64_t i = 0; i < 3; ++i)
    for (int64_t j = 0; j < 2; ++j) m(i, j) = static_cast<float>(10 * i + j) + 0.5f;
  write_npy(t.file("m.npy"), m.view());
  const matrix r = read_npy(t.file("m.npy"));
  ASSERT_EQ(r.rows(), 3);
  ASSERT_EQ(r.cols(), 2);
  for (int64_t i = 0; i < 3; ++i)
    for (int64_t j = 0; j < 2; ++j) EXPECT_EQ(r(i, j), m(i, j));
}

TEST(Npy, ReadsCOrderFloat32AndFloat64) {
  test::temp_dir t;
  const float f[6] = {1, 2, 3, 4, 5, 6};  // C order 2 × 3: row 0 = 1 2 3
  t.write("c.npy", npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
                             std::string(reinterpret_cast<const char*>(f), sizeof f)));
  const matrix m = read_npy(t.file("c.npy"));
  EXPECT_EQ(m(0, 2), 3.0f);
  EXPECT_EQ(m(1, 0), 4.0f);
  const double d[2] = {1.5, -2.5};
  t.write("d.npy", npy_bytes("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }",
                             std::string(reinterpret_cast<const char*>(d), sizeof d)));
  const matrix v = read_npy(t.file("d.npy"));
  EXPECT_EQ(v.cols(), 1);
  EXPECT_EQ(v(1, 0), -2.5f);
}

TEST(Npy, BadFilesAreInputErrors) {
  test::temp_dir t;
  EXPECT_THROW(read_npy(t.write("a.npy", "not numpy")), input_error);
  EXPECT_THROW(read_npy(t.write("b.npy", npy_bytes("{'descr': '<i4', 'fortran_order': False, 'shape': (1,), }", "abcd"))),
               input_error);
  EXPECT_THROW(read_npy(t.write("c.npy", npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", "abcd"))),
               input_error);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  EXPECT_THROW(read_npy(t.write("n.npy", npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }",
                                                   std::string(reinterpret_cast<const char*>(&nan), 4)))),
               input_error);
}

}  // namespace
