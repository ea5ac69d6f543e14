#include "web/dto/meetings_json.hpp"

#include "core/time.hpp"
#include "web/dto/privacy_json.hpp"
#include "web/dto/training_json.hpp"

namespace xiehui::web::dto {
namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;

value id_or_null(const std::optional<long long>& id) { return id ? value(*id) : value(nullptr); }

array strings(const std::vector<std::string>& items) {
  array out;
  for (const auto& i : items) out.emplace_back(i);
  return out;
}

object ratio_json(const meetings::Ratio& r) {
  return {{"num", r.num}, {"den", r.den}, {"strict", r.strict}};
}

std::optional<meetings::Ratio> read_ratio(JsonBody& body, const std::string& name) {
  JsonBody o = body.object(name);
  auto num = o.integer("num", true, 1, 100);
  auto den = o.integer("den", true, 1, 100);
  auto strict = o.boolean("strict", false);
  body.absorb(o);
  if (!num || !den) return std::nullopt;
  return meetings::Ratio{static_cast<int>(*num), static_cast<int>(*den), strict.value_or(false)};
}

}  // namespace

object room_json(const meetings::Room& r) {
  return {{"id", r.id},
          {"name", r.name},
          {"location", r.location},
          {"capacity", r.capacity},
          {"equipment", strings(r.equipment)},
          {"active", r.active}};
}

object booking_json(const meetings::Booking& b) {
  return {{"id", b.id},
          {"room_id", b.room_id},
          {"room_name", b.room_name},
          {"starts_at", format_instant(b.starts_at)},
          {"ends_at", format_instant(b.ends_at)},
          {"title", b.title},
          {"booked_for", b.booked_for},
          {"meeting_id", id_or_null(b.meeting_id)},
          {"class_id", id_or_null(b.class_id)},
          {"series_id", id_or_null(b.series_id)},
          {"status", b.status},
          {"created_by", id_or_null(b.created_by)},
          {"version", b.version}};
}

object event_json(const meetings::CalendarEvent& e) {
  return {{"type", e.type},
          {"id", e.id},
          {"title", e.title},
          {"starts_at", format_instant(e.starts_at)},
          {"ends_at", format_instant(e.ends_at)},
          {"room_id", id_or_null(e.room_id)},
          {"room_name", e.room_name},
          {"location", e.location},
          {"status", e.status},
          {"meeting_id", id_or_null(e.meeting_id)},
          {"series_id", id_or_null(e.series_id)},
          {"editable", e.editable}};
}

object material_json(const meetings::Material& m) {
  return {{"id", m.id},
          {"filename", m.filename},
          {"size", m.size},
          {"content_type", m.content_type},
          {"uploaded_at", format_instant(m.uploaded_at)}};
}

object rsvp_json(const meetings::Rsvp& r) {
  array people;
  for (const auto& a : r.attendees) {
    people.push_back(object{{"name", a.name}, {"title", a.title}, {"mobile", a.mobile}});
  }
  return {{"member_id", r.member_id},
          {"member_name", r.member_name},
          {"attending", r.attending},
          {"attendees", std::move(people)},
          {"proxy_to_member_id", id_or_null(r.proxy_to_member_id)},
          {"proxy_to_name", r.proxy_to_name},
          {"note", r.note},
          {"replied_at", format_instant(r.replied_at)},
          {"consent_version", id_or_null(r.consent_version)}};
}

object meeting_json(const meetings::Meeting& m) {
  array agenda, materials;
  for (const auto& a : m.agenda) {
    agenda.push_back(object{{"title", a.title}, {"presenter", a.presenter}});
  }
  for (const auto& x : m.materials) materials.push_back(material_json(x));
  object out{{"id", m.id},
             {"kind", m.kind},
             {"term_no", m.term_no},
             {"session_no", m.session_no},
             {"title", m.title},
             {"starts_at", format_instant(m.starts_at)},
             {"ends_at", format_instant(m.ends_at)},
             {"mode", m.mode},
             {"room_id", id_or_null(m.room_id)},
             {"room_name", m.room_name},
             {"booking_id", id_or_null(m.booking_id)},
             {"venue", m.venue},
             {"agenda", std::move(agenda)},
             {"rsvp_deadline", format_instant(m.rsvp_deadline)},
             {"status", m.status},
             {"description", m.description},
             {"minutes", m.minutes},
             {"version", m.version},
             {"invited", m.invited},
             {"replied", m.replied},
             {"attending", m.attending},
             {"materials", std::move(materials)}};
  if (m.my_reply) {
    out["my_reply"] = rsvp_json(*m.my_reply);
  } else {
    out["my_reply"] = nullptr;
  }
  return out;
}

object quorum_json(const meetings::Quorum& q) {
  return {{"entitled", q.entitled},      {"present", q.present},   {"in_person", q.in_person},
          {"proxies", q.proxies},        {"required", q.required}, {"reached", q.reached},
          {"ratio", ratio_json(q.ratio)}};
}

object resolution_json(const meetings::Resolution& r) {
  return {{"id", r.id},
          {"meeting_id", r.meeting_id},
          {"title", r.title},
          {"kind", r.kind},
          {"method", r.method},
          {"method_label", meetings::method_label(r.method)},
          {"entitled", r.entitled},
          {"present", r.present},
          {"votes_for", r.votes_for},
          {"votes_against", r.votes_against},
          {"abstentions", r.abstentions},
          {"passed", r.passed},
          {"rule", r.rule_text},
          {"created_at", format_instant(r.created_at)}};
}

object settings_json(const meetings::MeetingSettings& s) {
  object tiers, quorum, pass;
  for (const auto& [k, v] : s.invite_tiers) tiers[k] = strings(v);
  for (const auto& [k, v] : s.quorum) quorum[k] = ratio_json(v);
  for (const auto& [k, v] : s.pass) pass[k] = ratio_json(v);
  return {{"invite_tiers", std::move(tiers)},
          {"quorum", std::move(quorum)},
          {"pass", std::move(pass)},
          {"proxy_kinds", strings(s.proxy_kinds)},
          {"max_proxies_per_holder", s.max_proxies_per_holder},
          {"lapsed_vote", s.lapsed_vote},
          {"material_max_bytes", s.material_max_bytes}};
}

std::optional<Timestamp> read_when(JsonBody& body, const char* name, bool required,
                                   bool end_of_day) {
  auto text = body.string(name, required, 40);
  if (!text) return std::nullopt;
  auto t = parse_when(*text, end_of_day);
  if (!t) {
    body.fail(name, {"时间格式应为 2026-03-05T09:00:00+08:00 或 2026-03-05",
                     "expected 2026-03-05T09:00:00+08:00 or 2026-03-05"});
  }
  return t;
}

meetings::RoomPatch read_room(JsonBody& body, bool required) {
  meetings::RoomPatch p;
  p.name = body.string("name", required, 50);
  p.location = body.string("location", false, 100);
  if (auto v = body.integer("capacity", required, 1, 10000)) p.capacity = static_cast<int>(*v);
  p.equipment = body.string_array("equipment", false, 20, 40);
  p.active = body.boolean("active", false);
  return p;
}

meetings::BookingPatch read_booking_patch(JsonBody& body, bool required) {
  meetings::BookingPatch p;
  p.room_id = body.integer("room_id", required, 1, 1LL << 53);
  p.starts_at = read_when(body, "starts_at", required, false);
  p.ends_at = read_when(body, "ends_at", required, true);
  p.title = body.string("title", required, 100);
  if (body.has("booked_for")) p.booked_for = body.string("booked_for", false, 100).value_or("");
  return p;
}

meetings::SeriesRequest read_series(JsonBody& body, std::string& rule_json) {
  meetings::SeriesRequest r;
  r.room_id = body.integer("room_id", true, 1, 1LL << 53).value_or(0);
  r.title = body.string("title", true, 100).value_or("");
  r.booked_for = body.string("booked_for", false, 100).value_or("");
  r.starts_at = read_when(body, "starts_at", true, false).value_or(Timestamp{});
  r.ends_at = read_when(body, "ends_at", true, true).value_or(Timestamp{});
  JsonBody rule = body.object("rule");
  r.rule.freq = rule.string("freq", true, 10).value_or("");
  r.rule.interval = static_cast<int>(rule.integer("interval", false, 1, 12).value_or(1));
  if (auto days = rule.integer_array("by_weekday", false, 7, 1, 7)) {
    for (long long d : *days) r.rule.by_weekday.push_back(static_cast<int>(d));
  }
  r.rule.monthly_by = rule.string("monthly_by", false, 10).value_or("date");
  if (auto count = rule.nullable_integer("count", 1, 1000); count && *count) {
    r.rule.count = static_cast<int>(**count);
  }
  if (auto until = rule.string("until", false, 10)) r.rule.until = *until;
  body.absorb(rule);
  r.except = body.string_array("except", false, 200, 10).value_or(std::vector<std::string>{});
  r.on_conflict = body.string("on_conflict", false, 10).value_or("fail");
  r.dry_run = body.boolean("dry_run", false).value_or(false);
  // The rule as stored: what the caller asked for, in a canonical shape.
  object stored{{"freq", r.rule.freq},
                {"interval", r.rule.interval},
                {"monthly_by", r.rule.monthly_by},
                {"until", r.rule.until ? value(*r.rule.until) : value(nullptr)},
                {"count", r.rule.count ? value(*r.rule.count) : value(nullptr)}};
  array days;
  for (int d : r.rule.by_weekday) days.emplace_back(d);
  stored["by_weekday"] = std::move(days);
  rule_json = boost::json::serialize(stored);
  return r;
}

std::vector<meetings::AgendaItem> read_agenda(JsonBody& body) {
  std::vector<meetings::AgendaItem> out;
  for (JsonBody& item : body.objects("agenda", false, 50)) {
    out.push_back({item.string("title", true, 100).value_or(""),
                   item.string("presenter", false, 50).value_or("")});
    body.absorb(item);
  }
  return out;
}

meetings::MeetingDraft read_meeting(JsonBody& body) {
  meetings::MeetingDraft d;
  meetings::Meeting& m = d.meeting;
  m.kind = body.string("kind", true, 32).value_or("");
  m.term_no = static_cast<int>(body.integer("term_no", false, 1, 999).value_or(0));
  m.session_no = static_cast<int>(body.integer("session_no", false, 1, 999).value_or(0));
  m.title = body.string("title", false, 100).value_or("");
  m.starts_at = read_when(body, "starts_at", true, false).value_or(Timestamp{});
  m.ends_at = read_when(body, "ends_at", true, true).value_or(Timestamp{});
  m.rsvp_deadline = read_when(body, "rsvp_deadline", true, true).value_or(Timestamp{});
  m.mode = body.string("mode", false, 16).value_or("onsite");
  if (auto room = body.nullable_integer("room_id", 1, 1LL << 53); room && *room) m.room_id = **room;
  if (body.has("venue")) m.venue = body.string("venue", false, 100).value_or("");
  m.description = body.text_block("description", false, 5000).value_or("");
  m.agenda = read_agenda(body);
  if (body.has("invite")) {
    JsonBody invite = body.object("invite");
    d.invite_rule = invite.boolean("rule", false).value_or(false);
    d.member_ids = invite.integer_array("member_ids", false, 1000, 1, 1LL << 53)
                       .value_or(std::vector<long long>{});
    d.user_ids = invite.integer_array("user_ids", false, 200, 1, 1LL << 53)
                     .value_or(std::vector<long long>{});
    body.absorb(invite);
  }
  return d;
}

meetings::MeetingPatch read_meeting_patch(JsonBody& body) {
  meetings::MeetingPatch p;
  p.title = body.string("title", false, 100);
  p.mode = body.string("mode", false, 16);
  if (body.has("venue")) p.venue = body.string("venue", false, 100).value_or("");
  p.description = body.text_block("description", false, 5000);
  if (body.has("minutes")) p.minutes = body.text_block("minutes", false, 50000).value_or("");
  p.status = body.string("status", false, 16);
  p.starts_at = read_when(body, "starts_at", false, false);
  p.ends_at = read_when(body, "ends_at", false, true);
  p.rsvp_deadline = read_when(body, "rsvp_deadline", false, true);
  if (auto room = body.nullable_integer("room_id", 1, 1LL << 53)) p.room_id = *room;
  if (body.has("agenda")) p.agenda = read_agenda(body);
  return p;
}

meetings::Rsvp read_rsvp(JsonBody& body) {
  meetings::Rsvp r;
  r.member_id = body.integer("member_id", true, 1, 1LL << 53).value_or(0);
  r.attending = body.boolean("attending", true).value_or(false);
  for (JsonBody& a : body.objects("attendees", false, 5)) {
    r.attendees.push_back({a.string("name", true, 20).value_or(""),
                           a.string("title", false, 50).value_or(""),
                           a.string("mobile", true, 20).value_or("")});
    body.absorb(a);
  }
  if (auto proxy = body.nullable_integer("proxy_to_member_id", 1, 1LL << 53); proxy && *proxy) {
    r.proxy_to_member_id = **proxy;
  }
  r.note = body.text_block("note", false, 200).value_or("");
  r.consent_version = read_consent_version(body);
  return r;
}

meetings::Resolution read_resolution(JsonBody& body, bool& figures_given) {
  meetings::Resolution r;
  r.title = body.string("title", true, 100).value_or("");
  r.kind = body.string("kind", false, 16).value_or("ordinary");
  r.method = body.string("method", true, 16).value_or("");
  const auto count = [&](const char* name, bool required) {
    return static_cast<int>(body.integer(name, required, 0, 100000).value_or(0));
  };
  figures_given = body.has("entitled") || body.has("present");
  if (figures_given) {
    r.entitled = body.has("entitled") ? count("entitled", true) : -1;
    r.present = body.has("present") ? count("present", true) : -1;
  }
  r.votes_for = count("votes_for", true);
  r.votes_against = count("votes_against", true);
  r.abstentions = count("abstentions", true);
  return r;
}

meetings::MeetingSettings read_settings(JsonBody& body, meetings::MeetingSettings s) {
  if (body.has("invite_tiers")) {
    JsonBody tiers = body.object("invite_tiers");
    for (const auto& kind : tiers.keys()) {
      if (auto list = tiers.string_array(kind, false, 5, 20)) s.invite_tiers[kind] = *list;
    }
    body.absorb(tiers);
  }
  for (const char* group : {"quorum", "pass"}) {
    if (!body.has(group)) continue;
    JsonBody ratios = body.object(group);
    for (const auto& kind : ratios.keys()) {
      if (auto r = read_ratio(ratios, kind)) {
        (std::string_view(group) == "quorum" ? s.quorum : s.pass)[kind] = *r;
      }
    }
    body.absorb(ratios);
  }
  if (auto kinds = body.string_array("proxy_kinds", false, 6, 20)) s.proxy_kinds = *kinds;
  if (auto n = body.integer("max_proxies_per_holder", false, 0, 10)) {
    s.max_proxies_per_holder = static_cast<int>(*n);
  }
  if (auto v = body.boolean("lapsed_vote", false)) s.lapsed_vote = *v;
  if (auto v = body.integer("material_max_bytes", false, 1024, 100LL * 1024 * 1024)) {
    s.material_max_bytes = *v;
  }
  return s;
}

}  // namespace xiehui::web::dto
