#pragma once
// Packing trivially copyable values into byte strings for the communicator's allgather/broadcast.
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

namespace segmint::detail {

template <typename T>
std::string to_bytes(const std::vector<T>& v) {
  static_assert(std::is_trivially_copyable_v<T>);
  std::string s(v.size() * sizeof(T), '\0');
  if (!v.empty()) std::memcpy(s.data(), v.data(), s.size());
  return s;
}

template <typename T>
std::vector<T> from_bytes(const std::string& s) {
  static_assert(std::is_trivially_copyable_v<T>);
  std::vector<T> v(s.size() / sizeof(T));
  if (!v.empty()) std::memcpy(v.data(), s.data(), v.size() * sizeof(T));
  return v;
}

}  // namespace segmint::detail
