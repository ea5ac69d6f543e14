#include "core/validate.hpp"

#include "core/table_import.hpp"

#include <array>
#include <cctype>

namespace xiehui {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

constexpr std::array<Division, 14> kHunan{{
    {"430100", "长沙市"},
    {"430200", "株洲市"},
    {"430300", "湘潭市"},
    {"430400", "衡阳市"},
    {"430500", "邵阳市"},
    {"430600", "岳阳市"},
    {"430700", "常德市"},
    {"430800", "张家界市"},
    {"430900", "益阳市"},
    {"431000", "郴州市"},
    {"431100", "永州市"},
    {"431200", "怀化市"},
    {"431300", "娄底市"},
    {"433100", "湘西土家族苗族自治州"},
}};

}  // namespace

char uscc_check_char(std::string_view first17) {
  if (first17.size() != 17) return '\0';
  int sum = 0;
  int weight = 1;
  for (const char c : first17) {
    const auto value = kUsccAlphabet.find(c);
    if (value == std::string_view::npos) return '\0';
    sum += static_cast<int>(value) * weight;
    weight = weight * 3 % 31;
  }
  return kUsccAlphabet[static_cast<std::size_t>((31 - sum % 31) % 31)];
}

bool has_control_chars(std::string_view text, bool allow_newlines) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f) {
      if (allow_newlines && (c == '\n' || c == '\t')) continue;
      return true;
    }
    // C1 controls are U+0080–U+009F: 0xC2 followed by 0x80–0x9F in UTF-8.
    if (c == 0xc2 && i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0x9f) return true;
    }
  }
  return false;
}

Text control_chars_message(bool allow_newlines) {
  return allow_newlines ? Text{"不能包含控制字符（换行和制表符除外）",
                               "must not contain control characters (other than newlines and tabs)"}
                        : Text{"不能包含控制字符（如换行、制表符）",
                               "must not contain control characters (such as newlines or tabs)"};
}

std::expected<std::string, Text> normalise_uscc(std::string_view text) {
  std::string code(trim(text));
  for (char& c : code) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (code.size() != 18) {
    return std::unexpected(Text{"统一社会信用代码应为 18 位", "a credit code has 18 characters"});
  }
  for (const char c : code) {
    if (kUsccAlphabet.find(c) == std::string_view::npos) {
      return std::unexpected(Text{"统一社会信用代码含有无效字符（不使用 I、O、S、V、Z）",
                                  "the credit code has an invalid character (I, O, S, V, Z "
                                  "are never used)"});
    }
  }
  for (std::size_t i = 2; i < 8; ++i) {
    if (!is_digit(code[i])) {
      return std::unexpected(Text{"统一社会信用代码第 3–8 位应为行政区划代码（数字）",
                                  "characters 3–8 of a credit code are a division code (digits)"});
    }
  }
  if (uscc_check_char(std::string_view(code).substr(0, 17)) != code[17]) {
    return std::unexpected(
        Text{"统一社会信用代码校验位不正确，请核对", "the credit code's check character is wrong"});
  }
  return code;
}

std::expected<std::string, Text> normalise_mobile(std::string_view text) {
  std::string digits;
  std::string_view s = trim(text);
  if (s.starts_with("+86")) {
    s.remove_prefix(3);
  } else if (s.starts_with("0086")) {
    s.remove_prefix(4);
  }
  for (const char c : s) {
    if (is_digit(c)) {
      digits += c;
    } else if (c != ' ' && c != '-') {
      return std::unexpected(Text{"手机号码只能包含数字、空格和连字符",
                                  "a mobile number has only digits, spaces and dashes"});
    }
  }
  if (digits.size() == 13 && digits.starts_with("86")) digits.erase(0, 2);
  if (digits.size() != 11 || digits[0] != '1' || digits[1] < '3') {
    return std::unexpected(Text{"请填写 11 位手机号码（1 开头，如 138 1234 5678）",
                                "enter an 11-digit mainland mobile number (e.g. 138 1234 5678)"});
  }
  return digits;
}

std::expected<std::string, Text> normalise_email(std::string_view text) {
  const std::string_view s = trim(text);
  const Text bad{"电子邮箱格式不正确", "not a valid e-mail address"};
  const auto at = s.find('@');
  if (s.size() > 254 || at == std::string_view::npos || at == 0 || at > 64 ||
      s.find('@', at + 1) != std::string_view::npos) {
    return std::unexpected(bad);
  }
  const std::string_view local = s.substr(0, at);
  std::string domain(s.substr(at + 1));
  // Valid UTF-8 without control characters: C1 controls (U+0080–U+009F) and stray bytes were
  // accepted once (found by tests/fuzz/validate_fuzz) and would have gone into mail headers.
  if (!is_valid_utf8(local) || has_control_chars(local, false)) return std::unexpected(bad);
  for (const char c : local) {
    if (std::isspace(static_cast<unsigned char>(c))) return std::unexpected(bad);
  }
  if (domain.find('.') == std::string::npos || domain.front() == '.' || domain.back() == '.' ||
      domain.find("..") != std::string::npos) {
    return std::unexpected(bad);
  }
  for (char& c : domain) {
    const auto u = static_cast<unsigned char>(c);
    if (!(std::isalnum(u) || c == '-' || c == '.')) return std::unexpected(bad);
    c = static_cast<char>(std::tolower(u));
  }
  return std::string(local) + "@" + domain;
}

std::span<const Division> hunan_prefectures() { return kHunan; }

const Division* find_division(std::span<const Division> divisions, std::string_view code) {
  for (const Division& d : divisions) {
    if (d.code == code) return &d;
  }
  return nullptr;
}

}  // namespace xiehui
