// The SMS the channels send: the gateway's JSON body from the admin's template, and a message's
// length in characters and segments as the carriers count them. Pure functions (see mime.cpp).

#include <string>
#include <string_view>

#include "services/notifications/channels.hpp"

namespace xiehui::notifications {
namespace {

// The value as the inside of a JSON string (RFC 8259 §7): quote, backslash and control
// characters escaped, UTF-8 kept as it is.
std::string json_escaped(std::string_view value) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(value.size() + 8);
  for (const char c : value) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (u < 0x20) {
          out += "\\u00";
          out += kHex[u >> 4];
          out += kHex[u & 0xF];
        } else {
          out += c;
        }
    }
  }
  return out;
}

Error template_error(std::string zh, std::string en) {
  return make_error(ErrorCode::invalid_argument, {std::move(zh), std::move(en)});
}

// Decodes one code point at `i` and advances past it; invalid UTF-8 gives U+FFFD for one byte.
char32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto lead = static_cast<unsigned char>(s[i]);
  std::size_t length = 0;
  char32_t cp = 0;
  if (lead < 0x80) {
    ++i;
    return lead;
  }
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    cp = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    cp = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    cp = lead & 0x07;
  } else {
    ++i;
    return 0xFFFD;
  }
  if (i + length > s.size()) {
    ++i;
    return 0xFFFD;
  }
  for (std::size_t k = 1; k < length; ++k) {
    const auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = cp << 6 | (c & 0x3F);
  }
  i += length;
  return cp;
}

// Septets a character takes in GSM 03.38 (basic set 1, extension table 2), 0 when it has none.
int gsm_septets(char32_t cp) {
  static constexpr std::u32string_view kBasic =
      U"@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
      U"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  static constexpr std::u32string_view kExtension = U"\f^{}\\[~]|€";
  if (kBasic.find(cp) != std::u32string_view::npos) return 1;
  if (kExtension.find(cp) != std::u32string_view::npos) return 2;
  return 0;
}

struct SmsUnits {
  bool gsm = true;
  int septets = 0;
  int utf16 = 0;
};

SmsUnits count_units(std::string_view utf8) {
  SmsUnits units;
  for (std::size_t i = 0; i < utf8.size();) {
    const char32_t cp = next_code_point(utf8, i);
    const int septets = gsm_septets(cp);
    if (septets == 0) units.gsm = false;
    units.septets += septets;
    units.utf16 += cp > 0xFFFF ? 2 : 1;
  }
  return units;
}

}  // namespace

Result<std::string> render_sms_body(std::string_view body_template, const OutgoingSms& sms) {
  std::string out;
  out.reserve(body_template.size() + sms.text.size() + 64);
  // Where a placeholder stands decides its escaping: only inside a JSON string is "JSON-escaped
  // text without quotes" a value; elsewhere it could become structure.
  bool in_string = false;
  for (std::size_t i = 0; i < body_template.size();) {
    const char c = body_template[i];
    if (in_string && c == '\\' && i + 1 < body_template.size()) {
      out += body_template.substr(i, 2);
      i += 2;
      continue;
    }
    const auto end = body_template.substr(i, 2) == "{{" ? body_template.find("}}", i + 2)
                                                        : std::string_view::npos;
    const std::string_view inner = end == std::string_view::npos
                                       ? std::string_view{}
                                       : body_template.substr(i + 2, end - i - 2);
    // "{{…}}" spanning a quote or holding braces is not a placeholder: the parser judges it.
    if (end == std::string_view::npos || inner.find_first_of("\"{}") != std::string_view::npos) {
      if (c == '"') in_string = !in_string;
      out += c;
      ++i;
      continue;
    }
    const std::string_view name = trim_blanks(inner);
    const std::string* value = name == "mobile" ? &sms.mobile
                               : name == "text" ? &sms.text
                               : name == "id"   ? &sms.message_id
                               : name == "kind" ? &sms.kind
                                                : nullptr;
    if (value == nullptr) {
      std::string zh = "短信模板含未知占位符 {{";
      zh += name;
      zh += "}}（可用 mobile、text、id、kind）";
      std::string en = "the SMS template names an unknown placeholder {{";
      en += name;
      en += "}} (known: mobile, text, id, kind)";
      return std::unexpected(template_error(std::move(zh), std::move(en)));
    }
    if (!in_string) {
      std::string en = "the SMS template's placeholder {{";
      en += name;
      en += "}} is not inside a JSON string";
      return std::unexpected(
          template_error("短信模板的占位符只能写在 JSON 字符串（双引号）内", std::move(en)));
    }
    out += json_escaped(*value);
    i = end + 2;
  }
  return out;
}

int sms_characters(std::string_view utf8) {
  const SmsUnits units = count_units(utf8);
  return units.gsm ? units.septets : units.utf16;
}

int sms_segments(std::string_view utf8) {
  const SmsUnits units = count_units(utf8);
  const int count = units.gsm ? units.septets : units.utf16;
  const int single = units.gsm ? 160 : 70;
  const int part = units.gsm ? 153 : 67;
  if (count == 0) return 0;
  if (count <= single) return 1;
  return (count + part - 1) / part;
}

}  // namespace xiehui::notifications
