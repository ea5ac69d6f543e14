#pragma once
// What a calendar shows: one list of bookings, meetings and classes for the month and room views,
// and each user's secret iCalendar feed (RFC 5545) of what concerns them.

#include <optional>
#include <string>
#include <vector>

#include "core/access.hpp"
#include "core/clock.hpp"
#include "core/db/database.hpp"
#include "core/error.hpp"
#include "services/meetings/meetings.hpp"

namespace xiehui::meetings {

class CalendarService {
 public:
  CalendarService(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  /// Entries overlapping [from, to) the caller may see. With a room: that room's bookings
  /// (meetings in it included, as their bookings); without: bookings not made for a meeting,
  /// the meetings the caller may see, and classes.
  Result<std::vector<CalendarEvent>> events(Timestamp from, Timestamp to, long long room_id,
                                            const Principal& who);

  /// The caller's feed key, made on first use; `renew` replaces it (the old URL dies).
  Result<std::string> feed_token(const Principal& who, bool renew);
  Status revoke_feed(const Principal& who);
  /// The iCalendar text of the feed a key names (not_found for an unknown key or a disabled
  /// owner): from 90 days back to 400 days ahead.
  Result<std::string> feed(const std::string& token, const std::string& base_url);

 private:
  db::Database& db_;
  const Clock& clock_;
};

}  // namespace xiehui::meetings
