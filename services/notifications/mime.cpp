// The e-mail the channels send: RFC 5322/2045/2047 (the SMS gateway's body is in sms_text.cpp).
// Pure functions: no I/O, no clock, no randomness (a retried message is byte-for-byte the same).

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "core/crypto.hpp"
#include "core/time.hpp"
#include "services/notifications/channels.hpp"

namespace xiehui::notifications {
namespace {

constexpr std::size_t kMaxLine = 78;         // RFC 5322 2.1.1 (SHOULD)
constexpr std::size_t kMaxEncodedWord = 75;  // RFC 2047 2
constexpr std::size_t kEncodedWordFrame = std::string_view("=?UTF-8?B?").size() + 2;  // + "?="
constexpr std::size_t kBase64Line = 76;  // RFC 2045 6.8
constexpr std::string_view kCrlf = "\r\n";

// A header value must never end its line early: CR/LF would start a header of the caller's
// choosing (Bcc:, a second body). NUL is refused by many MTAs.
std::string strip_breaks(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    if (c != '\r' && c != '\n' && c != '\0') out += c;
  }
  return out;
}

std::uint32_t byte_at(std::string_view data, std::size_t i) {
  return static_cast<unsigned char>(data[i]);
}

std::string base64(std::string_view data) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    const std::uint32_t v =
        byte_at(data, i) << 16 | byte_at(data, i + 1) << 8 | byte_at(data, i + 2);
    out += kAlphabet[v >> 18 & 63];
    out += kAlphabet[v >> 12 & 63];
    out += kAlphabet[v >> 6 & 63];
    out += kAlphabet[v & 63];
  }
  if (const std::size_t rest = data.size() - i; rest > 0) {
    const std::uint32_t v = byte_at(data, i) << 16 | (rest == 2 ? byte_at(data, i + 1) << 8 : 0);
    out += kAlphabet[v >> 18 & 63];
    out += kAlphabet[v >> 12 & 63];
    out += rest == 2 ? kAlphabet[v >> 6 & 63] : '=';
    out += '=';
  }
  return out;
}

// RFC 2046 4.1.1: text travels in canonical form, CRLF line breaks, whatever the template used.
std::string canonical_lines(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 32);
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r') {
      out += kCrlf;
      if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
    } else if (s[i] == '\n') {
      out += kCrlf;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string base64_body(std::string_view data) {
  const std::string encoded = base64(data);
  std::string out;
  out.reserve(encoded.size() + encoded.size() / kBase64Line * 2 + 2);
  for (std::size_t i = 0; i < encoded.size(); i += kBase64Line) {
    out += std::string_view(encoded).substr(i, kBase64Line);
    out += kCrlf;
  }
  return out;
}

// Printable ASCII that a reader cannot mistake for an encoded word goes into a header as it is.
bool is_plain_ascii(std::string_view s) {
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x7F || (u < 0x20 && u != '\t')) return false;
  }
  return s.find("=?") == std::string_view::npos;
}

// The longest prefix of at most `max` bytes that does not end inside a UTF-8 sequence (RFC 2047
// 5: each encoded word must hold whole characters). Invalid UTF-8 is cut anywhere.
std::size_t utf8_prefix(std::string_view s, std::size_t max) {
  if (s.size() <= max) return s.size();
  std::size_t cut = max;
  while (cut > 0 && max - cut < 3 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  if (cut == 0 || (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) return max;
  return cut;
}

// `text` as B-encoded words, each short enough to follow "Name: " on the first line and a space
// on a continuation line, so that every line stays within 78 characters.
std::vector<std::string> encoded_words(std::string_view text, std::size_t name_size) {
  const std::size_t word_max = std::min(kMaxEncodedWord, kMaxLine - name_size - 2);
  const std::size_t chunk_max = (word_max - kEncodedWordFrame) / 4 * 3;
  std::vector<std::string> words;
  while (!text.empty()) {
    const std::size_t n = utf8_prefix(text, chunk_max);
    std::string word = "=?UTF-8?B?";
    word += base64(text.substr(0, n));
    word += "?=";
    words.push_back(std::move(word));
    text.remove_prefix(n);
  }
  return words;
}

std::vector<std::string> split_spaces(std::string_view s) {
  std::vector<std::string> tokens;
  for (;;) {
    const auto space = s.find(' ');
    tokens.emplace_back(s.substr(0, space));
    if (space == std::string_view::npos) return tokens;
    s.remove_prefix(space + 1);
  }
}

// "Name: token token …" with CRLF, folded (CRLF before the separating space) where a token would
// pass column 78. Folding never happens before the first token or an empty one, so no line is
// only white space. A single token longer than a line (a long URL) stays whole.
std::string header(std::string_view name, const std::vector<std::string>& tokens) {
  std::string out(name);
  out += ':';
  std::size_t column = out.size();
  bool first = true;
  for (const std::string& token : tokens) {
    if (!first && !token.empty() && column + 1 + token.size() > kMaxLine) {
      out += kCrlf;
      column = 0;
    }
    out += ' ';
    out += token;
    column += 1 + token.size();
    first = false;
  }
  out += kCrlf;
  return out;
}

bool is_atext(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (std::isalnum(u) != 0) return true;
  return std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

// RFC 5322 3.2.5 phrase for a display name: atoms as they are, other ASCII quoted, anything else
// encoded words.
std::vector<std::string> display_name_tokens(std::string_view name, std::size_t header_name_size) {
  if (!is_plain_ascii(name)) return encoded_words(name, header_name_size);
  if (std::all_of(name.begin(), name.end(), [](char c) { return c == ' ' || is_atext(c); })) {
    return split_spaces(name);
  }
  std::string quoted = "\"";
  for (const char c : name) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  quoted += '"';
  return {quoted};
}

// An addr-spec keeps only what can be in one: no white space, controls, angle brackets or commas
// that would end it and start another address.
std::string clean_address(std::string_view address) {
  std::string out;
  for (const char c : address) {
    const auto u = static_cast<unsigned char>(c);
    if (u > 0x20 && u != 0x7F && c != '<' && c != '>' && c != ',') out += c;
  }
  return out;
}

struct Mailbox {
  std::string name;
  std::string address;
};

// "名字 <noreply@example.org>", "\"Name\" <a@b>" or a bare "a@b".
Mailbox parse_mailbox(std::string_view text) {
  const auto open = text.rfind('<');
  const auto close = text.rfind('>');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
    return {{}, clean_address(text)};
  }
  const std::string_view name = trim_blanks(text.substr(0, open));
  std::string unquoted;
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
    // A quoted-string: drop the quotes and the backslashes of quoted pairs, it is requoted later.
    for (std::size_t i = 1; i + 1 < name.size(); ++i) {
      if (name[i] == '\\' && i + 2 < name.size()) ++i;
      unquoted += name[i];
    }
  } else {
    unquoted = name;
  }
  return {std::move(unquoted), clean_address(text.substr(open + 1, close - open - 1))};
}

std::string mailbox_header(std::string_view header_name, const Mailbox& box) {
  if (box.name.empty()) return header(header_name, {box.address});
  std::vector<std::string> tokens = display_name_tokens(box.name, header_name.size());
  std::string angle = "<";
  angle += box.address;
  angle += '>';
  tokens.push_back(std::move(angle));
  return header(header_name, tokens);
}

// A URL in angle brackets may hold only printable ASCII without spaces or brackets.
std::string clean_url(std::string_view url) {
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out;
  for (const char c : url) {
    const auto u = static_cast<unsigned char>(c);
    if (u > 0x20 && u < 0x7F && c != '<' && c != '>' && c != '"') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

// RFC 5322 3.3, shown in Asia/Shanghai like every other time people see.
std::string rfc5322_date(Timestamp t) {
  using namespace std::chrono;
  static constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                       "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const sys_seconds local = floor<seconds>(t) + kShanghaiOffset;
  const sys_days day = floor<days>(local);
  const year_month_day ymd{day};
  const hh_mm_ss<seconds> time{local - day};
  std::array<char, 64> buf{};
  std::snprintf(buf.data(), buf.size(), "%s, %02u %s %04d %02d:%02d:%02d +0800",
                kDays[weekday{day}.c_encoding()], static_cast<unsigned>(ymd.day()),
                kMonths[static_cast<unsigned>(ymd.month()) - 1], static_cast<int>(ymd.year()),
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()));
  return buf.data();
}

void append_part(std::string& out, std::string_view boundary, std::string_view type,
                 std::string_view content) {
  out += "--";
  out += boundary;
  out += kCrlf;
  out += "Content-Type: ";
  out += type;
  out += "; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
  out += base64_body(canonical_lines(content));
}

}  // namespace

std::string_view trim_blanks(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

std::string build_mime(const OutgoingEmail& email) {
  std::string out;
  if (const std::string id = strip_breaks(email.message_id); !trim_blanks(id).empty()) {
    out += header("Message-ID", {std::string(trim_blanks(id))});
  }
  out += header("Date", {rfc5322_date(email.date)});
  out += mailbox_header("From", parse_mailbox(strip_breaks(email.from)));
  out += mailbox_header("To", {std::string(trim_blanks(strip_breaks(email.to_name))),
                               clean_address(strip_breaks(email.to))});
  const std::string subject = strip_breaks(email.subject);
  out += header("Subject",
                is_plain_ascii(subject) ? split_spaces(subject) : encoded_words(subject, 7));
  out += "MIME-Version: 1.0\r\n";
  // RFC 3834: auto-responders must not answer this message.
  out += "Auto-Submitted: auto-generated\r\n";
  if (const std::string url = clean_url(strip_breaks(email.unsubscribe_url)); !url.empty()) {
    std::string angle = "<";
    angle += url;
    angle += '>';
    out += header("List-Unsubscribe", {angle});
    // RFC 8058: mail providers may unsubscribe with one POST, without the user opening the page.
    out += "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n";
  }
  // Base64 never contains "=_", so a boundary starting with it cannot occur in a part; hashing
  // the id only keeps it stable across retries without randomness.
  std::string boundary = "=_xiehui_";
  boundary += sha256_hex(email.message_id).substr(0, 32);
  out += "Content-Type: multipart/alternative;\r\n boundary=\"";
  out += boundary;
  out += "\"\r\n\r\n";
  append_part(out, boundary, "text/plain", email.text);
  // Without HTML the plain part stands alone: an empty HTML alternative would be what a
  // mail program shows.
  if (!email.html.empty()) append_part(out, boundary, "text/html", email.html);
  out += "--";
  out += boundary;
  out += "--\r\n";
  return out;
}

}  // namespace xiehui::notifications
