#include "stale_outputs.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace segmint::detail {
namespace {

/// The optional outputs and the text segmint's own version of each starts with (or holds near its start).
struct optional_output {
  const char* name;
  const char* signature;
};
constexpr optional_output optional_outputs[] = {
    {"linkage.csv", "a,b,height,size\n"},
    {"report.html", "segmint report</title>"},
    {"value.csv", ",p_alive,expected_purchases"},
    {"value.json", "\"segmint_version\""},
};

std::string head_of(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::string head(1024, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  return head;
}

}  // namespace

std::vector<std::string> remove_stale_outputs(const std::string& dir, const std::vector<std::string>& written) {
  std::vector<std::string> removed;
  for (const auto& o : optional_outputs) {
    if (std::find(written.begin(), written.end(), o.name) != written.end()) continue;
    const std::filesystem::path p = std::filesystem::path(dir) / o.name;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(std::filesystem::symlink_status(p, ec))) continue;  // never via a link
    if (head_of(p).find(o.signature) == std::string::npos) continue;  // not ours: leave it
    if (std::filesystem::remove(p, ec)) removed.emplace_back(o.name);
  }
  return removed;
}

}  // namespace segmint::detail
