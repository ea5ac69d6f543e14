// Pure booking rules: half-open overlap, a booking's times, and the expansion of a repeating
// series (weekly and monthly, until or count, exceptions, month ends, leap years, and local
// Asia/Shanghai times whose UTC instant falls on the previous day).

#include "services/meetings/booking_rules.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/time.hpp"

namespace xiehui::meetings {
namespace {

Timestamp at(const char* iso) {
  auto t = parse_instant(iso);
  EXPECT_TRUE(t.has_value()) << iso;
  return t.value_or(Timestamp{});
}

Interval iv(const char* from, const char* to) { return {at(from), at(to)}; }

/// "2026-03-05" and "09:00:00": the local (Asia/Shanghai) date and time of an instant.
std::string local_date(Timestamp t) { return format_instant(t).substr(0, 10); }
std::string local_time(Timestamp t) { return format_instant(t).substr(11, 8); }

std::vector<std::string> dates(const std::vector<Interval>& v) {
  std::vector<std::string> out;
  for (const auto& i : v) out.push_back(local_date(i.starts_at));
  return out;
}

bool names(const Error& e, std::string_view field) {
  return std::ranges::any_of(e.fields, [&](const FieldError& f) { return f.field == field; });
}

std::string field_list(const Error& e) {
  std::string out;
  for (const auto& f : e.fields) out += f.field + " ";
  return out;
}

SeriesRule weekly(std::optional<int> count, std::optional<std::string> until = {},
                  std::vector<int> by_weekday = {}, int interval = 1) {
  SeriesRule r;
  r.freq = "weekly";
  r.interval = interval;
  r.by_weekday = std::move(by_weekday);
  r.count = count;
  r.until = std::move(until);
  return r;
}

SeriesRule monthly(std::string by, std::optional<int> count, std::optional<std::string> until = {},
                   int interval = 1) {
  SeriesRule r;
  r.freq = "monthly";
  r.monthly_by = std::move(by);
  r.interval = interval;
  r.count = count;
  r.until = std::move(until);
  return r;
}

/// The expansion, which the test expects to succeed.
std::vector<Interval> expand(const char* from, const char* to, const SeriesRule& rule,
                             const std::vector<std::string>& except = {}) {
  auto r = expand_series(at(from), at(to), rule, except);
  EXPECT_TRUE(r.has_value()) << (r ? "" : field_list(r.error()) + r.error().message.en);
  return r.value_or(std::vector<Interval>{});
}

/// The refusal, which the test expects.
Error refusal(const char* from, const char* to, const SeriesRule& rule,
              const std::vector<std::string>& except = {}) {
  auto r = expand_series(at(from), at(to), rule, except);
  EXPECT_FALSE(r.has_value()) << "expanded to " << (r ? r->size() : 0) << " occurrences";
  if (r) return make_error(ErrorCode::internal, {"", ""});
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
  return r.error();
}

using Dates = std::vector<std::string>;

// --- overlap ---

TEST(BookingOverlap, TouchingIntervalsDoNotOverlap) {
  const auto a = iv("2026-03-05T10:00:00+08:00", "2026-03-05T11:00:00+08:00");
  const auto b = iv("2026-03-05T11:00:00+08:00", "2026-03-05T12:00:00+08:00");
  EXPECT_FALSE(overlaps(a, b));
  EXPECT_FALSE(overlaps(b, a));
}

TEST(BookingOverlap, OneMicrosecondOfSharedTimeOverlaps) {
  const auto a = iv("2026-03-05T10:00:00+08:00", "2026-03-05T11:00:00+08:00");
  Interval b = iv("2026-03-05T11:00:00+08:00", "2026-03-05T12:00:00+08:00");
  b.starts_at -= std::chrono::microseconds{1};
  EXPECT_TRUE(overlaps(a, b));
  EXPECT_TRUE(overlaps(b, a));
}

TEST(BookingOverlap, PartialContainedAndIdenticalIntervalsOverlap) {
  const auto a = iv("2026-03-05T10:00:00+08:00", "2026-03-05T12:00:00+08:00");
  const auto partial = iv("2026-03-05T11:30:00+08:00", "2026-03-05T13:00:00+08:00");
  const auto inside = iv("2026-03-05T10:30:00+08:00", "2026-03-05T11:00:00+08:00");
  const auto around = iv("2026-03-05T09:00:00+08:00", "2026-03-05T13:00:00+08:00");
  for (const auto& other : {partial, inside, around, a}) {
    EXPECT_TRUE(overlaps(a, other));
    EXPECT_TRUE(overlaps(other, a));
  }
}

TEST(BookingOverlap, DisjointIntervalsAndOffsetsOfTheSameInstant) {
  const auto a = iv("2026-03-05T10:00:00+08:00", "2026-03-05T11:00:00+08:00");
  EXPECT_FALSE(overlaps(a, iv("2026-03-05T13:00:00+08:00", "2026-03-05T14:00:00+08:00")));
  EXPECT_FALSE(overlaps(a, iv("2026-03-04T10:00:00+08:00", "2026-03-04T11:00:00+08:00")));
  // 10:30 Shanghai is 02:30 UTC: the same instant written with another offset.
  EXPECT_TRUE(overlaps(a, iv("2026-03-05T02:30:00Z", "2026-03-05T02:45:00Z")));
  EXPECT_FALSE(overlaps(a, iv("2026-03-05T03:00:00Z", "2026-03-05T04:00:00Z")));
}

// --- a booking's times ---

TEST(BookingTimes, TheEndComesAfterTheStartAndAtMostFourteenDaysLater) {
  EXPECT_TRUE(check_booking_times(at("2026-03-05T10:00:00+08:00"), at("2026-03-05T11:00:00+08:00"))
                  .empty());
  for (const char* end : {"2026-03-05T10:00:00+08:00", "2026-03-05T09:00:00+08:00"}) {
    auto errors = check_booking_times(at("2026-03-05T10:00:00+08:00"), at(end));
    ASSERT_EQ(errors.size(), 1u) << end;
    EXPECT_EQ(errors[0].field, "ends_at");
  }
  const Timestamp start = at("2026-03-01T08:00:00+08:00");
  EXPECT_TRUE(check_booking_times(start, start + std::chrono::days{kMaxBookingDays}).empty())
      << "exactly fourteen days";
  auto too_long = check_booking_times(
      start, start + std::chrono::days{kMaxBookingDays} + std::chrono::microseconds{1});
  ASSERT_EQ(too_long.size(), 1u);
  EXPECT_EQ(too_long[0].field, "ends_at");
}

// --- weekly series ---

TEST(SeriesExpansion, WeeklyDefaultsToTheFirstDaysWeekdayAndKeepsTimeAndLength) {
  // 2026-03-05 is a Thursday.
  auto v = expand("2026-03-05T09:00:00+08:00", "2026-03-05T10:30:00+08:00", weekly(4));
  EXPECT_EQ(dates(v), (Dates{"2026-03-05", "2026-03-12", "2026-03-19", "2026-03-26"}));
  for (const auto& i : v) {
    EXPECT_EQ(local_time(i.starts_at), "09:00:00");
    EXPECT_EQ(local_time(i.ends_at), "10:30:00");
  }
  EXPECT_EQ(v.front().starts_at, at("2026-03-05T09:00:00+08:00")) << "the first is the request";
}

TEST(SeriesExpansion, WeeklyOnSeveralWeekdaysInOrderFromTheFirstDate) {
  // Thursday start, Mondays and Thursdays: Monday 03-02 lies before the first date.
  const Dates want{"2026-03-05", "2026-03-09", "2026-03-12", "2026-03-16", "2026-03-19"};
  EXPECT_EQ(dates(expand("2026-03-05T14:00:00+08:00", "2026-03-05T15:00:00+08:00",
                         weekly(5, {}, {1, 4}))),
            want);
  EXPECT_EQ(dates(expand("2026-03-05T14:00:00+08:00", "2026-03-05T15:00:00+08:00",
                         weekly(5, {}, {4, 1}))),
            want)
      << "the order the weekdays are given in does not matter";
  // Not including the first date's own weekday: the series starts on the next Monday.
  EXPECT_EQ(
      dates(expand("2026-03-05T14:00:00+08:00", "2026-03-05T15:00:00+08:00", weekly(2, {}, {1}))),
      (Dates{"2026-03-09", "2026-03-16"}));
}

TEST(SeriesExpansion, WeeklyEveryOtherWeek) {
  EXPECT_EQ(dates(expand("2026-03-05T09:00:00+08:00", "2026-03-05T10:00:00+08:00",
                         weekly(std::nullopt, "2026-04-16", {}, 2))),
            (Dates{"2026-03-05", "2026-03-19", "2026-04-02", "2026-04-16"}))
      << "until is inclusive";
  EXPECT_EQ(dates(expand("2026-03-05T09:00:00+08:00", "2026-03-05T10:00:00+08:00",
                         weekly(std::nullopt, "2026-04-15", {}, 2))),
            (Dates{"2026-03-05", "2026-03-19", "2026-04-02"}));
  // Two weekdays every other week: the weeks of 03-02, 03-16 and 03-30.
  EXPECT_EQ(dates(expand("2026-03-05T09:00:00+08:00", "2026-03-05T10:00:00+08:00",
                         weekly(4, {}, {1, 4}, 2))),
            (Dates{"2026-03-05", "2026-03-16", "2026-03-19", "2026-03-30"}));
}

TEST(SeriesExpansion, UntilTheFirstDateGivesOneOccurrence) {
  EXPECT_EQ(dates(expand("2026-03-05T09:00:00+08:00", "2026-03-05T10:00:00+08:00",
                         weekly(std::nullopt, "2026-03-05"))),
            (Dates{"2026-03-05"}));
}

TEST(SeriesExpansion, ExceptionDatesAreLeftOutButStillCountTowardsCount) {
  // RFC 5545: COUNT counts the recurrence set before EXDATE removes dates.
  EXPECT_EQ(dates(expand("2026-03-05T09:00:00+08:00", "2026-03-05T10:00:00+08:00", weekly(4),
                         {"2026-03-12"})),
            (Dates{"2026-03-05", "2026-03-19", "2026-03-26"}));
  EXPECT_EQ(dates(expand("2026-03-05T09:00:00+08:00", "2026-03-05T10:00:00+08:00",
                         weekly(std::nullopt, "2026-03-26"), {"2026-03-05", "2026-03-26"})),
            (Dates{"2026-03-12", "2026-03-19"}))
      << "the first and the last date can be exceptions too";
  EXPECT_EQ(dates(expand("2026-03-05T09:00:00+08:00", "2026-03-05T10:00:00+08:00", weekly(2),
                         {"2026-03-06", "2027-01-01"})),
            (Dates{"2026-03-05", "2026-03-12"}))
      << "dates that are no occurrence change nothing";
}

// --- monthly series ---

TEST(SeriesExpansion, MonthlyOnThe31stSkipsShorterMonths) {
  // RFC 5545: an invalid date (April 31st) is ignored and not counted.
  EXPECT_EQ(
      dates(expand("2026-01-31T10:00:00+08:00", "2026-01-31T11:00:00+08:00", monthly("date", 4))),
      (Dates{"2026-01-31", "2026-03-31", "2026-05-31", "2026-07-31"}));
  EXPECT_EQ(dates(expand("2026-01-31T10:00:00+08:00", "2026-01-31T11:00:00+08:00",
                         monthly("date", std::nullopt, "2026-12-31"))),
            (Dates{"2026-01-31", "2026-03-31", "2026-05-31", "2026-07-31", "2026-08-31",
                   "2026-10-31", "2026-12-31"}));
  EXPECT_EQ(dates(expand("2026-01-31T10:00:00+08:00", "2026-01-31T11:00:00+08:00",
                         monthly("date", 3, {}, 3))),
            (Dates{"2026-01-31", "2026-07-31", "2026-10-31"}))
      << "every third month: April has no 31st";
}

TEST(SeriesExpansion, MonthlyFromTheEndOfJanuaryAcrossFebruary) {
  struct Case {
    const char* from;
    const char* to;
    Dates want;
  };
  const Case cases[] = {
      // 2028 is a leap year: February 29th exists.
      {"2028-01-29T10:00:00+08:00",
       "2028-01-29T11:00:00+08:00",
       {"2028-01-29", "2028-02-29", "2028-03-29"}},
      {"2027-01-29T10:00:00+08:00",
       "2027-01-29T11:00:00+08:00",
       {"2027-01-29", "2027-03-29", "2027-04-29"}},
      {"2028-01-30T10:00:00+08:00",
       "2028-01-30T11:00:00+08:00",
       {"2028-01-30", "2028-03-30", "2028-04-30"}},
      {"2027-01-30T10:00:00+08:00",
       "2027-01-30T11:00:00+08:00",
       {"2027-01-30", "2027-03-30", "2027-04-30"}},
      {"2028-01-31T10:00:00+08:00",
       "2028-01-31T11:00:00+08:00",
       {"2028-01-31", "2028-03-31", "2028-05-31"}},
      {"2027-01-31T10:00:00+08:00",
       "2027-01-31T11:00:00+08:00",
       {"2027-01-31", "2027-03-31", "2027-05-31"}},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(dates(expand(c.from, c.to, monthly("date", 3))), c.want) << c.from;
  }
  // 2100 is not a leap year (the Gregorian century rule).
  EXPECT_EQ(
      dates(expand("2100-01-29T10:00:00+08:00", "2100-01-29T11:00:00+08:00", monthly("date", 2))),
      (Dates{"2100-01-29", "2100-03-29"}));
}

TEST(SeriesExpansion, MonthlyByWeekdayKeepsTheNthWeekday) {
  // 2026-03-10 is the second Tuesday of March.
  auto v = expand("2026-03-10T14:30:00+08:00", "2026-03-10T16:00:00+08:00", monthly("weekday", 4));
  EXPECT_EQ(dates(v), (Dates{"2026-03-10", "2026-04-14", "2026-05-12", "2026-06-09"}));
  for (const auto& i : v) {
    const std::chrono::weekday wd{
        std::chrono::floor<std::chrono::days>(i.starts_at + kShanghaiOffset)};
    EXPECT_EQ(wd.iso_encoding(), 2u) << "a Tuesday in Shanghai";
    EXPECT_EQ(local_time(i.starts_at), "14:30:00");
    EXPECT_EQ(local_time(i.ends_at), "16:00:00");
  }
}

TEST(SeriesExpansion, MonthlyByWeekdayFromAFifthWeekdayMeansTheLast) {
  // 2026-03-31 is the fifth Tuesday of March; April, May and June have four or five.
  EXPECT_EQ(dates(expand("2026-03-31T09:00:00+08:00", "2026-03-31T10:00:00+08:00",
                         monthly("weekday", 4))),
            (Dates{"2026-03-31", "2026-04-28", "2026-05-26", "2026-06-30"}));
  // A 29th is always a fifth weekday: Thursday 2026-01-29 → the last Thursday.
  EXPECT_EQ(dates(expand("2026-01-29T09:00:00+08:00", "2026-01-29T10:00:00+08:00",
                         monthly("weekday", 3))),
            (Dates{"2026-01-29", "2026-02-26", "2026-03-26"}));
  // A fourth weekday stays the fourth even when the month has five: 2026-03-24 → 04-28 is the
  // fourth Tuesday of April, and in June the fourth (06-23), not the last (06-30).
  EXPECT_EQ(dates(expand("2026-03-24T09:00:00+08:00", "2026-03-24T10:00:00+08:00",
                         monthly("weekday", 4))),
            (Dates{"2026-03-24", "2026-04-28", "2026-05-26", "2026-06-23"}));
}

// --- local time across UTC midnight (Asia/Shanghai has no DST) ---

TEST(SeriesExpansion, LocalWeekdayDecidesWhenUtcIsStillThePreviousDay) {
  // Monday 07:00 in Shanghai is Sunday 23:00 UTC.
  const char* from = "2026-03-09T07:00:00+08:00";
  const char* to = "2026-03-09T08:30:00+08:00";
  ASSERT_EQ(at(from), at("2026-03-08T23:00:00Z"));
  auto v = expand(from, to, weekly(3));
  EXPECT_EQ(dates(v), (Dates{"2026-03-09", "2026-03-16", "2026-03-23"}));
  for (const auto& i : v) {
    EXPECT_EQ(local_time(i.starts_at), "07:00:00");
    EXPECT_EQ(local_time(i.ends_at), "08:30:00");
    EXPECT_EQ(i.ends_at - i.starts_at, std::chrono::minutes{90});
  }
  EXPECT_EQ(v[1].starts_at, at("2026-03-15T23:00:00Z"));

  // Monday (1) and Wednesday (3) are the local weekdays, not Sunday and Tuesday in UTC.
  auto two = expand(from, to, weekly(4, {}, {1, 3}));
  EXPECT_EQ(dates(two), (Dates{"2026-03-09", "2026-03-11", "2026-03-16", "2026-03-18"}));
  for (const auto& i : two) EXPECT_EQ(local_time(i.starts_at), "07:00:00");

  // Until is a local date: 2026-03-23 07:00 Shanghai (22nd in UTC) is still included.
  EXPECT_EQ(dates(expand(from, to, weekly(std::nullopt, "2026-03-23"))),
            (Dates{"2026-03-09", "2026-03-16", "2026-03-23"}));
  // Exceptions are local dates too.
  EXPECT_EQ(dates(expand(from, to, weekly(3), {"2026-03-16"})),
            (Dates{"2026-03-09", "2026-03-23"}));
  EXPECT_EQ(dates(expand(from, to, weekly(3), {"2026-03-15"})),
            (Dates{"2026-03-09", "2026-03-16", "2026-03-23"}))
      << "the UTC date of an occurrence is no exception";
}

TEST(SeriesExpansion, MonthlyByDateAtDawnUsesTheLocalDayOfTheMonth) {
  // 07:00 on April 1st in Shanghai is 23:00 UTC on March 31st.
  auto v = expand("2026-04-01T07:00:00+08:00", "2026-04-01T09:00:00+08:00", monthly("date", 3));
  EXPECT_EQ(dates(v), (Dates{"2026-04-01", "2026-05-01", "2026-06-01"}));
  for (const auto& i : v) EXPECT_EQ(local_time(i.starts_at), "07:00:00");
  EXPECT_EQ(v[2].starts_at, at("2026-05-31T23:00:00Z"));
}

TEST(SeriesExpansion, MonthlyByWeekdayJustAfterLocalMidnight) {
  // 00:30 on the second Tuesday in Shanghai is 16:30 UTC on Monday.
  auto v = expand("2026-03-10T00:30:00+08:00", "2026-03-10T01:30:00+08:00", monthly("weekday", 3));
  EXPECT_EQ(dates(v), (Dates{"2026-03-10", "2026-04-14", "2026-05-12"}));
  for (const auto& i : v) EXPECT_EQ(local_time(i.starts_at), "00:30:00");
}

TEST(SeriesExpansion, AnOccurrenceThatEndsAfterLocalMidnightKeepsItsLength) {
  auto v = expand("2026-03-05T22:00:00+08:00", "2026-03-06T01:00:00+08:00", weekly(3));
  EXPECT_EQ(dates(v), (Dates{"2026-03-05", "2026-03-12", "2026-03-19"}));
  for (const auto& i : v) {
    EXPECT_EQ(i.ends_at - i.starts_at, std::chrono::hours{3});
    EXPECT_EQ(local_time(i.ends_at), "01:00:00");
  }
}

// --- bounds and refusals ---

TEST(SeriesExpansion, AtMostTwoHundredOccurrences) {
  const std::vector<int> every_day{1, 2, 3, 4, 5, 6, 7};
  EXPECT_EQ(expand("2026-03-05T09:00:00+08:00", "2026-03-05T10:00:00+08:00",
                   weekly(kMaxOccurrences, {}, every_day))
                .size(),
            static_cast<std::size_t>(kMaxOccurrences));
  EXPECT_TRUE(names(refusal("2026-03-05T09:00:00+08:00", "2026-03-05T10:00:00+08:00",
                            weekly(kMaxOccurrences + 1, {}, every_day)),
                    "rule.count"));
  // Every day until the end of the year: 302 occurrences.
  EXPECT_TRUE(names(refusal("2026-03-05T09:00:00+08:00", "2026-03-05T10:00:00+08:00",
                            weekly(std::nullopt, "2026-12-31", every_day)),
                    "rule.until"));
  // 201 days, one of them an exception: 200 remain, which is allowed.
  auto v = expand("2026-03-05T09:00:00+08:00", "2026-03-05T10:00:00+08:00",
                  weekly(std::nullopt, "2026-09-21", every_day), {"2026-03-06"});
  EXPECT_EQ(v.size(), 200u);
  EXPECT_EQ(local_date(v.back().starts_at), "2026-09-21");
}

TEST(SeriesExpansion, AtMostThreeYears) {
  EXPECT_TRUE(names(refusal("2026-03-05T09:00:00+08:00", "2026-03-05T10:00:00+08:00",
                            monthly("date", std::nullopt, "2030-01-01")),
                    "rule.until"));
  EXPECT_TRUE(names(refusal("2026-03-05T09:00:00+08:00", "2026-03-05T10:00:00+08:00",
                            monthly("date", std::nullopt, "2029-03-08")),
                    "rule.until"));
  EXPECT_EQ(expand("2026-03-05T09:00:00+08:00", "2026-03-05T10:00:00+08:00",
                   monthly("date", std::nullopt, "2029-03-05"))
                .size(),
            37u)
      << "three years to the day are allowed";
  // A count that would run past three years: every twelfth week, 200 times.
  EXPECT_TRUE(names(
      refusal("2026-03-05T09:00:00+08:00", "2026-03-05T10:00:00+08:00", weekly(200, {}, {}, 12)),
      "rule.count"));
  EXPECT_TRUE(
      names(refusal("2026-03-05T09:00:00+08:00", "2026-03-05T10:00:00+08:00", monthly("date", 40)),
            "rule.count"));
  EXPECT_EQ(
      expand("2026-03-05T09:00:00+08:00", "2026-03-05T10:00:00+08:00", monthly("date", 36)).size(),
      36u);
}

TEST(SeriesExpansion, ExactlyOneOfUntilAndCount) {
  auto both = weekly(3, "2026-04-01");
  EXPECT_TRUE(
      names(refusal("2026-03-05T09:00:00+08:00", "2026-03-05T10:00:00+08:00", both), "rule.until"));
  auto neither = weekly(std::nullopt);
  EXPECT_TRUE(names(refusal("2026-03-05T09:00:00+08:00", "2026-03-05T10:00:00+08:00", neither),
                    "rule.until"));
}

TEST(SeriesExpansion, BadWeekdaysAreRefused) {
  for (const std::vector<int>& bad :
       {std::vector<int>{0}, std::vector<int>{8}, std::vector<int>{-1}, std::vector<int>{1, 1},
        std::vector<int>{2, 9}}) {
    EXPECT_TRUE(
        names(refusal("2026-03-05T09:00:00+08:00", "2026-03-05T10:00:00+08:00", weekly(3, {}, bad)),
              "rule.by_weekday"))
        << bad.size();
  }
}

TEST(SeriesExpansion, OtherBadRulesNameTheirField) {
  const char* from = "2026-03-05T09:00:00+08:00";
  const char* to = "2026-03-05T10:00:00+08:00";
  auto freq = weekly(3);
  freq.freq = "daily";
  EXPECT_TRUE(names(refusal(from, to, freq), "rule.freq"));
  EXPECT_TRUE(names(refusal(from, to, weekly(3, {}, {}, 0)), "rule.interval"));
  EXPECT_TRUE(names(refusal(from, to, weekly(3, {}, {}, 13)), "rule.interval"));
  EXPECT_TRUE(names(refusal(from, to, monthly("day", 3)), "rule.monthly_by"));
  EXPECT_TRUE(names(refusal(from, to, weekly(0)), "rule.count"));
  EXPECT_TRUE(names(refusal(from, to, weekly(-2)), "rule.count"));
  EXPECT_TRUE(names(refusal(from, to, weekly(std::nullopt, "2026/04/01")), "rule.until"));
  EXPECT_TRUE(names(refusal(from, to, weekly(std::nullopt, "2026-03-04")), "rule.until"))
      << "the end before the first date";
  EXPECT_TRUE(names(refusal(from, to, weekly(3), {"next week"}), "except"));
  EXPECT_TRUE(names(refusal(from, from, weekly(3)), "ends_at")) << "an empty first occurrence";
  EXPECT_TRUE(names(refusal(from, "2026-03-25T10:00:00+08:00", weekly(3)), "ends_at"))
      << "longer than fourteen days";
}

TEST(SeriesExpansion, OccurrencesNeverOverlapEachOther) {
  // A booking may last up to fourteen days, so a long one repeated weekly, or on two days in a
  // row, would overlap itself. The expansion must refuse it (or yield disjoint occurrences):
  // otherwise a series puts two bookings on one room at once.
  struct Case {
    const char* from;
    const char* to;
    SeriesRule rule;
  };
  const Case cases[] = {
      {"2026-10-01T09:00:00+08:00", "2026-10-09T09:00:00+08:00", weekly(3)},  // 8 days weekly
      {"2026-10-05T09:00:00+08:00", "2026-10-06T10:00:00+08:00", weekly(4, {}, {1, 2})},
      {"2026-10-01T09:00:00+08:00", "2026-10-14T09:00:00+08:00", weekly(3, {}, {}, 1)},
  };
  for (const auto& c : cases) {
    auto r = expand_series(at(c.from), at(c.to), c.rule, {});
    if (!r) {
      EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
      continue;
    }
    for (std::size_t i = 0; i + 1 < r->size(); ++i) {
      EXPECT_FALSE(overlaps((*r)[i], (*r)[i + 1]))
          << c.from << "–" << c.to << ": occurrences " << local_date((*r)[i].starts_at) << " and "
          << local_date((*r)[i + 1].starts_at) << " overlap";
    }
  }
  // Back to back is fine: a weekly booking of exactly seven days.
  EXPECT_EQ(expand("2026-10-01T09:00:00+08:00", "2026-10-08T09:00:00+08:00", weekly(3)).size(), 3u);
}

TEST(SeriesExpansion, ARuleWithoutAnyOccurrenceIsRefused) {
  const char* from = "2026-03-05T09:00:00+08:00";  // a Thursday
  const char* to = "2026-03-05T10:00:00+08:00";
  EXPECT_TRUE(names(refusal(from, to, weekly(1), {"2026-03-05"}), "rule"));
  EXPECT_TRUE(names(refusal(from, to, weekly(std::nullopt, "2026-03-08", {1})), "rule"))
      << "Mondays from a Thursday until the Sunday";
  EXPECT_TRUE(names(refusal(from, to, weekly(2), {"2026-03-05", "2026-03-12"}), "rule"));
}

}  // namespace
}  // namespace xiehui::meetings
