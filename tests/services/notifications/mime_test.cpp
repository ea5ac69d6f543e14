// The message text the channels send, checked by reading it back as a strict receiver would:
// RFC 5322 lines, RFC 2047 words decoded here, the MIME parts split on their boundary.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <chrono>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "services/notifications/channels.hpp"

namespace xiehui::notifications {
namespace {

using namespace std::chrono;

std::string base64_decode(std::string_view in) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned bits = 0;
  int count = 0;
  for (const char c : in) {
    if (c == '=' || c == '\r' || c == '\n') continue;
    const auto v = kAlphabet.find(c);
    if (v == std::string_view::npos) {
      ADD_FAILURE() << "not base64: '" << c << "'";
      return out;
    }
    bits = bits << 6 | static_cast<unsigned>(v);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out += static_cast<char>(bits >> count & 0xFF);
    }
  }
  return out;
}

bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto lead = static_cast<unsigned char>(s[i]);
    const std::size_t n = lead < 0x80             ? 1
                          : (lead & 0xE0) == 0xC0 ? 2
                          : (lead & 0xF0) == 0xE0 ? 3
                          : (lead & 0xF8) == 0xF0 ? 4
                                                  : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t begin = 0;
  for (std::size_t end; (end = text.find("\r\n", begin)) != std::string_view::npos;
       begin = end + 2) {
    lines.emplace_back(text.substr(begin, end - begin));
  }
  if (begin < text.size()) lines.emplace_back(text.substr(begin));
  return lines;
}

struct Message {
  std::vector<std::string> header_lines;  // physical lines
  std::string body;
};

Message split(const std::string& mime) {
  const auto blank = mime.find("\r\n\r\n");
  EXPECT_NE(blank, std::string::npos) << "no blank line after the header";
  if (blank == std::string::npos) return {};
  return {lines_of(mime.substr(0, blank + 2)), mime.substr(blank + 4)};
}

// The header's value with folding undone (CRLF removed, the white space kept), or nullopt.
std::optional<std::string> header_value(const Message& m, std::string_view name) {
  std::optional<std::string> value;
  bool in = false;
  for (const std::string& line : m.header_lines) {
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
      if (in) *value += line;
      continue;
    }
    in = false;
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string field = line.substr(0, colon);
    if (field.size() == name.size() &&
        std::equal(field.begin(), field.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        })) {
      EXPECT_FALSE(value.has_value()) << "header " << name << " twice";
      value = line.substr(colon + 1);
      if (!value->empty() && value->front() == ' ') value->erase(0, 1);
      in = true;
    }
  }
  return value;
}

// Decodes a run of encoded words; checks each against RFC 2047's limits and that it holds whole
// UTF-8 characters.
std::string decode_words(std::string_view value) {
  static const std::regex kWord(R"(=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=)");
  std::string decoded;
  std::string rest(value);
  std::smatch m;
  int words = 0;
  while (std::regex_search(rest, m, kWord)) {
    EXPECT_TRUE(m.prefix().str().find_first_not_of(' ') == std::string::npos)
        << "text between encoded words: '" << m.prefix() << "'";
    EXPECT_LE(m.length(0), 75) << m.str(0);
    const std::string chunk = base64_decode(m.str(1));
    EXPECT_TRUE(valid_utf8(chunk)) << "an encoded word splits a character: " << m.str(0);
    decoded += chunk;
    rest = m.suffix();
    ++words;
  }
  EXPECT_GT(words, 0) << "no encoded word in '" << value << "'";
  return decoded;
}

struct Part {
  std::string headers;
  std::string body;
};

std::string boundary_of(const Message& m) {
  const std::optional<std::string> type = header_value(m, "Content-Type");
  EXPECT_TRUE(type.has_value());
  static const std::regex kBoundary(R"re(^multipart/alternative;\s*boundary="([^"]+)"$)re");
  std::smatch match;
  if (!type || !std::regex_match(*type, match, kBoundary)) {
    ADD_FAILURE() << "Content-Type: " << type.value_or("(none)");
    return {};
  }
  return match.str(1);
}

std::vector<Part> parts_of(const Message& m) {
  const std::string boundary = boundary_of(m);
  std::vector<Part> parts;
  if (boundary.empty()) return parts;
  const std::string delimiter = "--" + boundary;
  const std::vector<std::string> lines = lines_of(m.body);
  bool closed = false;
  std::optional<Part> current;
  bool in_headers = false;
  for (const std::string& line : lines) {
    if (line == delimiter || line == delimiter + "--") {
      if (current) parts.push_back(*current);
      current.reset();
      if (line != delimiter) {
        closed = true;
        break;
      }
      current = Part{};
      in_headers = true;
      continue;
    }
    if (!current) continue;
    if (in_headers) {
      if (line.empty()) {
        in_headers = false;
      } else {
        current->headers += line + "\n";
      }
      continue;
    }
    EXPECT_LE(line.size(), 76u) << "a base64 line longer than 76";
    current->body += line;
  }
  EXPECT_TRUE(closed) << "no closing delimiter";
  return parts;
}

OutgoingEmail sample() {
  OutgoingEmail e;
  e.message_id = "<outbox-17@xiehui.example.org>";
  e.from = "长沙市软件行业协会 <noreply@xiehui.example.org>";
  e.to = "zhang.san@member.example.com";
  e.to_name = "张三";
  e.subject = "会议提醒：2026 年度理事会";
  e.text = "您好：\n理事会将于 12 月 5 日 10:00 召开。\n";
  e.html = "<p>您好：</p>\n<p>理事会将于 <b>12 月 5 日 10:00</b> 召开。</p>\n";
  e.unsubscribe_url = "https://xiehui.example.org/preferences?token=abc";
  e.date = Timestamp{sys_days{2026y / 12 / 5} + 2h};
  return e;
}

TEST(MimeTest, LinesEndWithCrlfAndStayWithin78) {
  const std::string mime = build_mime(sample());
  for (std::size_t i = 0; i < mime.size(); ++i) {
    if (mime[i] == '\n') {
      ASSERT_TRUE(i > 0 && mime[i - 1] == '\r') << "bare LF at " << i;
    }
    if (mime[i] == '\r') {
      ASSERT_TRUE(i + 1 < mime.size() && mime[i + 1] == '\n') << "bare CR at " << i;
    }
  }
  ASSERT_TRUE(mime.ends_with("\r\n"));
  for (const std::string& line : lines_of(mime)) {
    EXPECT_LE(line.size(), 78u) << line;
    for (const char c : line) EXPECT_GE(static_cast<unsigned char>(c), 0x20) << line;
    for (const char c : line) EXPECT_LT(static_cast<unsigned char>(c), 0x7F) << line;
  }
}

TEST(MimeTest, ChineseSubjectRoundTripsThroughFoldedEncodedWords) {
  OutgoingEmail e = sample();
  // Long enough for several words; 3- and 4-byte characters and ASCII mixed so that a fixed-size
  // cut would split one.
  e.subject =
      "关于召开长沙市软件行业协会 2026 年度第一次理事会暨会员代表大会的通知（请于"
      "12 月 1 日前回复）😀 谢谢 a😀b";
  const Message m = split(build_mime(e));
  const std::optional<std::string> subject = header_value(m, "Subject");
  ASSERT_TRUE(subject.has_value());
  EXPECT_EQ(decode_words(*subject), e.subject);
  int subject_lines = 0;
  bool in_subject = false;
  for (const std::string& line : m.header_lines) {
    if (line.starts_with("Subject:"))
      in_subject = true;
    else if (line[0] != ' ')
      in_subject = false;
    if (in_subject) {
      ++subject_lines;
      EXPECT_LE(line.size(), 78u) << line;
    }
  }
  EXPECT_GT(subject_lines, 1) << "a long subject is folded";
}

TEST(MimeTest, AsciiSubjectIsNotEncoded) {
  OutgoingEmail e = sample();
  e.subject = "Board meeting on 5 December";
  const Message m = split(build_mime(e));
  EXPECT_EQ(header_value(m, "Subject"), "Board meeting on 5 December");
}

TEST(MimeTest, AsciiLookingLikeAnEncodedWordIsEncoded) {
  OutgoingEmail e = sample();
  e.subject = "=?UTF-8?B?5Y2P5Lya?=";
  const Message m = split(build_mime(e));
  EXPECT_EQ(decode_words(header_value(m, "Subject").value_or("")), e.subject);
}

TEST(MimeTest, AddressHeadersEncodeChineseNames) {
  const Message m = split(build_mime(sample()));
  const std::string from = header_value(m, "From").value_or("");
  ASSERT_TRUE(from.ends_with(" <noreply@xiehui.example.org>")) << from;
  EXPECT_EQ(decode_words(from.substr(0, from.rfind(" <"))), "长沙市软件行业协会");
  const std::string to = header_value(m, "To").value_or("");
  ASSERT_TRUE(to.ends_with(" <zhang.san@member.example.com>")) << to;
  EXPECT_EQ(decode_words(to.substr(0, to.rfind(" <"))), "张三");
}

TEST(MimeTest, LongChineseNamesFoldWithinTheLineLimit) {
  OutgoingEmail e = sample();
  e.from =
      "中华人民共和国湖南省长沙市软件和信息技术服务业行业协会秘书处会员服务部 "
      "<noreply@xiehui.example.org>";
  e.to_name = "欧阳张三丰（长沙市某某某某某某某某某某信息技术有限公司）";
  const Message m = split(build_mime(e));
  for (const std::string& line : m.header_lines) EXPECT_LE(line.size(), 78u) << line;
  const std::string from = header_value(m, "From").value_or("");
  EXPECT_EQ(decode_words(from.substr(0, from.rfind(" <"))),
            "中华人民共和国湖南省长沙市软件和信息技术服务业行业协会秘书处会员服务部");
  const std::string to = header_value(m, "To").value_or("");
  EXPECT_EQ(decode_words(to.substr(0, to.rfind(" <"))), e.to_name);
}

TEST(MimeTest, AsciiNamesAreQuotedOnlyWhenNeeded) {
  OutgoingEmail e = sample();
  e.from = "noreply@xiehui.example.org";
  e.to_name = "Zhang San";
  Message m = split(build_mime(e));
  EXPECT_EQ(header_value(m, "From"), "noreply@xiehui.example.org");
  EXPECT_EQ(header_value(m, "To"), "Zhang San <zhang.san@member.example.com>");
  e.from = "\"Xiehui, Changsha\" <noreply@xiehui.example.org>";
  e.to_name = "San \"3\" Zhang";
  e.to_name += '\\';
  m = split(build_mime(e));
  EXPECT_EQ(header_value(m, "From"), "\"Xiehui, Changsha\" <noreply@xiehui.example.org>");
  EXPECT_EQ(header_value(m, "To"), R"("San \"3\" Zhang\\" <zhang.san@member.example.com>)");
  e.from = R"("San \"3\" Zhang" <noreply@xiehui.example.org>)";
  m = split(build_mime(e));
  EXPECT_EQ(header_value(m, "From"), R"("San \"3\" Zhang" <noreply@xiehui.example.org>)");
  e.to_name.clear();
  m = split(build_mime(e));
  EXPECT_EQ(header_value(m, "To"), "zhang.san@member.example.com");
}

TEST(MimeTest, FixedHeaders) {
  const Message m = split(build_mime(sample()));
  EXPECT_EQ(header_value(m, "Message-ID"), "<outbox-17@xiehui.example.org>");
  EXPECT_EQ(header_value(m, "Date"), "Sat, 05 Dec 2026 10:00:00 +0800");
  EXPECT_EQ(header_value(m, "MIME-Version"), "1.0");
  EXPECT_EQ(header_value(m, "Auto-Submitted"), "auto-generated");
}

TEST(MimeTest, DateIsShanghaiTimeAcrossMidnight) {
  OutgoingEmail e = sample();
  e.date = Timestamp{sys_days{2026y / 12 / 31} + 16h + 30min + 5s + 999ms};
  EXPECT_EQ(header_value(split(build_mime(e)), "Date"), "Fri, 01 Jan 2027 00:30:05 +0800");
}

TEST(MimeTest, HeaderInjectionIsStripped) {
  OutgoingEmail e = sample();
  e.subject = "Hello\r\nBcc: victim@example.com";
  e.to_name = "Zhang\nBcc: a@example.com";
  e.to = "zhang@example.com\r\nBcc: b@example.com";
  e.from = "Xiehui\r\nX-Evil: 1 <noreply@xiehui.example.org>";
  e.message_id = "<id@x>\r\nBcc: c@example.com";
  e.unsubscribe_url = "https://x.example.org/u\r\nBcc: d@example.com";
  const Message m = split(build_mime(e));
  for (const std::string& line : m.header_lines) {
    EXPECT_FALSE(line.starts_with("Bcc")) << line;
    EXPECT_FALSE(line.starts_with("X-Evil")) << line;
  }
  EXPECT_EQ(header_value(m, "Subject"), "HelloBcc: victim@example.com");
  EXPECT_EQ(header_value(m, "Bcc"), std::nullopt);
}

TEST(MimeTest, BothPartsAreBase64Utf8AndDecodeToTheText) {
  const OutgoingEmail e = sample();
  const Message m = split(build_mime(e));
  const std::vector<Part> parts = parts_of(m);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].headers,
            "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: base64\n");
  EXPECT_EQ(parts[1].headers,
            "Content-Type: text/html; charset=UTF-8\nContent-Transfer-Encoding: base64\n");
  // Canonical text: the template's LF line ends travel as CRLF.
  EXPECT_EQ(base64_decode(parts[0].body), "您好：\r\n理事会将于 12 月 5 日 10:00 召开。\r\n");
  EXPECT_EQ(base64_decode(parts[1].body),
            "<p>您好：</p>\r\n<p>理事会将于 <b>12 月 5 日 10:00</b> 召开。</p>\r\n");
}

TEST(MimeTest, LongBodiesWrapAt76) {
  OutgoingEmail e = sample();
  e.text = std::string(3000, 'x');
  const std::vector<Part> parts = parts_of(split(build_mime(e)));
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(base64_decode(parts[0].body), e.text);
}

TEST(MimeTest, WithoutHtmlThePlainPartStandsAlone) {
  OutgoingEmail e = sample();
  e.html.clear();
  const std::vector<Part> parts = parts_of(split(build_mime(e)));
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_TRUE(parts[0].headers.starts_with("Content-Type: text/plain;"));
}

TEST(MimeTest, BoundaryIsStableAndNotInTheBodies) {
  OutgoingEmail e = sample();
  const Message m = split(build_mime(e));
  const std::string boundary = boundary_of(m);
  ASSERT_FALSE(boundary.empty());
  // The text can even quote the boundary: it travels as base64.
  e.text += "--" + boundary + "\n";
  const std::string mime = build_mime(e);
  EXPECT_EQ(boundary_of(split(mime)), boundary) << "derived from the id alone";
  std::size_t occurrences = 0;
  for (auto at = mime.find(boundary); at != std::string::npos; at = mime.find(boundary, at + 1)) {
    ++occurrences;
  }
  EXPECT_EQ(occurrences, 4u) << "the parameter, two delimiters and the close";
  for (const Part& part : parts_of(split(mime))) {
    EXPECT_EQ(part.body.find(boundary), std::string::npos);
  }
  EXPECT_EQ(build_mime(e), mime) << "no randomness: a retry sends the same bytes";
  e.message_id = "<outbox-18@xiehui.example.org>";
  EXPECT_NE(boundary_of(split(build_mime(e))), boundary);
}

TEST(MimeTest, ListUnsubscribeOnlyWithAUrl) {
  OutgoingEmail e = sample();
  Message m = split(build_mime(e));
  EXPECT_EQ(header_value(m, "List-Unsubscribe"),
            "<https://xiehui.example.org/preferences?token=abc>");
  EXPECT_EQ(header_value(m, "List-Unsubscribe-Post"), "List-Unsubscribe=One-Click");
  e.unsubscribe_url.clear();
  m = split(build_mime(e));
  EXPECT_EQ(header_value(m, "List-Unsubscribe"), std::nullopt);
  EXPECT_EQ(header_value(m, "List-Unsubscribe-Post"), std::nullopt);
}

// --- SMS ---

OutgoingSms sms() {
  OutgoingSms s;
  s.message_id = "outbox-42";
  s.mobile = "13800138000";
  s.text = "【协会】张三您好，\"理事会\"\n明天\\10:00 召开\t😀";
  s.kind = "meeting_reminder";
  return s;
}

constexpr std::string_view kTemplate =
    R"({"PhoneNumbers":"{{mobile}}","SignName":"协会","Text":"{{text}}","OutId":"{{ id }}",)"
    R"("Kind":"kind={{kind}}","Escaped":"\"{{mobile}}\""})";

TEST(SmsBodyTest, PlaceholdersBecomeEscapedJsonStrings) {
  const Result<std::string> body = render_sms_body(kTemplate, sms());
  ASSERT_TRUE(body.has_value()) << body.error().message.en;
  const boost::json::object o = boost::json::parse(*body).as_object();
  EXPECT_EQ(o.at("PhoneNumbers").as_string(), "13800138000");
  EXPECT_EQ(o.at("Text").as_string(), sms().text);
  EXPECT_EQ(o.at("OutId").as_string(), "outbox-42");
  EXPECT_EQ(o.at("Kind").as_string(), "kind=meeting_reminder");
  EXPECT_EQ(o.at("SignName").as_string(), "协会");
  EXPECT_EQ(o.at("Escaped").as_string(), "\"13800138000\"") << "escapes around it are kept";
}

TEST(SmsBodyTest, UnknownPlaceholderIsRefused) {
  const Result<std::string> body = render_sms_body(R"({"to":"{{phone}}"})", sms());
  ASSERT_FALSE(body.has_value());
  EXPECT_EQ(body.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(body.error().message.en.find("{{phone}}"), std::string::npos);
  EXPECT_NE(body.error().message.zh.find("{{phone}}"), std::string::npos);
}

TEST(SmsBodyTest, ControlCharactersAreEscaped) {
  OutgoingSms s = sms();
  s.text = std::string("a\x01b\x1f\"\\\t");
  const Result<std::string> body = render_sms_body(R"({"t":"{{text}}"})", s);
  ASSERT_TRUE(body.has_value());
  EXPECT_EQ(boost::json::parse(*body).as_object().at("t").as_string(), s.text);
}

TEST(SmsBodyTest, PlaceholderOutsideAStringIsRefused) {
  OutgoingSms s = sms();
  s.message_id = "42";  // would even parse as a number
  const Result<std::string> body = render_sms_body(R"({"id":{{id}}})", s);
  ASSERT_FALSE(body.has_value());
  EXPECT_EQ(body.error().code, ErrorCode::invalid_argument);
}

TEST(SmsBodyTest, TemplateWithoutPlaceholdersPassesThrough) {
  EXPECT_EQ(render_sms_body(R"({"a":"{{ not closed","b":[1,2]})", sms()).value_or(""),
            R"({"a":"{{ not closed","b":[1,2]})");
}

std::string repeat(std::string_view unit, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += unit;
  return out;
}

TEST(SmsSegmentsTest, Gsm7Text) {
  EXPECT_EQ(sms_segments(""), 0);
  EXPECT_EQ(sms_segments("a"), 1);
  EXPECT_EQ(sms_segments(repeat("a", 160)), 1);
  EXPECT_EQ(sms_segments(repeat("a", 161)), 2);
  EXPECT_EQ(sms_segments(repeat("a", 306)), 2);
  EXPECT_EQ(sms_segments(repeat("a", 307)), 3);
  // GSM's own accented letters stay GSM-7.
  EXPECT_EQ(sms_segments(repeat("é", 160)), 1);
  EXPECT_EQ(sms_characters(repeat("é", 5)), 5);
}

TEST(SmsSegmentsTest, ExtensionCharactersCountTwo) {
  EXPECT_EQ(sms_characters("{€}"), 6);
  EXPECT_EQ(sms_segments(repeat("{", 80)), 1);
  EXPECT_EQ(sms_segments(repeat("{", 81)), 2);
}

TEST(SmsSegmentsTest, ChineseText) {
  EXPECT_EQ(sms_characters("你好"), 2);
  EXPECT_EQ(sms_segments(repeat("中", 70)), 1);
  EXPECT_EQ(sms_segments(repeat("中", 71)), 2);
  EXPECT_EQ(sms_segments(repeat("中", 134)), 2);
  EXPECT_EQ(sms_segments(repeat("中", 135)), 3);
  // One non-GSM character switches the whole text to UCS-2.
  EXPECT_EQ(sms_segments(repeat("a", 70) + "`"), 2);
  EXPECT_EQ(sms_segments(repeat("a", 69) + "中"), 1);
}

TEST(SmsSegmentsTest, CharactersOutsideTheBmpCountTwo) {
  EXPECT_EQ(sms_characters("😀"), 2);
  EXPECT_EQ(sms_segments(repeat("😀", 35)), 1);
  EXPECT_EQ(sms_segments(repeat("😀", 36)), 2);
}

}  // namespace
}  // namespace xiehui::notifications
