#include "core/time.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>

namespace xiehui {
namespace {

using namespace std::chrono;

// The UTC instant y-mo-d h:mi:s.us.
Timestamp utc(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0, long long us = 0) {
  return Timestamp{sys_days{year{y} / month{mo} / day{d}}.time_since_epoch() + hours{h} +
                   minutes{mi} + seconds{s} + microseconds{us}};
}

Date ymd(int y, unsigned mo, unsigned d) { return Date{year{y}, month{mo}, day{d}}; }

// ---- format_instant ----

TEST(FormatInstant, ShowsShanghaiTimeWithOffset) {
  EXPECT_EQ(format_instant(utc(2026, 3, 5, 1, 0, 0)), "2026-03-05T09:00:00+08:00");
  EXPECT_EQ(format_instant(utc(2026, 3, 5, 1, 2, 3)), "2026-03-05T09:02:03+08:00");
}

TEST(FormatInstant, DayRollsOverAtSixteenUtc) {
  EXPECT_EQ(format_instant(utc(2026, 3, 5, 15, 59, 59)), "2026-03-05T23:59:59+08:00");
  EXPECT_EQ(format_instant(utc(2026, 3, 5, 16, 0, 0)), "2026-03-06T00:00:00+08:00");
}

TEST(FormatInstant, MonthAndYearRollOver) {
  EXPECT_EQ(format_instant(utc(2025, 12, 31, 16, 0, 0)), "2026-01-01T00:00:00+08:00");
  EXPECT_EQ(format_instant(utc(2028, 2, 28, 16, 30, 0)), "2028-02-29T00:30:00+08:00");
  EXPECT_EQ(format_instant(utc(2027, 2, 28, 16, 30, 0)), "2027-03-01T00:30:00+08:00");
}

TEST(FormatInstant, TruncatesSubSeconds) {
  EXPECT_EQ(format_instant(utc(2026, 3, 5, 1, 0, 0, 999999)), "2026-03-05T09:00:00+08:00");
}

TEST(FormatInstant, BeforeTheEpoch) {
  EXPECT_EQ(format_instant(utc(1969, 12, 31, 20, 0, 0)), "1970-01-01T04:00:00+08:00");
  EXPECT_EQ(format_instant(utc(1969, 12, 31, 15, 0, 0, 500000)), "1969-12-31T23:00:00+08:00");
}

// ---- parse_instant ----

TEST(ParseInstant, AcceptsZulu) {
  EXPECT_EQ(parse_instant("2026-03-05T01:00:00Z"), utc(2026, 3, 5, 1, 0, 0));
  EXPECT_EQ(parse_instant("2026-03-05T01:00:00z"), utc(2026, 3, 5, 1, 0, 0));
}

TEST(ParseInstant, AcceptsShanghaiOffsetWithColon) {
  EXPECT_EQ(parse_instant("2026-03-05T09:00:00+08:00"), utc(2026, 3, 5, 1, 0, 0));
  // Shanghai midnight is the previous UTC day.
  EXPECT_EQ(parse_instant("2026-03-05T00:00:00+08:00"), utc(2026, 3, 4, 16, 0, 0));
}

TEST(ParseInstant, AcceptsNegativeOffsetWithoutColon) {
  EXPECT_EQ(parse_instant("2026-03-04T20:00:00-0500"), utc(2026, 3, 5, 1, 0, 0));
  EXPECT_EQ(parse_instant("2026-03-04T20:30:00-05:30"), utc(2026, 3, 5, 2, 0, 0));
}

TEST(ParseInstant, AcceptsSpaceSeparator) {
  EXPECT_EQ(parse_instant("2026-03-05 01:00:00Z"), utc(2026, 3, 5, 1, 0, 0));
}

TEST(ParseInstant, FractionalSeconds) {
  EXPECT_EQ(parse_instant("2026-03-05T01:00:00.5Z"), utc(2026, 3, 5, 1, 0, 0, 500000));
  EXPECT_EQ(parse_instant("2026-03-05T01:00:00.123456Z"), utc(2026, 3, 5, 1, 0, 0, 123456));
  EXPECT_EQ(parse_instant("2026-03-05T09:00:00.000001+08:00"), utc(2026, 3, 5, 1, 0, 0, 1));
  // Digits beyond microseconds are truncated, not rounded.
  EXPECT_EQ(parse_instant("2026-03-05T01:00:00.123456789Z"), utc(2026, 3, 5, 1, 0, 0, 123456));
}

TEST(ParseInstant, AcceptsLeapDayOfLeapYear) {
  EXPECT_EQ(parse_instant("2028-02-29T12:00:00Z"), utc(2028, 2, 29, 12, 0, 0));
}

TEST(ParseInstant, RejectsMissingOffset) {
  EXPECT_EQ(parse_instant("2026-03-05T01:00:00"), std::nullopt);
  EXPECT_EQ(parse_instant("2026-03-05T01:00:00.5"), std::nullopt);
}

TEST(ParseInstant, RejectsImpossibleDates) {
  EXPECT_EQ(parse_instant("2026-02-30T00:00:00Z"), std::nullopt);
  EXPECT_EQ(parse_instant("2027-02-29T00:00:00Z"), std::nullopt);
  EXPECT_EQ(parse_instant("2026-13-01T00:00:00Z"), std::nullopt);
  EXPECT_EQ(parse_instant("2026-00-01T00:00:00Z"), std::nullopt);
  EXPECT_EQ(parse_instant("2026-04-31T00:00:00Z"), std::nullopt);
}

TEST(ParseInstant, RejectsImpossibleTimes) {
  EXPECT_EQ(parse_instant("2026-03-05T24:00:00Z"), std::nullopt);
  EXPECT_EQ(parse_instant("2026-03-05T23:60:00Z"), std::nullopt);
  EXPECT_EQ(parse_instant("2026-03-05T23:59:60Z"), std::nullopt);
  EXPECT_EQ(parse_instant("2026-03-05T01:00:00+24:00"), std::nullopt);
  EXPECT_EQ(parse_instant("2026-03-05T01:00:00+08:60"), std::nullopt);
}

TEST(ParseInstant, RejectsTrailingGarbage) {
  EXPECT_EQ(parse_instant("2026-03-05T01:00:00Zjunk"), std::nullopt);
  EXPECT_EQ(parse_instant("2026-03-05T01:00:00+08:00 "), std::nullopt);
  EXPECT_EQ(parse_instant("2026-03-05T01:00:00+08:00:00"), std::nullopt);
}

TEST(ParseInstant, RejectsMalformedText) {
  EXPECT_EQ(parse_instant(""), std::nullopt);
  EXPECT_EQ(parse_instant("2026-03-05"), std::nullopt);
  EXPECT_EQ(parse_instant("2026-03-05T"), std::nullopt);
  EXPECT_EQ(parse_instant("2026-03-05T01:00Z"), std::nullopt);
  EXPECT_EQ(parse_instant("2026-03-05T1:00:00Z"), std::nullopt);
  EXPECT_EQ(parse_instant("2026-3-5T01:00:00Z"), std::nullopt);
  EXPECT_EQ(parse_instant("2026-03-05X01:00:00Z"), std::nullopt);
  EXPECT_EQ(parse_instant("2026-03-05T01:00:00.Z"), std::nullopt);
  EXPECT_EQ(parse_instant("2026-03-05T01:00:00+8"), std::nullopt);
  EXPECT_EQ(parse_instant("2026-03-05T01:00:00+08:0"), std::nullopt);
  EXPECT_EQ(parse_instant(" 2026-03-05T01:00:00Z"), std::nullopt);
}

TEST(Instant, RoundTripsThroughText) {
  for (const char* text : {"2026-03-05T09:00:00+08:00", "2026-01-01T00:00:00+08:00",
                           "2028-02-29T23:59:59+08:00", "1999-12-31T08:00:00+08:00"}) {
    const auto t = parse_instant(text);
    ASSERT_TRUE(t.has_value()) << text;
    EXPECT_EQ(format_instant(*t), text);
  }
  const Timestamp t = utc(2026, 7, 14, 18, 45, 12, 654321);
  EXPECT_EQ(parse_instant(format_instant(t)), floor<seconds>(t));
  // Another offset is normalised to Shanghai time.
  const auto ny = parse_instant("2026-03-04T20:00:00-05:00");
  ASSERT_TRUE(ny.has_value());
  EXPECT_EQ(format_instant(*ny), "2026-03-05T09:00:00+08:00");
}

// ---- dates ----

TEST(FormatDate, PadsFields) {
  EXPECT_EQ(format_date(ymd(2026, 1, 5)), "2026-01-05");
  EXPECT_EQ(format_date(ymd(2026, 12, 31)), "2026-12-31");
  EXPECT_EQ(format_date(ymd(5, 1, 2)), "0005-01-02");
}

TEST(ParseDate, AcceptsRealDates) {
  EXPECT_EQ(parse_date("2026-01-05"), ymd(2026, 1, 5));
  EXPECT_EQ(parse_date("2026-12-31"), ymd(2026, 12, 31));
  EXPECT_EQ(parse_date("2028-02-29"), ymd(2028, 2, 29));
  EXPECT_EQ(parse_date("2000-02-29"), ymd(2000, 2, 29));
}

TEST(ParseDate, RejectsBadDates) {
  EXPECT_EQ(parse_date("2026-1-5"), std::nullopt);
  EXPECT_EQ(parse_date("2026-13-01"), std::nullopt);
  EXPECT_EQ(parse_date("2026-00-10"), std::nullopt);
  EXPECT_EQ(parse_date("2026-01-00"), std::nullopt);
  EXPECT_EQ(parse_date("2026-01-32"), std::nullopt);
  EXPECT_EQ(parse_date("2027-02-29"), std::nullopt);
  EXPECT_EQ(parse_date("1900-02-29"), std::nullopt);
  EXPECT_EQ(parse_date("2026-02-30"), std::nullopt);
}

TEST(ParseDate, RejectsOtherShapes) {
  EXPECT_EQ(parse_date(""), std::nullopt);
  EXPECT_EQ(parse_date("20260105"), std::nullopt);
  EXPECT_EQ(parse_date("2026/01/05"), std::nullopt);
  EXPECT_EQ(parse_date("2026-01-05T00:00:00Z"), std::nullopt);
  EXPECT_EQ(parse_date("2026-01-05 "), std::nullopt);
  EXPECT_EQ(parse_date(" 2026-01-05"), std::nullopt);
  EXPECT_EQ(parse_date("26-01-05"), std::nullopt);
}

TEST(ParseDate, AcceptsOnlyYearsFrom1900To2200) {
  EXPECT_EQ(parse_date("1900-01-01"), ymd(1900, 1, 1));
  EXPECT_EQ(parse_date("2200-12-31"), ymd(2200, 12, 31));
  for (const char* text : {"0000-01-01", "0001-01-01", "1899-12-31", "2201-01-01", "9999-12-31"}) {
    EXPECT_EQ(parse_date(text), std::nullopt) << text;
  }
}

TEST(ParseInstant, AcceptsOnlyYearsFrom1900To2200) {
  // Year 0000 was stored as "-001-12-31 …" and read back as 1970.
  for (const char* text : {"0000-01-01T00:00:00+08:00", "1899-12-31T23:59:59Z",
                           "2201-01-01T00:00:00Z", "9999-12-31T23:59:59-05:00"}) {
    EXPECT_EQ(parse_instant(text), std::nullopt) << text;
  }
  // The earliest accepted instant survives the storage form (its UTC day is in 1899).
  const auto earliest = parse_instant("1900-01-01T00:00:00+08:00");
  ASSERT_TRUE(earliest.has_value());
  EXPECT_EQ(parse_db_timestamp(format_db_timestamp(*earliest)), earliest);
  EXPECT_EQ(format_instant(*earliest), "1900-01-01T00:00:00+08:00");
  const auto latest = parse_instant("2200-12-31T23:59:59Z");
  ASSERT_TRUE(latest.has_value());
  EXPECT_EQ(parse_db_timestamp(format_db_timestamp(*latest)), latest);
}

TEST(Date, RoundTripsThroughText) {
  for (const char* text : {"2026-01-05", "2028-02-29", "1999-12-31"}) {
    const auto d = parse_date(text);
    ASSERT_TRUE(d.has_value()) << text;
    EXPECT_EQ(format_date(*d), text);
  }
}

TEST(ShanghaiDate, ChangesAtSixteenUtc) {
  EXPECT_EQ(shanghai_date(utc(2026, 3, 5, 15, 59, 59, 999999)), ymd(2026, 3, 5));
  EXPECT_EQ(shanghai_date(utc(2026, 3, 5, 16, 0, 0)), ymd(2026, 3, 6));
  EXPECT_EQ(shanghai_date(utc(2026, 3, 5, 0, 0, 0)), ymd(2026, 3, 5));
  EXPECT_EQ(shanghai_date(utc(2025, 12, 31, 20, 0, 0)), ymd(2026, 1, 1));
}

// ---- database timestamps ----

TEST(DbTimestamp, FormatsUtcWithMicroseconds) {
  EXPECT_EQ(format_db_timestamp(utc(2026, 3, 5, 1, 2, 3, 4567)), "2026-03-05 01:02:03.004567");
  EXPECT_EQ(format_db_timestamp(utc(2026, 3, 5, 23, 59, 59)), "2026-03-05 23:59:59.000000");
  // UTC, not Shanghai: no day rollover at 16:00.
  EXPECT_EQ(format_db_timestamp(utc(2026, 3, 5, 16, 0, 0)), "2026-03-05 16:00:00.000000");
}

TEST(DbTimestamp, RoundTripsExactly) {
  for (const Timestamp t : {utc(2026, 3, 5, 1, 2, 3, 4567), utc(2026, 3, 5, 0, 0, 0),
                            utc(2028, 2, 29, 23, 59, 59, 999999), utc(1970, 1, 1, 0, 0, 0, 1),
                            utc(1969, 12, 31, 23, 59, 59, 999999)}) {
    const std::string text = format_db_timestamp(t);
    EXPECT_EQ(parse_db_timestamp(text), t) << text;
  }
}

TEST(DbTimestamp, SortsAsText) {
  const Timestamp a = utc(2026, 3, 5, 9, 59, 59, 999999);
  const Timestamp b = utc(2026, 3, 5, 10, 0, 0, 0);
  const Timestamp c = utc(2026, 11, 1, 0, 0, 0, 0);
  EXPECT_LT(format_db_timestamp(a), format_db_timestamp(b));
  EXPECT_LT(format_db_timestamp(b), format_db_timestamp(c));
}

TEST(DbTimestamp, ParsesWithoutFraction) {
  EXPECT_EQ(parse_db_timestamp("2026-03-05 01:02:03"), utc(2026, 3, 5, 1, 2, 3));
  EXPECT_EQ(parse_db_timestamp("2026-03-05 01:02:03.5"), utc(2026, 3, 5, 1, 2, 3, 500000));
}

TEST(DbTimestamp, RejectsOtherForms) {
  EXPECT_EQ(parse_db_timestamp(""), std::nullopt);
  EXPECT_EQ(parse_db_timestamp("2026-03-05"), std::nullopt);
  EXPECT_EQ(parse_db_timestamp("2026-03-05T01:02:03.000000"), std::nullopt);
  EXPECT_EQ(parse_db_timestamp("2026-03-05 01:02:03.000000Z"), std::nullopt);
  EXPECT_EQ(parse_db_timestamp("2026-03-05 01:02:03+08:00"), std::nullopt);
  EXPECT_EQ(parse_db_timestamp("2026-02-30 01:02:03.000000"), std::nullopt);
  EXPECT_EQ(parse_db_timestamp("2026-03-05 24:00:00.000000"), std::nullopt);
  EXPECT_EQ(parse_db_timestamp("2026-03-05 01:02:03.000000 "), std::nullopt);
}

}  // namespace
}  // namespace xiehui
