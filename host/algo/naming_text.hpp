#pragma once
// Wording for segment names and reasons: readable feature names, numbers in original units, phrases.
#include <string>
#include <string_view>
#include <vector>

#include "segmint/naming.hpp"

namespace segmint::detail {

/// Words of a column name: "NumWebVisitsMonth" → num web visits month; "Annual Income (k$)" → annual income k.
std::vector<std::string> name_tokens(std::string_view name);

/// A column name as words for a sentence: "Annual Income (k$)" → "annual income", "MntWines" →
/// "spend on wines", "NumWebPurchases" → "web purchases".
std::string readable(std::string_view column_name);

/// A value in original units for people: "58,138", "86.5", "0.42"; "n/a" for NaN.
std::string format_value(double v);
/// As format_value, but a year ("Year_Birth", "signup year") is written as 1968, not 1,968.
std::string format_value(double v, std::string_view feature_name);

/// "+1.2", "-0.3".
std::string signed_z(double z);

std::string capitalised(std::string s);
std::string lower(std::string s);

/// "a", "a and b", "a, b and c".
std::string join_and(const std::vector<std::string>& parts);

/// "high spend", "recent purchases", "younger", ...
std::string role_level_phrase(feature_role role, bool high);

/// A feature's difference as a short phrase: "high annual income", "older", "mostly Female".
std::string feature_phrase(const feature_profile& f, const role_assignment* role);

/// "Annual Income (k$) 88.2 vs 60.6 overall (+1.1 SD), 72% Female vs 56% overall".
std::string evidence(const segment_profile& s, const std::vector<int>& features);

/// Why a segment is called mainstream: every |z| below `threshold`, and the largest difference.
std::string mainstream_reason(const segment_profile& s, double threshold);

/// "; 72% Female vs 56% overall" for the most over-represented level (≥ 10 points above its overall share)
/// unless the reason already says it; "" otherwise.
std::string highlight_clause(const segment_profile& s, const std::string& reason);

}  // namespace segmint::detail
