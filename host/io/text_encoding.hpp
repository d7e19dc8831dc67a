#pragma once
// Text that reaches outputs (JSON, CSV, HTML) must be valid UTF-8. Inputs exported from old systems are
// often Latin-1: such bytes are reinterpreted as Latin-1 and re-encoded, never dropped.
#include <string>
#include <string_view>

namespace segmint::detail {

bool is_valid_utf8(std::string_view s);

/// Throws input_error when `head` (a file's first bytes) is a spreadsheet or columnar format rather than
/// text: a ZIP archive (an .xlsx/.ods workbook is one), a legacy Excel .xls, Parquet, Arrow/Feather; the
/// message names the format and how to get a CSV, instead of a confusing parse error or escaped binary.
void refuse_binary_formats(const std::string& path, std::string_view head);

/// `s` itself when valid UTF-8; otherwise every byte read as Latin-1 (ISO-8859-1) and encoded as UTF-8.
std::string to_utf8(std::string_view s);

}  // namespace segmint::detail
