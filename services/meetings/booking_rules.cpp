#include "services/meetings/booking_rules.hpp"

#include <algorithm>
#include <chrono>
#include <set>

#include "core/time.hpp"

namespace xiehui::meetings {
namespace {

using std::chrono::days;
using std::chrono::sys_days;

FieldError field(std::string name, std::string zh, std::string en) {
  return {std::move(name), {std::move(zh), std::move(en)}};
}

// The local (Asia/Shanghai) date of an instant and its offset into that local day.
struct LocalTime {
  sys_days date;
  std::chrono::microseconds time_of_day;
};

LocalTime local(Timestamp t) {
  const auto shifted = t + kShanghaiOffset;
  const auto day = std::chrono::floor<days>(shifted);
  return {day, shifted - day};
}

Timestamp instant(sys_days date, std::chrono::microseconds time_of_day) {
  return Timestamp{date} + time_of_day - kShanghaiOffset;
}

unsigned iso_weekday(sys_days d) { return std::chrono::weekday{d}.iso_encoding(); }

// The n-th (1..4) or, for n == 5, the last given weekday of a month.
std::optional<sys_days> nth_weekday(std::chrono::year_month ym, unsigned wd, unsigned n) {
  const std::chrono::weekday w{wd % 7};
  if (n >= 5) return sys_days{ym / w[std::chrono::last]};
  const std::chrono::year_month_weekday ymw{ym / w[n]};
  if (!ymw.ok()) return std::nullopt;
  return sys_days{ymw};
}

std::vector<FieldError> check_rule(const SeriesRule& r, sys_days first,
                                   std::optional<sys_days>& until) {
  std::vector<FieldError> errors;
  if (r.freq != "weekly" && r.freq != "monthly") {
    errors.push_back(field("rule.freq", "重复方式应为 weekly 或 monthly", "weekly or monthly"));
  }
  if (r.interval < 1 || r.interval > 12) {
    errors.push_back(field("rule.interval", "间隔应为 1 到 12", "interval is 1 to 12"));
  }
  std::set<int> seen;
  for (int d : r.by_weekday) {
    if (d < 1 || d > 7 || !seen.insert(d).second) {
      errors.push_back(field("rule.by_weekday", "星期应为 1（周一）到 7（周日），不重复",
                             "weekdays are 1 (Monday) to 7 (Sunday), each once"));
      break;
    }
  }
  if (r.freq == "monthly" && r.monthly_by != "date" && r.monthly_by != "weekday") {
    errors.push_back(
        field("rule.monthly_by", "按月重复应为 date 或 weekday", "monthly_by is date or weekday"));
  }
  if (r.until.has_value() == r.count.has_value()) {
    errors.push_back(field("rule.until", "请给出结束日期或重复次数（二选一）",
                           "give either an end date or a count"));
  }
  if (r.count && (*r.count < 1 || *r.count > kMaxOccurrences)) {
    errors.push_back(field("rule.count", "次数应为 1 到 " + std::to_string(kMaxOccurrences),
                           "count is 1 to " + std::to_string(kMaxOccurrences)));
  }
  if (r.until) {
    auto d = parse_date(*r.until);
    if (!d) {
      errors.push_back(field("rule.until", "结束日期格式应为 YYYY-MM-DD", "use YYYY-MM-DD"));
    } else if (sys_days{*d} < first) {
      errors.push_back(
          field("rule.until", "结束日期不能早于首次日期", "the end is before the first date"));
    } else if (sys_days{*d} > first + days{366 * kMaxSeriesYears}) {
      errors.push_back(
          field("rule.until", "系列最长 " + std::to_string(kMaxSeriesYears) + " 年",
                "a series lasts at most " + std::to_string(kMaxSeriesYears) + " years"));
    } else {
      until = sys_days{*d};
    }
  }
  return errors;
}

}  // namespace

bool overlaps(const Interval& a, const Interval& b) {
  return a.starts_at < b.ends_at && b.starts_at < a.ends_at;
}

std::vector<FieldError> check_booking_times(Timestamp starts_at, Timestamp ends_at) {
  std::vector<FieldError> errors;
  if (ends_at <= starts_at) {
    errors.push_back(field("ends_at", "结束时间应晚于开始时间", "the end must be after the start"));
  } else if (ends_at - starts_at > days{kMaxBookingDays}) {
    errors.push_back(field("ends_at", "单次预订最长 " + std::to_string(kMaxBookingDays) + " 天",
                           "a booking lasts at most " + std::to_string(kMaxBookingDays) + " days"));
  }
  return errors;
}

Result<std::vector<Interval>> expand_series(Timestamp starts_at, Timestamp ends_at,
                                            const SeriesRule& rule,
                                            const std::vector<std::string>& except) {
  std::vector<FieldError> errors = check_booking_times(starts_at, ends_at);
  const LocalTime first = local(starts_at);
  const auto duration = ends_at - starts_at;
  std::optional<sys_days> until;
  auto rule_errors = check_rule(rule, first.date, until);
  errors.insert(errors.end(), rule_errors.begin(), rule_errors.end());
  std::set<sys_days> skip;
  if (except.size() > static_cast<std::size_t>(kMaxOccurrences)) {
    errors.push_back(field("except", "例外日期过多", "too many exception dates"));
  }
  for (const auto& e : except) {
    auto d = parse_date(e);
    if (!d) {
      errors.push_back(field("except", "例外日期格式应为 YYYY-MM-DD", "use YYYY-MM-DD"));
      break;
    }
    skip.insert(sys_days{*d});
  }
  if (!errors.empty()) return std::unexpected(invalid_fields(std::move(errors)));

  // Candidate dates in order; the loop ends at `until`, at `count`, or at the hard bounds.
  const sys_days horizon = until.value_or(first.date + days{366 * kMaxSeriesYears});
  std::vector<sys_days> dates;
  const auto want = [&] { return !rule.count || static_cast<int>(dates.size()) < *rule.count; };
  if (rule.freq == "weekly") {
    std::vector<int> wds = rule.by_weekday;
    if (wds.empty()) wds.push_back(static_cast<int>(iso_weekday(first.date)));
    std::sort(wds.begin(), wds.end());
    const sys_days monday = first.date - days{iso_weekday(first.date) - 1};
    for (sys_days week = monday; week <= horizon && want(); week += days{7 * rule.interval}) {
      for (int wd : wds) {
        const sys_days d = week + days{wd - 1};
        if (d < first.date || d > horizon || !want()) continue;
        dates.push_back(d);
      }
    }
  } else {
    const std::chrono::year_month_day ymd{first.date};
    const std::chrono::year_month start{ymd.year(), ymd.month()};
    const unsigned day = static_cast<unsigned>(ymd.day());
    const unsigned wd = iso_weekday(first.date);
    const unsigned nth = (day - 1) / 7 + 1;
    for (int m = 0;; m += rule.interval) {
      const auto ym = start + std::chrono::months{m};
      if (sys_days{ym / 1} > horizon || !want()) break;
      std::optional<sys_days> d;
      if (rule.monthly_by == "weekday") {
        d = nth_weekday(ym, wd, nth);
      } else if (const auto ymd_m = ym / std::chrono::day{day}; ymd_m.ok()) {
        d = sys_days{ymd_m};
      }
      if (d && *d >= first.date && *d <= horizon) dates.push_back(*d);
    }
  }
  if (rule.count && static_cast<int>(dates.size()) < *rule.count) {
    return std::unexpected(invalid_fields(
        {field("rule.count", "系列最长 " + std::to_string(kMaxSeriesYears) + " 年",
               "a series lasts at most " + std::to_string(kMaxSeriesYears) + " years")}));
  }
  std::erase_if(dates, [&](sys_days d) { return skip.contains(d); });
  if (dates.empty()) {
    return std::unexpected(
        invalid_fields({field("rule", "该规则没有任何一次预订", "the rule yields no occurrence")}));
  }
  if (dates.size() > static_cast<std::size_t>(kMaxOccurrences)) {
    return std::unexpected(invalid_fields(
        {field("rule.until", "一个系列最多 " + std::to_string(kMaxOccurrences) + " 次",
               "a series has at most " + std::to_string(kMaxOccurrences) + " occurrences")}));
  }
  std::vector<Interval> out;
  out.reserve(dates.size());
  for (sys_days d : dates) {
    const Timestamp s = instant(d, first.time_of_day);
    // Occurrences come in order: overlapping neighbours mean one longer than the gap.
    if (!out.empty() && out.back().ends_at > s) {
      return std::unexpected(invalid_fields({field(
          "ends_at", "每次时长超过两次之间的间隔，系列会与自身重叠",
          "each occurrence lasts longer than the gap to the next: the series overlaps itself")}));
    }
    out.push_back({s, s + duration});
  }
  return out;
}

}  // namespace xiehui::meetings
