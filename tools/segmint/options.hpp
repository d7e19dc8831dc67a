#pragma once
// Parsing of option values that CLI11 cannot check by itself (ranges, lists, delimiters).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "segmint/naming.hpp"
#include "segmint/pca.hpp"

namespace segmint::cli {

struct k_range {
  int min = 2;
  int max = 10;
};

/// "5" → 5..5; "2..12" or "2-12" → 2..12.
k_range parse_k(const std::string& text);

/// "3" → 3 components; "0.95" → the fewest components explaining 95% of the variance.
pca::params parse_pca(const std::string& text);

/// "," ";" "|" "tab" "\t" → the character.
char parse_delimiter(const std::string& text, const char* option);

/// "spend=avg_ticket,frequency=orders_12m" → {spend, avg_ticket}, {frequency, orders_12m}; role names and
/// columns are checked later against the table (assign_roles).
std::vector<role_override> parse_roles(const std::string& text);

/// --ordinal "VisitFrequency=Never,Once a year,Once a month" (repeatable) → {column, answers lowest first}.
std::vector<std::pair<std::string, std::vector<std::string>>> parse_ordinals(const std::vector<std::string>& items);

/// "1073741824", "512M", "4G" (binary multiples K, M, G, T) → bytes; anything else is an input_error.
int64_t parse_bytes(const std::string& text, const char* option);

/// --seed: a whole number from 0 to 2^64 − 1 (a sign or anything beyond 64 bits is refused, never wrapped).
uint64_t parse_seed(const std::string& text);

/// A whole number in int range, the whole text ("12", "-3"); anything else is "OPTION: 'x' is not a whole number".
int parse_int(const std::string& text, const char* option);

/// Splits "a,b,c" (a name may not contain a comma; names are trimmed).
std::vector<std::string> split_list(const std::string& text);

}  // namespace segmint::cli
