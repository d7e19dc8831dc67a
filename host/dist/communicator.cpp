#include "communicator.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace segmint::detail {

void communicator::abort(int code) const { std::_Exit(code); }

double communicator::sum(double v) const {
  sum(std::span<double>(&v, 1));
  return v;
}

int64_t communicator::sum(int64_t v) const {
  sum(std::span<int64_t>(&v, 1));
  return v;
}

std::vector<int64_t> communicator::allgather(int64_t v) const {
  std::string bytes(sizeof v, '\0');
  std::memcpy(bytes.data(), &v, sizeof v);
  std::vector<int64_t> out;
  for (const auto& b : allgather(bytes)) {
    int64_t x = 0;
    std::memcpy(&x, b.data(), sizeof x);
    out.push_back(x);
  }
  return out;
}

int64_t communicator::exclusive_prefix(int64_t v) const {
  const auto all = allgather(v);
  int64_t s = 0;
  for (int r = 0; r < rank(); ++r) s += all[static_cast<size_t>(r)];
  return s;
}

double communicator::min(double v) const {
  std::string bytes(sizeof v, '\0');
  std::memcpy(bytes.data(), &v, sizeof v);
  double out = v;
  for (const auto& b : allgather(bytes)) {
    double x = 0;
    std::memcpy(&x, b.data(), sizeof x);
    out = std::min(out, x);
  }
  return out;
}

double communicator::max(double v) const { return -min(-v); }

std::shared_ptr<const communicator> single_process() {
  static const auto one = std::make_shared<const communicator>();
  return one;
}

}  // namespace segmint::detail
