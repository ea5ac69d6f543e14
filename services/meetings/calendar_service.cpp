#include "services/meetings/calendar_service.hpp"

#include <algorithm>
#include <set>

#include "core/crypto.hpp"
#include "core/ical.hpp"
#include "services/accounts/user_repository.hpp"
#include "services/meetings/meeting_repository.hpp"
#include "services/meetings/meetings_audit.hpp"
#include "services/meetings/room_repository.hpp"

namespace xiehui::meetings {
namespace {

namespace mr = meeting_repository;
namespace rr = room_repository;

Error no_such_feed() { return not_found_error({"日历订阅", "calendar feed"}); }

// Meetings the caller may see in a window, as calendar entries.
std::vector<CalendarEvent> visible_meetings(soci::session& s, Timestamp from, Timestamp to,
                                            const Principal& who, bool with_cancelled) {
  auto all = rr::meeting_events(s, from, to, with_cancelled);
  if (sees_all_meetings(who)) return all;
  mr::MeetingFilter f{from,
                      to,
                      "",
                      "",
                      who.member_id,
                      who.user_id ? std::optional<long long>(who.user_id) : std::nullopt,
                      true};
  std::set<long long> ids;
  for (const auto& m : mr::list_meetings(s, f)) ids.insert(m.id);
  std::erase_if(all, [&](const CalendarEvent& e) { return !ids.contains(e.id); });
  return all;
}

ical::Event to_ical(const CalendarEvent& e, const std::string& base_url) {
  ical::Event out;
  out.uid = e.type + "-" + std::to_string(e.id) + "@xiehui";
  out.starts_at = e.starts_at;
  out.ends_at = e.ends_at;
  out.summary = e.title;
  out.location = e.location;
  out.sequence = e.version;
  out.cancelled = e.status == "cancelled";
  out.last_modified = e.updated_at;
  if (e.type == "meeting") {
    out.url = base_url + "/meetings/" + std::to_string(e.id);
    out.categories = "会议";
  } else if (e.type == "class") {
    out.url = base_url + "/training/classes/" + std::to_string(e.id);
    out.categories = "培训";
  } else if (e.type == "visit") {
    out.url = base_url + "/visits/" + std::to_string(e.id);
    out.categories = "考察交流";
  } else {
    out.categories = "会议室预订";
  }
  return out;
}

}  // namespace

Result<std::vector<CalendarEvent>> CalendarService::events(Timestamp from, Timestamp to,
                                                           long long room_id,
                                                           const Principal& who) {
  if (to <= from || to - from > std::chrono::days{400}) {
    return std::unexpected(invalid_fields(
        {{"to", {"查询区间应在 400 天以内且结束晚于开始", "a range of at most 400 days"}}}));
  }
  return db_.with_session([&](soci::session& s) -> Result<std::vector<CalendarEvent>> {
    if (room_id != 0 && !rr::find_room(s, room_id, false)) {
      return std::unexpected(not_found_error({"会议室", "room"}));
    }
    const bool booker = who.can(Permission::rooms_book);
    const auto own = rr::meeting_room_bookings(s, from, to);
    std::vector<CalendarEvent> out;
    for (const Booking& b : rr::active_between(s, room_id, from, to)) {
      // The month view shows a meeting once: as the meeting, not also as its room booking.
      if (room_id == 0 && own.contains(b.id)) continue;
      CalendarEvent e;
      e.type = "booking";
      e.id = b.id;
      e.title = booker ? b.title : "已预订";
      e.starts_at = b.starts_at;
      e.ends_at = b.ends_at;
      e.room_id = b.room_id;
      e.room_name = b.room_name;
      e.location = b.room_name;
      e.status = b.status;
      e.meeting_id = booker ? b.meeting_id : std::nullopt;
      e.series_id = b.series_id;
      e.editable = booker && !own.contains(b.id) &&
                   (is_staff(who) || (b.created_by && *b.created_by == who.user_id));
      e.version = b.version;
      out.push_back(std::move(e));
    }
    if (room_id == 0) {
      auto meetings = visible_meetings(s, from, to, who, false);
      auto classes = rr::class_events(s, from, to, false);
      auto visits = rr::visit_events(s, from, to, false);
      out.insert(out.end(), meetings.begin(), meetings.end());
      out.insert(out.end(), classes.begin(), classes.end());
      out.insert(out.end(), visits.begin(), visits.end());
      std::stable_sort(out.begin(), out.end(),
                       [](const auto& a, const auto& b) { return a.starts_at < b.starts_at; });
    }
    return out;
  });
}

Result<std::string> CalendarService::feed_token(const Principal& who, bool renew) {
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<std::string> {
    // The user row is the lock: parallel first requests then agree on one key.
    accounts::user_repository::lock_by_id(s, who.user_id);
    if (!renew) {
      if (auto token = rr::feed_token(s, who.user_id)) return *token;
    }
    const std::string token = random_token(24);
    rr::set_feed_token(s, who.user_id, token, now);
    audit(s, who, renew ? "calendar_feed.renew" : "calendar_feed.create", "calendar_feed",
          who.user_id, "", now);
    return token;
  });
}

Status CalendarService::revoke_feed(const Principal& who) {
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Status {
    rr::delete_feed(s, who.user_id);
    audit(s, who, "calendar_feed.revoke", "calendar_feed", who.user_id, "", now);
    return {};
  });
}

Result<std::string> CalendarService::feed(const std::string& token, const std::string& base_url) {
  if (!is_token(token)) return std::unexpected(no_such_feed());
  const Timestamp now = clock_.now();
  const Timestamp from = now - std::chrono::days{90}, to = now + std::chrono::days{400};
  return db_.with_session([&](soci::session& s) -> Result<std::string> {
    auto owner_id = rr::feed_owner(s, token);
    if (!owner_id) return std::unexpected(no_such_feed());
    auto user = accounts::user_repository::find_by_id(s, *owner_id);
    if (!user || user->disabled) return std::unexpected(no_such_feed());
    Principal who;
    who.user_id = user->id;
    who.username = user->username;
    who.roles = user->roles;
    who.member_id = user->member_id;
    std::vector<CalendarEvent> entries = visible_meetings(s, from, to, who, true);
    auto classes = rr::class_events(s, from, to, true);
    if (!who.can(Permission::training_manage)) {
      std::set<long long> mine;
      if (who.member_id) {
        for (long long id : rr::member_class_ids(s, *who.member_id)) mine.insert(id);
      }
      std::erase_if(classes, [&](const CalendarEvent& e) { return !mine.contains(e.id); });
    }
    entries.insert(entries.end(), classes.begin(), classes.end());
    // Visits: staff and leaders all; a unit those it applied for.
    auto visits = rr::visit_events(s, from, to, true);
    if (!who.can(Permission::visits_manage) && !who.can(Permission::reports_read)) {
      std::set<long long> mine;
      if (who.member_id) {
        for (long long id : rr::member_visit_ids(s, *who.member_id)) mine.insert(id);
      }
      std::erase_if(visits, [&](const CalendarEvent& e) { return !mine.contains(e.id); });
    }
    entries.insert(entries.end(), visits.begin(), visits.end());
    auto bookings = rr::booking_events(s, is_staff(who) ? 0 : who.user_id, from, to);
    // A meeting's own booking would show the same event twice.
    const auto own = rr::meeting_room_bookings(s, from, to);
    std::erase_if(bookings, [&](const CalendarEvent& e) { return own.contains(e.id); });
    entries.insert(entries.end(), bookings.begin(), bookings.end());
    std::vector<ical::Event> events;
    for (const auto& e : entries) events.push_back(to_ical(e, base_url));
    return ical::calendar("协会日程 · " + user->display_name, events, now);
  });
}

}  // namespace xiehui::meetings
