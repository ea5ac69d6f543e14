#pragma once
// Civil time for people: Asia/Shanghai (UTC+8 all year, no DST since 1991), dates YYYY-MM-DD.
// Storage is UTC; conversion happens only at the edges.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"

namespace xiehui {

using Date = std::chrono::year_month_day;

/// Asia/Shanghai's fixed offset from UTC.
inline constexpr std::chrono::hours kShanghaiOffset{8};

/// Years a date or instant may have: anything outside is a typo or an attack, and years before
/// 1 or after 9999 would not survive the four-digit storage form.
inline constexpr int kMinYear = 1900;
inline constexpr int kMaxYear = 2200;

/// Whether d is a real calendar date within [kMinYear, kMaxYear].
bool in_supported_range(Date d);

/// "2026-03-05T09:00:00+08:00": the instant shown in Asia/Shanghai, seconds precision.
std::string format_instant(Timestamp t);

/// Parses ISO 8601 with an offset ("Z", "+08:00", "-0500"), optional fractional seconds.
/// Returns nullopt on anything else, including a missing offset, an impossible date or a year
/// outside [kMinYear, kMaxYear].
std::optional<Timestamp> parse_instant(std::string_view text);

/// "YYYY-MM-DD".
std::string format_date(Date d);

/// Parses exactly "YYYY-MM-DD" of a real calendar date within [kMinYear, kMaxYear].
std::optional<Date> parse_date(std::string_view text);

/// The calendar date in Asia/Shanghai at instant t.
Date shanghai_date(Timestamp t);

/// UTC storage form "YYYY-MM-DD HH:MM:SS.ffffff", sortable as text on both databases.
std::string format_db_timestamp(Timestamp t);
std::optional<Timestamp> parse_db_timestamp(std::string_view text);

}  // namespace xiehui
