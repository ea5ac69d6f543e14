#include "services/meetings/booking_service.hpp"

#include <algorithm>

#include "core/pinyin.hpp"
#include "core/time.hpp"
#include "services/meetings/booking_rules.hpp"
#include "services/meetings/meetings_audit.hpp"
#include "services/meetings/room_repository.hpp"

namespace xiehui::meetings {
namespace {

namespace rr = room_repository;

Error no_such_room() { return not_found_error({"会议室", "room"}); }
Error no_such_booking() { return not_found_error({"预订", "booking"}); }
Error no_such_series() { return not_found_error({"系列预订", "booking series"}); }

std::string shanghai_hm(Timestamp t) {
  // "2026-03-05 09:00": what people read in a conflict message.
  const std::string s = format_instant(t);
  return s.substr(0, 10) + " " + s.substr(11, 5);
}

ErrorRecord conflict_record(const Booking& b) {
  return {{{"booking_id", b.id}},
          {{"title", b.title},
           {"starts_at", format_instant(b.starts_at)},
           {"ends_at", format_instant(b.ends_at)}}};
}

std::vector<FieldError> check_room(const Room& r) {
  std::vector<FieldError> errors;
  if (r.name.empty() || r.name.size() > 100) {
    errors.push_back({"name", {"请填写会议室名称（最多 100 字节）", "a name of 1–100 bytes"}});
  }
  if (r.location.size() > 200) errors.push_back({"location", {"位置过长", "too long"}});
  if (r.capacity < 1 || r.capacity > 10000) {
    errors.push_back({"capacity", {"容纳人数应为 1 到 10000", "capacity is 1 to 10000"}});
  }
  if (r.equipment.size() > 20) errors.push_back({"equipment", {"设备最多 20 项", "at most 20"}});
  return errors;
}

// The unique index is the backstop for two creates at once: that loser gets already_exists too.
Error name_taken() {
  Error e = make_error(ErrorCode::already_exists, {"已有同名会议室", "a room has this name"});
  e.fields.push_back({"name", {"已有同名会议室", "a room has this name"}});
  return e;
}

// What a caller without rooms.book sees of a booking: that the room is taken, not by whom.
void mask(Booking& b) {
  b.title = "已预订";
  b.booked_for.clear();
  b.created_by.reset();
  b.meeting_id.reset();
  b.class_id.reset();
}

bool may_change(const Booking& b, const Principal& who) {
  return is_staff(who) || (b.created_by && *b.created_by == who.user_id);
}

Error not_yours() {
  return make_error(ErrorCode::permission_denied,
                    {"只能修改自己的预订", "only your own bookings can be changed"});
}

// A meeting's booking follows the meeting: it is moved or cancelled through the meeting.
Error meeting_booking() {
  return make_error(ErrorCode::conflict,
                    {"这是会议的场地预订，请在会议页面修改时间、会议室或取消会议",
                     "this booking belongs to a meeting: change the meeting"});
}

Error inactive_room(const Room& r) {
  return make_error(ErrorCode::conflict,
                    {"会议室「" + r.name + "」已停用", "the room " + r.name + " is not in use"});
}

}  // namespace

Error booking_conflict(const Booking& other) {
  Error e =
      make_error(ErrorCode::conflict,
                 {"与已有预订冲突：「" + other.title + "」" + shanghai_hm(other.starts_at) + "–" +
                      format_instant(other.ends_at).substr(11, 5),
                  "overlaps the booking \"" + other.title + "\" " + shanghai_hm(other.starts_at) +
                      "–" + format_instant(other.ends_at).substr(11, 5)});
  e.figures.push_back({"booking_id", other.id});
  e.records_name = "conflicts";
  e.records.push_back(conflict_record(other));
  return e;
}

Result<Room> BookingService::create_room(Room r, const Principal& actor) {
  if (auto errors = check_room(r); !errors.empty()) {
    return std::unexpected(invalid_fields(std::move(errors)));
  }
  const Timestamp now = clock_.now();
  auto created = db_.with_transaction([&](soci::session& s) -> Result<Room> {
    if (rr::room_name_taken(s, r.name, 0)) {
      return std::unexpected(name_taken());
    }
    r.id = rr::insert_room(s, r, now);
    audit(s, actor, "room.create", "room", r.id, r.name, now);
    return r;
  });
  // Two creates at once: the unique index decides and the loser hears the same as above.
  if (!created && created.error().code == ErrorCode::already_exists) {
    return std::unexpected(name_taken());
  }
  return created;
}

Result<Room> BookingService::update_room(long long id, const RoomPatch& p, const Principal& actor) {
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<Room> {
    auto found = rr::find_room(s, id, true);
    if (!found) return std::unexpected(no_such_room());
    Room r = *found;
    if (p.name) r.name = *p.name;
    if (p.location) r.location = *p.location;
    if (p.capacity) r.capacity = *p.capacity;
    if (p.equipment) r.equipment = *p.equipment;
    if (p.active) r.active = *p.active;
    if (auto errors = check_room(r); !errors.empty()) {
      return std::unexpected(invalid_fields(std::move(errors)));
    }
    if (r.name != found->name && rr::room_name_taken(s, r.name, id)) {
      return std::unexpected(name_taken());
    }
    rr::update_room(s, r, now);
    audit(s, actor, "room.update", "room", id, r.name + (r.active ? "" : " (inactive)"), now);
    return r;
  });
}

Result<std::vector<Room>> BookingService::list_rooms(bool active_only) {
  return db_.with_session([&](soci::session& s) -> Result<std::vector<Room>> {
    auto rooms = rr::list_rooms(s, active_only);
    std::stable_sort(rooms.begin(), rooms.end(), [](const Room& a, const Room& b) {
      return pinyin_sort_key(a.name) < pinyin_sort_key(b.name);
    });
    return rooms;
  });
}

Result<Booking> BookingService::book(Booking b, const Principal& actor) {
  std::vector<FieldError> errors = check_booking_times(b.starts_at, b.ends_at);
  if (b.title.empty()) errors.push_back({"title", {"请填写用途", "a title is required"}});
  if (!errors.empty()) return std::unexpected(invalid_fields(std::move(errors)));
  const Timestamp now = clock_.now();
  b.created_by = actor_id(actor);
  return db_.with_transaction([&](soci::session& s) -> Result<Booking> {
    auto room = rr::find_room(s, b.room_id, true);
    if (!room) return std::unexpected(no_such_room());
    if (!room->active) return std::unexpected(inactive_room(*room));
    if (b.meeting_id && !rr::meeting_exists(s, *b.meeting_id)) {
      return std::unexpected(invalid_fields({{"meeting_id", {"没有这个会议", "no such meeting"}}}));
    }
    if (b.class_id && !rr::class_exists(s, *b.class_id)) {
      return std::unexpected(invalid_fields({{"class_id", {"没有这个培训班次", "no such class"}}}));
    }
    if (auto other = rr::first_overlap(s, b.room_id, {b.starts_at, b.ends_at}, 0)) {
      return std::unexpected(booking_conflict(*other));
    }
    b.id = rr::insert_booking(s, b, now);
    audit(s, actor, "booking.create", "booking", b.id,
          room->name + " " + format_instant(b.starts_at) + " " + b.title, now);
    return *rr::find_booking(s, b.id);
  });
}

Result<Booking> BookingService::update_booking(long long id, const BookingPatch& p,
                                               const Principal& actor) {
  const Timestamp now = clock_.now();
  // Which rooms to lock comes from a read before the transaction: on MariaDB a plain read inside
  // it would fix the snapshot before the locks and hide bookings committed meanwhile.
  auto before = db_.with_session(
      [&](soci::session& s) -> Result<std::optional<Booking>> { return rr::find_booking(s, id); });
  if (!before) return std::unexpected(before.error());
  if (!*before || (*before)->status != "active") return std::unexpected(no_such_booking());
  const long long old_room = (*before)->room_id, target = p.room_id.value_or(old_room);
  return db_.with_transaction([&](soci::session& s) -> Result<Booking> {
    // Locks in id order: two moves between the same rooms cannot deadlock each other.
    for (long long room_id : {std::min(old_room, target), std::max(old_room, target)}) {
      if (!rr::find_room(s, room_id, true)) return std::unexpected(no_such_room());
    }
    auto found = rr::find_booking(s, id);
    if (!found || found->status != "active") return std::unexpected(no_such_booking());
    if (found->room_id != old_room) {
      return std::unexpected(make_error(
          ErrorCode::conflict, {"该预订刚被他人修改，请刷新后重试", "changed meanwhile; reload"}));
    }
    if (!may_change(*found, actor)) return std::unexpected(not_yours());
    if (rr::is_meeting_room(s, id)) return std::unexpected(meeting_booking());
    Booking b = *found;
    if (p.room_id) b.room_id = *p.room_id;
    if (p.starts_at) b.starts_at = *p.starts_at;
    if (p.ends_at) b.ends_at = *p.ends_at;
    if (p.title) b.title = *p.title;
    if (p.booked_for) b.booked_for = *p.booked_for;
    std::vector<FieldError> errors = check_booking_times(b.starts_at, b.ends_at);
    if (b.title.empty()) errors.push_back({"title", {"请填写用途", "a title is required"}});
    if (!errors.empty()) return std::unexpected(invalid_fields(std::move(errors)));
    auto room = rr::find_room(s, b.room_id, false);
    if (!room->active && b.room_id != found->room_id) return std::unexpected(inactive_room(*room));
    if (auto other = rr::first_overlap(s, b.room_id, {b.starts_at, b.ends_at}, id)) {
      return std::unexpected(booking_conflict(*other));
    }
    rr::update_booking(s, b, now);
    audit(s, actor, "booking.update", "booking", id,
          found->room_name + " " + format_instant(found->starts_at) + " -> " + room->name + " " +
              format_instant(b.starts_at),
          now);
    return *rr::find_booking(s, id);
  });
}

Status BookingService::cancel_booking(long long id, const Principal& actor) {
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Status {
    auto found = rr::find_booking(s, id);
    if (!found || found->status != "active") return std::unexpected(no_such_booking());
    if (!may_change(*found, actor)) return std::unexpected(not_yours());
    if (rr::is_meeting_room(s, id)) return std::unexpected(meeting_booking());
    rr::cancel_booking(s, id, now);
    audit(s, actor, "booking.cancel", "booking", id,
          found->room_name + " " + format_instant(found->starts_at) + " " + found->title, now);
    return {};
  });
}

Result<std::vector<Booking>> BookingService::bookings(long long room_id, Timestamp from,
                                                      Timestamp to, const Principal& who) {
  if (to <= from || to - from > std::chrono::days{400}) {
    return std::unexpected(invalid_fields(
        {{"to", {"查询区间应在 400 天以内且结束晚于开始", "a range of at most 400 days"}}}));
  }
  return db_.with_session([&](soci::session& s) -> Result<std::vector<Booking>> {
    if (room_id != 0 && !rr::find_room(s, room_id, false)) return std::unexpected(no_such_room());
    auto list = rr::active_between(s, room_id, from, to);
    if (!who.can(Permission::rooms_book)) {
      for (auto& b : list) mask(b);
    }
    return list;
  });
}

Result<SeriesResult> BookingService::book_series(const SeriesRequest& r,
                                                 const std::string& rule_json,
                                                 const Principal& actor) {
  auto when = expand_series(r.starts_at, r.ends_at, r.rule, r.except);
  if (!when) return std::unexpected(when.error());
  std::vector<FieldError> errors;
  if (r.title.empty()) errors.push_back({"title", {"请填写用途", "a title is required"}});
  if (r.on_conflict != "fail" && r.on_conflict != "skip") {
    errors.push_back({"on_conflict", {"冲突处理应为 fail 或 skip", "fail or skip"}});
  }
  if (!errors.empty()) return std::unexpected(invalid_fields(std::move(errors)));
  const Timestamp now = clock_.now();
  const auto work = [&](soci::session& s) -> Result<SeriesResult> {
    auto room = rr::find_room(s, r.room_id, !r.dry_run);
    if (!room) return std::unexpected(no_such_room());
    if (!room->active) return std::unexpected(inactive_room(*room));
    // One read of the room's bookings over the series' span, then a merge in C++.
    const auto existing =
        rr::active_between(s, r.room_id, when->front().starts_at, when->back().ends_at);
    SeriesResult out;
    Error conflict = make_error(ErrorCode::conflict, {"", ""});
    for (const Interval& i : *when) {
      Occurrence o{i, std::nullopt};
      for (const Booking& b : existing) {
        if (overlaps(i, {b.starts_at, b.ends_at})) {
          o.conflict = b;
          break;
        }
      }
      if (o.conflict) {
        ErrorRecord rec = conflict_record(*o.conflict);
        rec.texts.insert(rec.texts.begin(), {"occurrence_starts_at", format_instant(i.starts_at)});
        conflict.records.push_back(std::move(rec));
      }
      out.occurrences.push_back(std::move(o));
    }
    if (r.dry_run) return out;
    const int conflicts = static_cast<int>(conflict.records.size());
    if (conflicts > 0 && r.on_conflict == "fail") {
      conflict.message = {"有 " + std::to_string(conflicts) + " 次与已有预订冲突，未预订任何一次",
                          std::to_string(conflicts) + " occurrences collide; nothing was booked"};
      conflict.records_name = "conflicts";
      return std::unexpected(std::move(conflict));
    }
    if (conflicts == static_cast<int>(when->size())) {
      return std::unexpected(
          make_error(ErrorCode::conflict, {"每一次都与已有预订冲突", "every occurrence collides"}));
    }
    out.id = rr::insert_series(s, r, rule_json, actor_id(actor), now);
    for (const Occurrence& o : out.occurrences) {
      if (o.conflict) continue;
      Booking b;
      b.room_id = r.room_id;
      b.starts_at = o.when.starts_at;
      b.ends_at = o.when.ends_at;
      b.title = r.title;
      b.booked_for = r.booked_for;
      b.series_id = out.id;
      b.created_by = actor_id(actor);
      b.id = rr::insert_booking(s, b, now);
      b.room_name = room->name;
      out.booked.push_back(std::move(b));
    }
    audit(s, actor, "series.create", "booking_series", out.id,
          room->name + " " + r.title + ": " + std::to_string(out.booked.size()) + " booked, " +
              std::to_string(conflicts) + " skipped",
          now);
    return out;
  };
  return r.dry_run ? db_.with_session(work) : db_.with_transaction(work);
}

Result<Series> BookingService::get_series(long long id, const Principal& who) {
  return db_.with_session([&](soci::session& s) -> Result<Series> {
    auto found = rr::find_series(s, id);
    if (!found) return std::unexpected(no_such_series());
    found->occurrences = rr::series_bookings(s, id, Timestamp{});
    if (!who.can(Permission::rooms_book)) {
      found->title = "已预订";
      found->booked_for.clear();
      for (auto& b : found->occurrences) mask(b);
    }
    return *found;
  });
}

Result<int> BookingService::cancel_series(long long id, std::optional<Timestamp> from,
                                          const Principal& actor) {
  const Timestamp now = clock_.now();
  auto series = db_.with_session(
      [&](soci::session& s) -> Result<std::optional<Series>> { return rr::find_series(s, id); });
  if (!series) return std::unexpected(series.error());
  if (!*series) return std::unexpected(no_such_series());
  const Series& found_series = **series;
  return db_.with_transaction([&](soci::session& s) -> Result<int> {
    rr::find_room(s, found_series.room_id, true);
    const Series* found = &found_series;
    int n = 0;
    for (const Booking& b : rr::series_bookings(s, id, from.value_or(now))) {
      if (!may_change(b, actor)) return std::unexpected(not_yours());
      rr::cancel_booking(s, b.id, now);
      ++n;
    }
    audit(s, actor, "series.cancel", "booking_series", id,
          found->title + ": " + std::to_string(n) + " cancelled" +
              (from ? " from " + format_instant(*from) : ""),
          now);
    return n;
  });
}

}  // namespace xiehui::meetings
