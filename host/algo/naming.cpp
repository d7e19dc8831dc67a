// Descriptive segment names from the driving features: "High annual income, low spending score".
#include <cmath>
#include <cstdio>
#include <map>

#include "segmint/profile.hpp"

namespace segmint {
namespace {

constexpr double name_min_abs_z = 0.5;

/// "Annual Income (k$)" → "annual income"; one-hot "Genre=Female" → "Genre Female".
std::string readable(const feature_profile& f) {
  std::string s = f.name;
  if (const auto p = s.find(" ("); p != std::string::npos && s.back() == ')') s = s.substr(0, p);
  if (f.kind == feature_kind::one_hot) {
    if (const auto eq = s.find('='); eq != std::string::npos) s = s.substr(eq + 1) + " " + s.substr(0, eq);
    return s;
  }
  for (auto& ch : s) ch = (ch == '_') ? ' ' : static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

std::string signed_fmt(double z) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.1f", z);
  return buf;
}

std::string capitalised(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

}  // namespace

void name_segments(std::vector<segment_profile>& segments) {
  std::map<std::string, int> used;
  for (auto& s : segments) {
    std::string name;
    std::string reason;
    for (int j : s.drivers) {
      const feature_profile& f = s.features[static_cast<size_t>(j)];
      reason += (reason.empty() ? "" : ", ") + f.name + " " + signed_fmt(f.z) + " SD";
      if (std::fabs(f.z) < name_min_abs_z || std::count(name.begin(), name.end(), ',') >= 1) continue;
      std::string part = f.kind == feature_kind::one_hot ? (f.z > 0 ? "mostly " : "few ") + readable(f)
                                                         : (f.z > 0 ? "high " : "low ") + readable(f);
      name += (name.empty() ? "" : ", ") + part;
    }
    if (name.empty()) name = "average profile";
    name = capitalised(name);
    reason = reason.empty() ? "close to the population average on every feature"
                            : "compared with all customers: " + reason;
    const int seen = used[name]++;
    if (seen > 0) name += " (" + std::to_string(seen + 1) + ")";
    s.name = name;
    s.reason = reason;
  }
}

}  // namespace segmint
