#include "core/ical.hpp"

#include <fmt/format.h>

#include <chrono>

#include "core/time.hpp"

namespace xiehui::ical {
namespace {

using std::chrono::seconds;

constexpr std::string_view kCrlf = "\r\n";
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
constexpr std::size_t kMaxLineOctets = 75;

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

/// The length of the well-formed UTF-8 sequence starting at s[i], or 0 when there is none
/// (stray continuation byte, overlong form, surrogate, past U+10FFFF, truncated).
std::size_t sequence_length(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  std::size_t n = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) low = 0xA0;
    if (c == 0xED) high = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) low = 0x90;
    if (c == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (s.size() - i < n) return 0;
  const auto second = static_cast<unsigned char>(s[i + 1]);
  if (second < low || second > high) return 0;
  for (std::size_t k = 2; k < n; ++k) {
    if (!is_continuation(static_cast<unsigned char>(s[i + k]))) return 0;
  }
  return n;
}

/// A URI value is not TEXT (no escaping), but a line break in it would start a new property.
std::string strip_controls(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c != 0x7F) out += ch;
  }
  return out;
}

std::string format_fields(std::chrono::sys_seconds t, std::string_view suffix) {
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{t - day};
  return fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}{}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count(), suffix);
}

/// "20260305T010000Z".
std::string utc_stamp(Timestamp t) { return format_fields(std::chrono::floor<seconds>(t), "Z"); }

/// "20260305T090000", the wall-clock time in Asia/Shanghai (fixed +08:00, so no gaps or folds).
std::string shanghai_local(Timestamp t) {
  return format_fields(std::chrono::floor<seconds>(t) + kShanghaiOffset, "");
}

class Writer {
 public:
  void line(std::string_view name, std::string_view value) {
    std::string content;
    content.reserve(name.size() + 1 + value.size());
    content.append(name).append(":").append(value);
    out_ += fold_line(content);
    out_ += kCrlf;
  }
  void text(std::string_view name, std::string_view value) { line(name, escape_text(value)); }
  void optional_text(std::string_view name, std::string_view value) {
    if (!value.empty()) text(name, value);
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

void write_timezone(Writer& w) {
  w.line("BEGIN", "VTIMEZONE");
  w.line("TZID", "Asia/Shanghai");
  w.line("BEGIN", "STANDARD");
  w.line("TZOFFSETFROM", "+0800");
  w.line("TZOFFSETTO", "+0800");
  w.line("TZNAME", "CST");
  w.line("DTSTART", "19700101T000000");
  w.line("END", "STANDARD");
  w.line("END", "VTIMEZONE");
}

void write_event(Writer& w, const Event& e, const std::string& dtstamp) {
  w.line("BEGIN", "VEVENT");
  w.text("UID", e.uid);
  w.line("DTSTAMP", dtstamp);
  w.line("DTSTART;TZID=Asia/Shanghai", shanghai_local(e.starts_at));
  w.line("DTEND;TZID=Asia/Shanghai", shanghai_local(e.ends_at));
  w.line("SEQUENCE", std::to_string(e.sequence));
  w.optional_text("SUMMARY", e.summary);
  w.optional_text("LOCATION", e.location);
  w.optional_text("DESCRIPTION", e.description);
  if (const auto url = strip_controls(e.url); !url.empty()) w.line("URL", url);
  w.optional_text("CATEGORIES", e.categories);
  w.line("STATUS", e.cancelled ? "CANCELLED" : "CONFIRMED");
  if (e.last_modified != Timestamp{}) w.line("LAST-MODIFIED", utc_stamp(e.last_modified));
  w.line("END", "VEVENT");
}

}  // namespace

std::string calendar(std::string_view name, const std::vector<Event>& events, Timestamp now) {
  Writer w;
  w.line("BEGIN", "VCALENDAR");
  w.line("PRODID", "-//xiehui//xiehui//ZH");
  w.line("VERSION", "2.0");
  w.line("CALSCALE", "GREGORIAN");
  w.line("METHOD", "PUBLISH");
  w.text("X-WR-CALNAME", name);
  w.line("X-WR-TIMEZONE", "Asia/Shanghai");
  write_timezone(w);
  const std::string dtstamp = utc_stamp(now);
  for (const Event& e : events) write_event(w, e, dtstamp);
  w.line("END", "VCALENDAR");
  return w.take();
}

std::string escape_text(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t n = sequence_length(text, i);
    if (n == 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    if (n == 1) {
      switch (c) {
        case '\\':
          out += "\\\\";
          break;
        case ';':
          out += "\\;";
          break;
        case ',':
          out += "\\,";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          // CRLF is one break; a lone CR (old Mac text) is a break of its own.
          if (i + 1 >= text.size() || text[i + 1] != '\n') out += "\\n";
          break;
        case '\t':
          out += '\t';  // TSAFE-CHAR includes HTAB
          break;
        default:
          if (c >= 0x20 && c != 0x7F) out += static_cast<char>(c);
      }
    } else if (!(n == 2 && c == 0xC2 && static_cast<unsigned char>(text[i + 1]) <= 0x9F)) {
      out.append(text.substr(i, n));  // anything but a C1 control (U+0080–U+009F)
    }
    i += n;
  }
  return out;
}

std::string fold_line(std::string_view line) {
  std::string out;
  out.reserve(line.size() + line.size() / 24);
  std::size_t pos = 0;
  // The first physical line holds 75 octets; each continuation starts with the space it is
  // folded with, leaving 74.
  std::size_t room = kMaxLineOctets;
  while (line.size() - pos > room) {
    std::size_t cut = room;
    // Back up to the start of the UTF-8 sequence the cut would split (at most 3 bytes back;
    // further means the text is not UTF-8 and any cut is as good as another).
    for (int back = 0;
         back < 3 && cut > 1 && is_continuation(static_cast<unsigned char>(line[pos + cut]));
         ++back)
      --cut;
    out.append(line.substr(pos, cut));
    out += "\r\n ";
    pos += cut;
    room = kMaxLineOctets - 1;
  }
  out.append(line.substr(pos));
  return out;
}

}  // namespace xiehui::ical
