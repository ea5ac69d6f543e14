#include "core/time.hpp"

#include <fmt/format.h>

#include <cctype>

namespace xiehui {
namespace {

using namespace std::chrono;

// Reads exactly `n` digits at `pos`, advancing it; nullopt when any is not a digit.
std::optional<int> digits(std::string_view s, std::size_t& pos, std::size_t n) {
  if (pos + n > s.size()) return std::nullopt;
  int v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const char c = s[pos + i];
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  pos += n;
  return v;
}

bool expect(std::string_view s, std::size_t& pos, char c) {
  if (pos >= s.size() || s[pos] != c) return false;
  ++pos;
  return true;
}

std::optional<Date> read_date(std::string_view s, std::size_t& pos) {
  auto y = digits(s, pos, 4);
  if (!y || !expect(s, pos, '-')) return std::nullopt;
  auto m = digits(s, pos, 2);
  if (!m || !expect(s, pos, '-')) return std::nullopt;
  auto d = digits(s, pos, 2);
  if (!d) return std::nullopt;
  Date date{year{*y}, month{static_cast<unsigned>(*m)}, day{static_cast<unsigned>(*d)}};
  if (!date.ok()) return std::nullopt;
  return date;
}

// "HH:MM:SS[.ffffff]" → time of day; fractions beyond microseconds are truncated.
std::optional<microseconds> read_time(std::string_view s, std::size_t& pos) {
  auto h = digits(s, pos, 2);
  if (!h || !expect(s, pos, ':')) return std::nullopt;
  auto mi = digits(s, pos, 2);
  if (!mi || !expect(s, pos, ':')) return std::nullopt;
  auto sec = digits(s, pos, 2);
  if (!sec || *h > 23 || *mi > 59 || *sec > 59) return std::nullopt;
  microseconds t = hours{*h} + minutes{*mi} + seconds{*sec};
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    long long frac = 0;
    int n = 0;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
      if (n < 6) {
        frac = frac * 10 + (s[pos] - '0');
        ++n;
      }
      ++pos;
    }
    if (n == 0) return std::nullopt;
    for (; n < 6; ++n) frac *= 10;
    t += microseconds{frac};
  }
  return t;
}

}  // namespace

bool in_supported_range(Date d) {
  return d.ok() && d.year() >= year{kMinYear} && d.year() <= year{kMaxYear};
}

std::string format_instant(Timestamp t) {
  const auto local = floor<seconds>(t) + kShanghaiOffset;
  const auto day_point = floor<days>(local);
  const year_month_day ymd{day_point};
  const hh_mm_ss hms{local - day_point};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+08:00", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count());
}

std::optional<Timestamp> parse_instant(std::string_view s) {
  std::size_t pos = 0;
  auto date = read_date(s, pos);
  if (!date || !in_supported_range(*date) || pos >= s.size() || (s[pos] != 'T' && s[pos] != ' ')) {
    return std::nullopt;
  }
  ++pos;
  auto tod = read_time(s, pos);
  if (!tod || pos >= s.size()) return std::nullopt;
  minutes offset{0};
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    const int sign = s[pos] == '-' ? -1 : 1;
    ++pos;
    auto oh = digits(s, pos, 2);
    if (!oh) return std::nullopt;
    if (pos < s.size() && s[pos] == ':') ++pos;
    auto om = digits(s, pos, 2);
    if (!om || *oh > 23 || *om > 59) return std::nullopt;
    offset = minutes{sign * (*oh * 60 + *om)};
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  return Timestamp{sys_days{*date}.time_since_epoch() + *tod - offset};
}

std::string format_date(Date d) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(d.year()),
                     static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
}

std::optional<Date> parse_date(std::string_view s) {
  std::size_t pos = 0;
  auto d = read_date(s, pos);
  if (!d || pos != s.size() || !in_supported_range(*d)) return std::nullopt;
  return d;
}

Date shanghai_date(Timestamp t) { return Date{floor<days>(t + kShanghaiOffset)}; }

std::string format_db_timestamp(Timestamp t) {
  const auto day_point = floor<days>(t);
  const year_month_day ymd{day_point};
  const hh_mm_ss hms{t - day_point};
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:06}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count(),
                     hms.subseconds().count());
}

std::optional<Timestamp> parse_db_timestamp(std::string_view s) {
  std::size_t pos = 0;
  auto date = read_date(s, pos);
  if (!date || pos >= s.size() || s[pos] != ' ') return std::nullopt;
  ++pos;
  auto tod = read_time(s, pos);
  if (!tod || pos != s.size()) return std::nullopt;
  return Timestamp{sys_days{*date}.time_since_epoch() + *tod};
}

}  // namespace xiehui
