#include <cmath>

#include "segmint/error.hpp"
#include "segmint/value.hpp"

namespace segmint::value {

std::optional<summary_problem> find_summary_problem(double frequency, double recency, double age, double monetary) {
  if (!std::isfinite(frequency) || frequency < 0 || frequency != std::floor(frequency))
    return summary_problem{"frequency", "frequency must be a whole number of repeat purchases (0, 1, 2, …)"};
  // T = 0 is a first purchase on the last day observed (lifetimes allows it): possible only without a repeat purchase.
  if (!std::isfinite(age) || age < 0 || (age == 0 && frequency > 0))
    return summary_problem{"age", "age (T) must be positive (0 only without a repeat purchase): the time since the first purchase"};
  if (!std::isfinite(recency) || recency < 0) return summary_problem{"recency", "recency must be 0 or more: the time from the first to the last purchase"};
  if (recency > age) return summary_problem{"recency", "recency is more than age (T): the last purchase cannot come after the end of the observation"};
  if (frequency == 0 && recency > 0)
    return summary_problem{"recency", "recency is positive but frequency is 0: without a repeat purchase the last purchase is the first (recency 0)"};
  if (!std::isfinite(monetary) || monetary < 0) return summary_problem{"monetary", "monetary value must be 0 or more"};
  return std::nullopt;
}

void check_summary(const rfm_summary& s) {
  if (s.recency.size() != s.size() || s.age.size() != s.size() || (!s.monetary.empty() && s.monetary.size() != s.size()))
    throw input_error("value: the summary's columns differ in length");
  for (size_t i = 0; i < s.size(); ++i)
    if (const auto problem = find_summary_problem(s.frequency[i], s.recency[i], s.age[i], s.monetary.empty() ? 0.0 : s.monetary[i]))
      throw input_error("value: customer " + std::to_string(i) + ": " + problem->reason);
}

}  // namespace segmint::value
