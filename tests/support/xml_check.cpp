#include "xml_check.hpp"

#include <cctype>
#include <set>
#include <vector>

namespace segmint::test {
namespace {

class checker {
 public:
  explicit checker(std::string_view doc) : d_(doc) {}

  std::optional<std::string> run() {
    if (auto e = check_utf8()) return e;
    skip_space();
    if (starts("<!DOCTYPE")) {
      const auto end = d_.find('>', i_);
      if (end == std::string_view::npos) return fail("unterminated DOCTYPE");
      i_ = end + 1;
    }
    int roots = 0;
    while (i_ < d_.size()) {
      if (starts("<!--")) {
        const auto end = d_.find("-->", i_ + 4);
        if (end == std::string_view::npos) return fail("unterminated comment");
        i_ = end + 3;
      } else if (starts("</")) {
        if (auto e = close_tag()) return e;
      } else if (d_[i_] == '<') {
        if (stack_.empty() && ++roots > 1) return fail("more than one root element");
        if (auto e = open_tag()) return e;
      } else {
        if (stack_.empty() && !std::isspace(static_cast<unsigned char>(d_[i_])))
          return fail("text outside the root element");
        if (d_[i_] == '&') {
          if (auto e = entity()) return e;
        } else {
          ++i_;
        }
      }
    }
    if (!stack_.empty()) return fail("element <" + stack_.back() + "> is not closed");
    if (roots != 1) return fail("no root element");
    return std::nullopt;
  }

 private:
  bool starts(std::string_view s) const { return d_.substr(i_, s.size()) == s; }
  std::string fail(const std::string& what) const { return what + " at byte " + std::to_string(i_); }
  void skip_space() {
    while (i_ < d_.size() && std::isspace(static_cast<unsigned char>(d_[i_]))) ++i_;
  }
  static bool name_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == ':' || c == '.';
  }
  std::string name() {
    const size_t b = i_;
    while (i_ < d_.size() && name_char(d_[i_])) ++i_;
    return std::string(d_.substr(b, i_ - b));
  }

  std::optional<std::string> entity() {
    const auto end = d_.find(';', i_);
    if (end == std::string_view::npos || end - i_ > 10) return fail("bare '&'");
    const std::string_view e = d_.substr(i_ + 1, end - i_ - 1);
    static const std::set<std::string_view> named = {"amp", "lt", "gt", "quot", "apos"};
    bool ok = named.count(e) > 0;
    if (!ok && e.size() > 1 && e[0] == '#') {
      const bool hex = e[1] == 'x';
      ok = e.size() > (hex ? 2u : 1u);
      for (size_t k = hex ? 2 : 1; k < e.size() && ok; ++k)
        ok = hex ? std::isxdigit(static_cast<unsigned char>(e[k])) != 0
                 : std::isdigit(static_cast<unsigned char>(e[k])) != 0;
    }
    if (!ok) return fail("unknown entity &" + std::string(e) + ";");
    i_ = end + 1;
    return std::nullopt;
  }

  std::optional<std::string> open_tag() {
    ++i_;
    const std::string tag = name();
    if (tag.empty()) return fail("raw '<' in text");
    std::set<std::string> seen;
    for (;;) {
      skip_space();
      if (i_ >= d_.size()) return fail("unterminated tag <" + tag + ">");
      if (starts("/>")) {
        i_ += 2;
        return std::nullopt;
      }
      if (d_[i_] == '>') {
        ++i_;
        stack_.push_back(tag);
        return std::nullopt;
      }
      const std::string attr = name();
      if (attr.empty()) return fail("bad attribute in <" + tag + ">");
      if (!seen.insert(attr).second) return fail("duplicate attribute " + attr + " in <" + tag + ">");
      skip_space();
      if (i_ >= d_.size() || d_[i_] != '=') return fail("attribute " + attr + " without a value");
      ++i_;
      skip_space();
      if (i_ >= d_.size() || (d_[i_] != '"' && d_[i_] != '\'')) return fail("unquoted attribute " + attr);
      const char q = d_[i_++];
      while (i_ < d_.size() && d_[i_] != q) {
        if (d_[i_] == '<') return fail("'<' in attribute " + attr);
        if (d_[i_] == '&') {
          if (auto e = entity()) return e;
        } else {
          ++i_;
        }
      }
      if (i_ >= d_.size()) return fail("unterminated attribute " + attr);
      ++i_;
    }
  }

  std::optional<std::string> close_tag() {
    i_ += 2;
    const std::string tag = name();
    skip_space();
    if (i_ >= d_.size() || d_[i_] != '>') return fail("bad closing tag </" + tag);
    ++i_;
    if (stack_.empty() || stack_.back() != tag)
      return fail("</" + tag + "> closes <" + (stack_.empty() ? std::string("nothing") : stack_.back()) + ">");
    stack_.pop_back();
    return std::nullopt;
  }

  std::optional<std::string> check_utf8() {
    for (size_t k = 0; k < d_.size();) {
      const auto b = static_cast<unsigned char>(d_[k]);
      if (b < 0x80) {
        if ((b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b == 0x7F)
          return "control character at byte " + std::to_string(k);
        ++k;
        continue;
      }
      const size_t len = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 ? 2 : 0;
      if (len == 0 || k + len > d_.size()) return "invalid UTF-8 at byte " + std::to_string(k);
      for (size_t m = 1; m < len; ++m)
        if ((static_cast<unsigned char>(d_[k + m]) & 0xC0) != 0x80) return "invalid UTF-8 at byte " + std::to_string(k);
      k += len;
    }
    return std::nullopt;
  }

  std::string_view d_;
  size_t i_ = 0;
  std::vector<std::string> stack_;
};

}  // namespace

std::optional<std::string> xml_problem(std::string_view doc) { return checker(doc).run(); }

size_t count_of(std::string_view hay, std::string_view needle) {
  size_t n = 0;
  for (auto p = hay.find(needle); p != std::string_view::npos; p = hay.find(needle, p + needle.size())) ++n;
  return n;
}

}  // namespace segmint::test
