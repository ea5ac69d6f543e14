#pragma once
// Pure rules of room bookings: when two intervals overlap, what a booking's times may be, and
// which occurrences a repeating series has. Asia/Shanghai has no daylight saving, so a series
// repeats its local wall-clock time by adding whole days to the local date.

#include <string>
#include <vector>

#include "core/error.hpp"
#include "services/meetings/meetings.hpp"

namespace xiehui::meetings {

/// Longest single booking and the bounds of a series.
inline constexpr int kMaxBookingDays = 14;
inline constexpr int kMaxOccurrences = 200;
inline constexpr int kMaxSeriesYears = 3;

/// Half-open intervals: one ending at 11:00 and one starting at 11:00 do not overlap.
bool overlaps(const Interval& a, const Interval& b);

/// The problems with a booking's times (fields starts_at / ends_at): the end must come after the
/// start and at most kMaxBookingDays later.
std::vector<FieldError> check_booking_times(Timestamp starts_at, Timestamp ends_at);

/// Every occurrence of a series whose first occurrence is [starts_at, ends_at), in order, minus
/// the `except` dates (which still count towards `count`, as RFC 5545 EXDATE does). Errors name
/// the field ("rule.interval", "rule.until", "except", ...).
Result<std::vector<Interval>> expand_series(Timestamp starts_at, Timestamp ends_at,
                                            const SeriesRule& rule,
                                            const std::vector<std::string>& except);

}  // namespace xiehui::meetings
