// Rooms, bookings, series, calendar entries and the iCalendar feed.

#include <boost/json.hpp>

#include "core/time.hpp"
#include "services/meetings/booking_service.hpp"
#include "services/meetings/calendar_service.hpp"
#include "web/app_services.hpp"
#include "web/downloads.hpp"
#include "web/dto/meetings_json.hpp"
#include "web/dto/training_json.hpp"
#include "web/handlers/meetings.hpp"

namespace xiehui::web::handlers {
namespace {

const Text kRoom{"会议室", "room"};
const Text kBooking{"预订", "booking"};
const Text kSeries{"系列预订", "booking series"};

meetings::BookingService& svc(RequestContext& ctx) { return ctx.services().bookings; }

// ?from=&to= as dates or instants (both required); `to` as a date means the end of that day.
Result<std::pair<Timestamp, Timestamp>> range(RequestContext& ctx) {
  auto from = ctx.query("from"), to = ctx.query("to");
  auto f = from ? dto::parse_when(*from, false) : std::nullopt;
  auto t = to ? dto::parse_when(*to, true) : std::nullopt;
  std::vector<FieldError> errors;
  const Text format{"请给出日期 YYYY-MM-DD 或带时区的时间", "a date YYYY-MM-DD or an instant"};
  if (!f) errors.push_back({"from", format});
  if (!t) errors.push_back({"to", format});
  if (!errors.empty()) return std::unexpected(invalid_fields(std::move(errors)));
  return std::pair{*f, *t};
}

Result<long long> room_filter(RequestContext& ctx) {
  auto text = ctx.query("room_id");
  if (!text || text->empty()) return 0;
  return parse_id(*text, kRoom);
}

Response feed_url(RequestContext& ctx, const Result<std::string>& token) {
  if (!token) return ctx.error(token.error());
  return ctx.json(http::status::ok,
                  {{"url", public_base_url(ctx) + "/api/calendar.ics?token=" + *token}});
}

}  // namespace

Response list_rooms(RequestContext& ctx) {
  auto active = query_flag(ctx, "active", false);
  if (!active) return ctx.error(active.error());
  auto r = svc(ctx).list_rooms(*active);
  if (!r) return ctx.error(r.error());
  boost::json::array items;
  for (const auto& room : *r) items.push_back(dto::room_json(room));
  return ctx.json(http::status::ok, {{"items", std::move(items)}});
}

Response create_room(RequestContext& ctx) {
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  auto p = dto::read_room(*body, true);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  meetings::Room room{0,
                      p.name.value_or(""),
                      p.location.value_or(""),
                      p.capacity.value_or(0),
                      p.equipment.value_or(std::vector<std::string>{}),
                      p.active.value_or(true)};
  auto r = svc(ctx).create_room(std::move(room), ctx.caller());
  return r ? ctx.json(http::status::created, dto::room_json(*r)) : ctx.error(r.error());
}

Response update_room(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kRoom);
  auto body = JsonBody::parse(ctx);
  if (!id || !body) return ctx.error(!id ? id.error() : body.error());
  auto p = dto::read_room(*body, false);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = svc(ctx).update_room(*id, p, ctx.caller());
  return r ? ctx.json(http::status::ok, dto::room_json(*r)) : ctx.error(r.error());
}

Response list_bookings(RequestContext& ctx) {
  auto when = range(ctx);
  auto room = room_filter(ctx);
  if (!when || !room) return ctx.error(!when ? when.error() : room.error());
  auto r = svc(ctx).bookings(*room, when->first, when->second, ctx.caller());
  if (!r) return ctx.error(r.error());
  boost::json::array items;
  for (const auto& b : *r) items.push_back(dto::booking_json(b));
  return ctx.json(http::status::ok, {{"items", std::move(items)}});
}

Response create_booking(RequestContext& ctx) {
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  auto p = dto::read_booking_patch(*body, true);
  auto meeting = body->nullable_integer("meeting_id", 1, 1LL << 53);
  auto cls = body->nullable_integer("class_id", 1, 1LL << 53);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  meetings::Booking b;
  b.room_id = p.room_id.value_or(0);
  b.starts_at = p.starts_at.value_or(Timestamp{});
  b.ends_at = p.ends_at.value_or(Timestamp{});
  b.title = p.title.value_or("");
  b.booked_for = p.booked_for.value_or("");
  b.meeting_id = meeting.value_or(std::nullopt);
  b.class_id = cls.value_or(std::nullopt);
  auto r = svc(ctx).book(std::move(b), ctx.caller());
  return r ? ctx.json(http::status::created, dto::booking_json(*r)) : ctx.error(r.error());
}

Response update_booking(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kBooking);
  auto body = JsonBody::parse(ctx);
  if (!id || !body) return ctx.error(!id ? id.error() : body.error());
  auto p = dto::read_booking_patch(*body, false);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = svc(ctx).update_booking(*id, p, ctx.caller());
  return r ? ctx.json(http::status::ok, dto::booking_json(*r)) : ctx.error(r.error());
}

Response cancel_booking(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kBooking);
  if (!id) return ctx.error(id.error());
  auto r = svc(ctx).cancel_booking(*id, ctx.caller());
  return r ? ctx.no_content() : ctx.error(r.error());
}

Response create_series(RequestContext& ctx) {
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  std::string rule_json;
  auto request = dto::read_series(*body, rule_json);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = svc(ctx).book_series(request, rule_json, ctx.caller());
  if (!r) return ctx.error(r.error());
  boost::json::array booked, conflicts, occurrences;
  for (const auto& b : r->booked) booked.push_back(dto::booking_json(b));
  for (const auto& o : r->occurrences) {
    boost::json::value other = nullptr;
    if (o.conflict) {
      other = boost::json::object{{"booking_id", o.conflict->id},
                                  {"title", o.conflict->title},
                                  {"starts_at", format_instant(o.conflict->starts_at)},
                                  {"ends_at", format_instant(o.conflict->ends_at)}};
      boost::json::object listed = other.as_object();
      listed["occurrence_starts_at"] = format_instant(o.when.starts_at);
      conflicts.push_back(std::move(listed));
    }
    occurrences.push_back(boost::json::object{{"starts_at", format_instant(o.when.starts_at)},
                                              {"ends_at", format_instant(o.when.ends_at)},
                                              {"conflict", other}});
  }
  if (request.dry_run) return ctx.json(http::status::ok, {{"occurrences", std::move(occurrences)}});
  return ctx.json(
      http::status::created,
      {{"id", r->id}, {"booked", std::move(booked)}, {"conflicts", std::move(conflicts)}});
}

Response get_series(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kSeries);
  if (!id) return ctx.error(id.error());
  auto r = svc(ctx).get_series(*id, ctx.caller());
  if (!r) return ctx.error(r.error());
  boost::json::array items, except;
  for (const auto& b : r->occurrences) items.push_back(dto::booking_json(b));
  for (const auto& d : r->except) except.emplace_back(d);
  boost::system::error_code ec;
  auto rule = boost::json::parse(r->rule_json, ec);
  return ctx.json(http::status::ok, {{"id", r->id},
                                     {"room_id", r->room_id},
                                     {"title", r->title},
                                     {"booked_for", r->booked_for},
                                     {"rule", ec ? boost::json::value(nullptr) : rule},
                                     {"except", std::move(except)},
                                     {"occurrences", std::move(items)}});
}

Response cancel_series(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kSeries);
  if (!id) return ctx.error(id.error());
  std::optional<Timestamp> from;
  if (auto text = ctx.query("from")) {
    from = dto::parse_when(*text, false);
    if (!from)
      return ctx.error(invalid_fields({{"from", {"日期格式应为 YYYY-MM-DD", "use YYYY-MM-DD"}}}));
  }
  auto r = svc(ctx).cancel_series(*id, from, ctx.caller());
  return r ? ctx.json(http::status::ok, {{"cancelled", *r}}) : ctx.error(r.error());
}

Response calendar_events(RequestContext& ctx) {
  auto when = range(ctx);
  auto room = room_filter(ctx);
  if (!when || !room) return ctx.error(!when ? when.error() : room.error());
  auto r = ctx.services().calendar.events(when->first, when->second, *room, ctx.caller());
  if (!r) return ctx.error(r.error());
  boost::json::array items;
  for (const auto& e : *r) items.push_back(dto::event_json(e));
  return ctx.json(http::status::ok, {{"items", std::move(items)}});
}

Response get_calendar_feed(RequestContext& ctx) {
  return feed_url(ctx, ctx.services().calendar.feed_token(ctx.caller(), false));
}

Response renew_calendar_feed(RequestContext& ctx) {
  return feed_url(ctx, ctx.services().calendar.feed_token(ctx.caller(), true));
}

Response revoke_calendar_feed(RequestContext& ctx) {
  auto r = ctx.services().calendar.revoke_feed(ctx.caller());
  return r ? ctx.no_content() : ctx.error(r.error());
}

Response calendar_ics(RequestContext& ctx) {
  auto r = ctx.services().calendar.feed(ctx.query("token").value_or(""), public_base_url(ctx));
  if (!r) return ctx.error(r.error());
  Response res{http::status::ok, ctx.request.version()};
  res.set(http::field::content_type, "text/calendar; charset=utf-8");
  res.set(http::field::cache_control, "no-store");
  res.body() = std::move(*r);
  return res;
}

}  // namespace xiehui::web::handlers
