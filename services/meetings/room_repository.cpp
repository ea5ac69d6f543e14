#include "services/meetings/room_repository.hpp"

#include "services/meetings/booking_rules.hpp"
#include "services/meetings/meeting_rows.hpp"

namespace xiehui::meetings::room_repository {
namespace {

using rows::as_int;
using rows::join_lines;
using rows::nullable_id;
using rows::query;
using rows::split_lines;
using rows::text;
using rows::ts;

Room read_room(const soci::row& r) {
  Room room;
  room.id = db::get_int64(r, 0);
  room.name = r.get<std::string>(1);
  room.location = r.get<std::string>(2);
  room.capacity = as_int(r, 3);
  room.equipment = split_lines(r.get<std::string>(4));
  room.active = db::get_int64(r, 5) != 0;
  return room;
}

constexpr const char* kBookingColumns =
    "SELECT b.id, b.room_id, r.name, b.starts_at, b.ends_at, b.title, b.booked_for, b.meeting_id, "
    "b.class_id, b.series_id, b.status, b.created_by, b.version, b.updated_at FROM bookings b "
    "JOIN rooms r ON r.id = b.room_id ";

Booking read_booking(const soci::row& r) {
  Booking b;
  b.id = db::get_int64(r, 0);
  b.room_id = db::get_int64(r, 1);
  b.room_name = r.get<std::string>(2);
  b.starts_at = ts(r, 3);
  b.ends_at = ts(r, 4);
  b.title = r.get<std::string>(5);
  b.booked_for = r.get<std::string>(6);
  b.meeting_id = nullable_id(r, 7);
  b.class_id = nullable_id(r, 8);
  b.series_id = nullable_id(r, 9);
  b.status = r.get<std::string>(10);
  b.created_by = nullable_id(r, 11);
  b.version = as_int(r, 12);
  b.updated_at = ts(r, 13);
  return b;
}

}  // namespace

long long insert_room(soci::session& s, const Room& r, Timestamp now) {
  const std::string at = format_db_timestamp(now), equipment = join_lines(r.equipment);
  const int active = r.active ? 1 : 0;
  s << "INSERT INTO rooms (name, location, capacity, equipment, active, created_at, updated_at) "
       "VALUES (:n, :l, :c, :e, :a, :at, :at2)",
      soci::use(r.name), soci::use(r.location), soci::use(r.capacity), soci::use(equipment),
      soci::use(active), soci::use(at), soci::use(at);
  long long id = 0;
  s.get_last_insert_id("rooms", id);
  return id;
}

void update_room(soci::session& s, const Room& r, Timestamp now) {
  const std::string at = format_db_timestamp(now), equipment = join_lines(r.equipment);
  const int active = r.active ? 1 : 0;
  s << "UPDATE rooms SET name = :n, location = :l, capacity = :c, equipment = :e, active = :a, "
       "updated_at = :at WHERE id = :id",
      soci::use(r.name), soci::use(r.location), soci::use(r.capacity), soci::use(equipment),
      soci::use(active), soci::use(at), soci::use(r.id);
}

std::optional<Room> find_room(soci::session& s, long long id, bool lock) {
  auto found =
      query(s,
            std::string("SELECT id, name, location, capacity, equipment, active FROM rooms "
                        "WHERE id = :id") +
                (lock ? db::for_update(s) : ""),
            read_room, soci::use(id));
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::vector<Room> list_rooms(soci::session& s, bool active_only) {
  return query(s,
               std::string("SELECT id, name, location, capacity, equipment, active FROM rooms") +
                   (active_only ? " WHERE active = 1" : "") + " ORDER BY id",
               read_room);
}

bool room_name_taken(soci::session& s, const std::string& name, long long except_id) {
  long long n = 0;
  s << "SELECT COUNT(*) FROM rooms WHERE name = :n AND id <> :id", soci::into(n), soci::use(name),
      soci::use(except_id);
  return n > 0;
}

std::vector<Booking> active_between(soci::session& s, long long room_id, Timestamp from,
                                    Timestamp to) {
  // No booking lasts longer than kMaxBookingDays: a lower bound on starts_at lets the index
  // range cover the window instead of everything before its end.
  const std::string f = format_db_timestamp(from), t = format_db_timestamp(to),
                    earliest = format_db_timestamp(from - std::chrono::days{kMaxBookingDays});
  if (room_id == 0) {
    return query(s,
                 std::string(kBookingColumns) +
                     "WHERE b.status = 'active' AND b.starts_at >= :e AND b.starts_at < :t AND "
                     "b.ends_at > :f ORDER BY b.starts_at, b.id",
                 read_booking, soci::use(earliest), soci::use(t), soci::use(f));
  }
  return query(s,
               std::string(kBookingColumns) +
                   "WHERE b.room_id = :r AND b.status = 'active' AND b.starts_at >= :e AND "
                   "b.starts_at < :t AND b.ends_at > :f ORDER BY b.starts_at, b.id",
               read_booking, soci::use(room_id), soci::use(earliest), soci::use(t), soci::use(f));
}

std::optional<Booking> first_overlap(soci::session& s, long long room_id, const Interval& when,
                                     long long except_id) {
  const std::string f = format_db_timestamp(when.starts_at), t = format_db_timestamp(when.ends_at);
  auto found =
      query(s,
            std::string(kBookingColumns) +
                "WHERE b.room_id = :r AND b.status = 'active' AND b.starts_at < :t AND "
                "b.ends_at > :f AND b.id <> :x ORDER BY b.starts_at, b.id LIMIT 1",
            read_booking, soci::use(room_id), soci::use(t), soci::use(f), soci::use(except_id));
  if (found.empty()) return std::nullopt;
  return found.front();
}

bool meeting_exists(soci::session& s, long long id) {
  long long n = 0;
  s << "SELECT COUNT(*) FROM meetings WHERE id = :id", soci::into(n), soci::use(id);
  return n > 0;
}

bool class_exists(soci::session& s, long long id) {
  long long n = 0;
  s << "SELECT COUNT(*) FROM classes WHERE id = :id", soci::into(n), soci::use(id);
  return n > 0;
}

std::set<long long> meeting_room_bookings(soci::session& s, Timestamp from, Timestamp to) {
  const std::string f = format_db_timestamp(from), t = format_db_timestamp(to);
  auto ids = query(
      s,
      "SELECT booking_id FROM meetings WHERE booking_id IS NOT NULL AND starts_at < :t AND "
      "ends_at > :f",
      [](const soci::row& r) { return db::get_int64(r, 0); }, soci::use(t), soci::use(f));
  return {ids.begin(), ids.end()};
}

bool is_meeting_room(soci::session& s, long long booking_id) {
  long long n = 0;
  s << "SELECT COUNT(*) FROM meetings WHERE booking_id = :id AND status <> 'cancelled'",
      soci::into(n), soci::use(booking_id);
  return n > 0;
}

std::optional<Booking> find_booking(soci::session& s, long long id) {
  auto found =
      query(s, std::string(kBookingColumns) + "WHERE b.id = :id", read_booking, soci::use(id));
  if (found.empty()) return std::nullopt;
  return found.front();
}

long long insert_booking(soci::session& s, const Booking& b, Timestamp now) {
  const std::string at = format_db_timestamp(now), starts = format_db_timestamp(b.starts_at),
                    ends = format_db_timestamp(b.ends_at);
  rows::NullableId meeting(b.meeting_id), cls(b.class_id), series(b.series_id), by(b.created_by);
  s << "INSERT INTO bookings (room_id, starts_at, ends_at, title, booked_for, meeting_id, "
       "class_id, series_id, status, created_by, version, created_at, updated_at) VALUES "
       "(:r, :s, :e, :t, :f, :m, :c, :se, 'active', :by, 1, :at, :at2)",
      soci::use(b.room_id), soci::use(starts), soci::use(ends), soci::use(b.title),
      soci::use(b.booked_for), soci::use(meeting.value, meeting.ind), soci::use(cls.value, cls.ind),
      soci::use(series.value, series.ind), soci::use(by.value, by.ind), soci::use(at),
      soci::use(at);
  long long id = 0;
  s.get_last_insert_id("bookings", id);
  return id;
}

void update_booking(soci::session& s, const Booking& b, Timestamp now) {
  const std::string at = format_db_timestamp(now), starts = format_db_timestamp(b.starts_at),
                    ends = format_db_timestamp(b.ends_at);
  s << "UPDATE bookings SET room_id = :r, starts_at = :s, ends_at = :e, title = :t, "
       "booked_for = :f, version = version + 1, updated_at = :at WHERE id = :id",
      soci::use(b.room_id), soci::use(starts), soci::use(ends), soci::use(b.title),
      soci::use(b.booked_for), soci::use(at), soci::use(b.id);
}

void cancel_booking(soci::session& s, long long id, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  s << "UPDATE bookings SET status = 'cancelled', version = version + 1, updated_at = :at "
       "WHERE id = :id",
      soci::use(at), soci::use(id);
}

long long insert_series(soci::session& s, const SeriesRequest& r, const std::string& rule_json,
                        std::optional<long long> created_by, Timestamp now) {
  const std::string at = format_db_timestamp(now), except = join_lines(r.except);
  rows::NullableId by(created_by);
  s << "INSERT INTO booking_series (room_id, title, booked_for, rule_json, except_dates, "
       "created_by, created_at) VALUES (:r, :t, :f, :rule, :x, :by, :at)",
      soci::use(r.room_id), soci::use(r.title), soci::use(r.booked_for), soci::use(rule_json),
      soci::use(except), soci::use(by.value, by.ind), soci::use(at);
  long long id = 0;
  s.get_last_insert_id("booking_series", id);
  return id;
}

std::optional<Series> find_series(soci::session& s, long long id) {
  auto found = query(
      s,
      "SELECT id, room_id, title, booked_for, rule_json, except_dates FROM booking_series "
      "WHERE id = :id",
      [](const soci::row& r) {
        Series x;
        x.id = db::get_int64(r, 0);
        x.room_id = db::get_int64(r, 1);
        x.title = r.get<std::string>(2);
        x.booked_for = r.get<std::string>(3);
        x.rule_json = r.get<std::string>(4);
        x.except = split_lines(r.get<std::string>(5));
        return x;
      },
      soci::use(id));
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::vector<Booking> series_bookings(soci::session& s, long long series_id, Timestamp from) {
  const std::string f = format_db_timestamp(from);
  return query(s,
               std::string(kBookingColumns) +
                   "WHERE b.series_id = :s AND b.status = 'active' AND b.starts_at >= :f "
                   "ORDER BY b.starts_at, b.id",
               read_booking, soci::use(series_id), soci::use(f));
}

std::vector<CalendarEvent> meeting_events(soci::session& s, Timestamp from, Timestamp to,
                                          bool with_cancelled) {
  const std::string f = format_db_timestamp(from), t = format_db_timestamp(to);
  return query(
      s,
      std::string("SELECT m.id, m.title, m.starts_at, m.ends_at, m.room_id, r.name, "
                  "m.venue, m.status, m.version, m.updated_at FROM meetings m "
                  "LEFT JOIN rooms r ON r.id = m.room_id "
                  "WHERE m.starts_at < :t AND m.ends_at > :f") +
          (with_cancelled ? "" : " AND m.status <> 'cancelled'") + " ORDER BY m.starts_at, m.id",
      [](const soci::row& r) {
        CalendarEvent e;
        e.type = "meeting";
        e.id = db::get_int64(r, 0);
        e.meeting_id = e.id;
        e.title = r.get<std::string>(1);
        e.starts_at = ts(r, 2);
        e.ends_at = ts(r, 3);
        e.room_id = nullable_id(r, 4);
        e.room_name = text(r, 5);
        e.location = e.room_name.empty() ? r.get<std::string>(6) : e.room_name;
        e.status = r.get<std::string>(7);
        e.version = as_int(r, 8);
        e.updated_at = ts(r, 9);
        return e;
      },
      soci::use(t), soci::use(f));
}

std::vector<CalendarEvent> class_events(soci::session& s, Timestamp from, Timestamp to,
                                        bool with_cancelled) {
  const std::string f = format_db_timestamp(from), t = format_db_timestamp(to);
  return query(
      s,
      std::string("SELECT c.id, co.title, c.title, c.starts_at, c.ends_at, c.venue, "
                  "c.status, c.updated_at FROM classes c JOIN courses co ON "
                  "co.id = c.course_id WHERE c.starts_at < :t AND c.ends_at > :f AND "
                  "c.status <> 'draft'") +
          (with_cancelled ? "" : " AND c.status <> 'cancelled'") + " ORDER BY c.starts_at, c.id",
      [](const soci::row& r) {
        CalendarEvent e;
        e.type = "class";
        e.id = db::get_int64(r, 0);
        e.title = r.get<std::string>(1) + " " + r.get<std::string>(2);
        e.starts_at = ts(r, 3);
        e.ends_at = ts(r, 4);
        e.location = r.get<std::string>(5);
        e.status = r.get<std::string>(6);
        e.updated_at = ts(r, 7);
        // Classes keep no version: the feed's SEQUENCE follows the last change.
        e.version = static_cast<int>(
            std::chrono::duration_cast<std::chrono::seconds>(e.updated_at.time_since_epoch())
                .count() /
            60 % 1000000000);
        return e;
      },
      soci::use(t), soci::use(f));
}

std::vector<CalendarEvent> booking_events(soci::session& s, long long user_id, Timestamp from,
                                          Timestamp to) {
  const std::string f = format_db_timestamp(from), t = format_db_timestamp(to);
  const auto read = [](const soci::row& r) {
    const Booking b = read_booking(r);
    CalendarEvent e;
    e.type = "booking";
    e.id = b.id;
    e.title = b.title;
    e.starts_at = b.starts_at;
    e.ends_at = b.ends_at;
    e.room_id = b.room_id;
    e.room_name = b.room_name;
    e.location = b.room_name;
    e.status = b.status;
    e.meeting_id = b.meeting_id;
    e.series_id = b.series_id;
    e.version = b.version;
    e.updated_at = b.updated_at;
    return e;
  };
  const std::string where = " WHERE b.starts_at < :t AND b.ends_at > :f";
  if (user_id == 0) {
    return query(s, std::string(kBookingColumns) + where + " ORDER BY b.starts_at, b.id", read,
                 soci::use(t), soci::use(f));
  }
  return query(
      s, std::string(kBookingColumns) + where + " AND b.created_by = :u ORDER BY b.starts_at, b.id",
      read, soci::use(t), soci::use(f), soci::use(user_id));
}

std::vector<CalendarEvent> visit_events(soci::session& s, Timestamp from, Timestamp to,
                                        bool with_cancelled) {
  // Dates against the range's Shanghai days: a visit is on the calendar for whole days.
  const std::string f = format_date(shanghai_date(from)), t = format_date(shanghai_date(to));
  return query(
      s,
      std::string("SELECT id, title, destination, starts_on, ends_on, status, version, updated_at "
                  "FROM visits WHERE starts_on <= :t AND ends_on >= :f AND status <> 'draft'") +
          (with_cancelled ? "" : " AND status <> 'cancelled'") + " ORDER BY starts_on, id",
      [](const soci::row& r) {
        CalendarEvent e;
        e.type = "visit";
        e.id = db::get_int64(r, 0);
        e.title = r.get<std::string>(1);
        e.location = r.get<std::string>(2);
        const auto first = parse_date(r.get<std::string>(3)).value_or(Date{});
        const auto last = parse_date(r.get<std::string>(4)).value_or(Date{});
        e.starts_at = std::chrono::sys_days{first} - kShanghaiOffset;
        e.ends_at = std::chrono::sys_days{last} + std::chrono::days(1) - kShanghaiOffset;
        e.status = r.get<std::string>(5);
        e.version = static_cast<int>(db::get_int64(r, 6));
        e.updated_at = ts(r, 7);
        return e;
      },
      soci::use(t), soci::use(f));
}

std::vector<long long> member_visit_ids(soci::session& s, long long member_id) {
  return query(
      s,
      "SELECT DISTINCT visit_id FROM visit_delegates WHERE member_id = :m AND status IN "
      "('pending', 'approved', 'waitlisted')",
      [](const soci::row& r) { return db::get_int64(r, 0); }, soci::use(member_id));
}

std::vector<long long> member_class_ids(soci::session& s, long long member_id) {
  return query(
      s, "SELECT DISTINCT class_id FROM enrollments WHERE member_id = :m AND status <> 'cancelled'",
      [](const soci::row& r) { return db::get_int64(r, 0); }, soci::use(member_id));
}

std::optional<std::string> feed_token(soci::session& s, long long user_id) {
  std::string token;
  soci::indicator ind = soci::i_null;
  s << "SELECT token FROM calendar_feeds WHERE user_id = :u", soci::into(token, ind),
      soci::use(user_id);
  if (!s.got_data() || ind != soci::i_ok) return std::nullopt;
  return token;
}

void set_feed_token(soci::session& s, long long user_id, const std::string& token, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  s << "DELETE FROM calendar_feeds WHERE user_id = :u", soci::use(user_id);
  s << "INSERT INTO calendar_feeds (user_id, token, created_at) VALUES (:u, :t, :at)",
      soci::use(user_id), soci::use(token), soci::use(at);
}

void delete_feed(soci::session& s, long long user_id) {
  s << "DELETE FROM calendar_feeds WHERE user_id = :u", soci::use(user_id);
}

std::optional<long long> feed_owner(soci::session& s, const std::string& token) {
  long long user = 0;
  soci::indicator ind = soci::i_null;
  s << "SELECT user_id FROM calendar_feeds WHERE token = :t", soci::into(user, ind),
      soci::use(token);
  if (!s.got_data() || ind != soci::i_ok) return std::nullopt;
  return user;
}

}  // namespace xiehui::meetings::room_repository
