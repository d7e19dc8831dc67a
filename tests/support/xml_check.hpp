#pragma once
// A strict well-formedness check for the report (XHTML-style HTML with inline SVG): every element closed
// and properly nested, attribute values quoted and unique, '&' only in known entities, no raw '<' in text,
// valid UTF-8 without control characters. A browser forgives all of these; the report must not need it.
#include <optional>
#include <string>
#include <string_view>

namespace segmint::test {

/// nullopt when `doc` is well-formed, else the first problem with its byte offset. A leading
/// <!DOCTYPE html> is allowed; there must be exactly one root element.
std::optional<std::string> xml_problem(std::string_view doc);

/// Occurrences of `needle` in `hay`.
size_t count_of(std::string_view hay, std::string_view needle);

}  // namespace segmint::test
