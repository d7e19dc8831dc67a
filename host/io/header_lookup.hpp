#pragma once
// Header columns by name, with the one-line "not in the header (columns: …)" error.
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "segmint/error.hpp"
#include "segmint/io.hpp"

namespace segmint::detail {

/// Header columns by name (the first of repeated names), for the per-name lookups of a column plan: a hash
/// lookup each, since tables can be 10^5 columns wide and a model can name every one of them.
class header_lookup {
 public:
  header_lookup(const std::string& path, const std::vector<csv_column_info>& header) : path_(path), header_(header) {
    for (const auto& c : header) by_name_.emplace(c.name, &c);
  }

  const csv_column_info& operator()(const std::string& name, const char* option) const {
    if (const auto it = by_name_.find(name); it != by_name_.end()) return *it->second;
    constexpr size_t budget = 160;  // the message stays one readable line, however wide the table
    std::string known;
    size_t listed = 0;
    for (; listed < header_.size() && known.size() < budget; ++listed)
      known += (known.empty() ? "" : ", ") + quote_value(header_[listed].name);
    if (header_.size() > listed) known += " and " + std::to_string(header_.size() - listed) + " more";
    throw input_error(path_ + ": " + option + " names column " + quote_value(name) +
                      ", which is not in the header (columns: " + known + ")");
  }

 private:
  const std::string& path_;
  const std::vector<csv_column_info>& header_;
  std::unordered_map<std::string_view, const csv_column_info*> by_name_;
};

}  // namespace segmint::detail
