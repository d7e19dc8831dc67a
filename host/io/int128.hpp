#pragma once
// 128-bit integers (a GCC/Clang extension; __extension__ keeps -Wpedantic quiet): exact money sums and
// the multiply-fold of the string hash.
namespace segmint::detail {

__extension__ typedef __int128 int128_t;
__extension__ typedef unsigned __int128 uint128_t;

}  // namespace segmint::detail
