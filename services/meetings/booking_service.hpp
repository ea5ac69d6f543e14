#pragma once
// Rooms, bookings and booking series. Every write of a room's bookings locks the room row first
// and looks for an overlap inside that transaction (SQLite: BEGIN IMMEDIATE serializes writers;
// MariaDB: SELECT … FOR UPDATE on the room), so no number of clients or server processes can
// put two bookings on one room at once.

#include <optional>
#include <string>
#include <vector>

#include "core/access.hpp"
#include "core/clock.hpp"
#include "core/db/database.hpp"
#include "core/error.hpp"
#include "services/meetings/meetings.hpp"

namespace xiehui::meetings {

struct RoomPatch {
  std::optional<std::string> name, location;
  std::optional<int> capacity;
  std::optional<std::vector<std::string>> equipment;
  std::optional<bool> active;
};

struct BookingPatch {
  std::optional<long long> room_id;
  std::optional<Timestamp> starts_at, ends_at;
  std::optional<std::string> title, booked_for;
};

class BookingService {
 public:
  BookingService(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  Result<Room> create_room(Room r, const Principal& actor);
  Result<Room> update_room(long long id, const RoomPatch& p, const Principal& actor);
  /// Rooms by pinyin of the name.
  Result<std::vector<Room>> list_rooms(bool active_only);

  /// Books a room. conflict (with the booking in the way in the error) on an overlap, on an
  /// inactive room; not_found for an unknown room.
  Result<Booking> book(Booking b, const Principal& actor);
  /// Moves or renames a booking (its creator or staff) through the same overlap check.
  Result<Booking> update_booking(long long id, const BookingPatch& p, const Principal& actor);
  /// Cancels one booking or one occurrence (its creator or staff).
  Status cancel_booking(long long id, const Principal& actor);
  /// Active bookings overlapping [from, to) of a room (0: all). Callers without rooms.book see
  /// the title "已预订" and no booked_for.
  Result<std::vector<Booking>> bookings(long long room_id, Timestamp from, Timestamp to,
                                        const Principal& who);

  /// Books a series: every occurrence checked against the room's bookings under the room lock;
  /// "fail" books nothing when any collides (conflict listing them all), "skip" books the free
  /// ones. A dry run only reports.
  Result<SeriesResult> book_series(const SeriesRequest& r, const std::string& rule_json,
                                   const Principal& actor);
  Result<Series> get_series(long long id, const Principal& who);
  /// Cancels the series' active occurrences from `from` (a date; empty: from now).
  Result<int> cancel_series(long long id, std::optional<Timestamp> from, const Principal& actor);

 private:
  db::Database& db_;
  const Clock& clock_;
};

/// The conflict error for a booking in the way: details.booking_id and the other's time.
Error booking_conflict(const Booking& other);

}  // namespace xiehui::meetings
