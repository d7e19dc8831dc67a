#pragma once
// Survey answers written as text, read as numbers: Yes/No, a number inside the text ("I love it!+5"),
// frequency phrases ("Once a week"), known ordered scales ("Strongly agree") and --ordinal lists.
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace segmint::detail {

/// How one text column becomes a numeric feature: each answer (trimmed, as written) and its value.
struct text_scale {
  std::string rule;  ///< "yes/no", "number in the text", "frequency", "ordered scale", "--ordinal"
  std::vector<std::pair<std::string, double>> values;  ///< in increasing value

  /// The value of `answer` (surrounding blanks ignored); nullopt for an answer the scale does not know.
  [[nodiscard]] std::optional<double> value_of(const std::string& answer) const;
};

/// The scale that the distinct non-empty answers of a column follow, or nullopt (then the column is plain
/// text: a category at most). Detection is a function of the set of answers only, so every process of a
/// data-parallel run reaches the same scale from the union of its answers.
std::optional<text_scale> detect_text_scale(const std::vector<std::string>& answers);

/// The scale of `--ordinal COL=low,...,high`: the listed answers get 0, 1, 2, ... in order.
text_scale ordinal_scale(const std::vector<std::string>& order);

/// One phrase for the console, run.json and the report: "Yes/No → 1/0", "ordered: Never < ... → 0..5".
std::string describe_scale(const text_scale& s);

}  // namespace segmint::detail
