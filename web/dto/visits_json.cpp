#include "web/dto/visits_json.hpp"

#include "core/time.hpp"
#include "services/visits/visit_rules.hpp"
#include "web/dto/training_json.hpp"

namespace xiehui::web::dto {
namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;

value id_or_null(const std::optional<long long>& id) { return id ? value(*id) : value(nullptr); }
value when_or_null(const std::optional<Timestamp>& t) {
  return t ? value(format_instant(*t)) : value(nullptr);
}

array strings(const std::vector<std::string>& items) {
  array out;
  for (const auto& i : items) out.emplace_back(i);
  return out;
}

array periods_json(const std::vector<visits::Period>& ps) {
  array out;
  for (const auto& p : ps)
    out.push_back(object{{"from", format_date(p.from)}, {"to", format_date(p.to)}});
  return out;
}

std::optional<Date> read_date(JsonBody& body, std::string_view name, bool required) {
  auto text = body.string(name, required, 10);
  if (!text) return std::nullopt;
  auto d = parse_date(*text);
  if (!d) body.fail(std::string(name), {"日期格式应为 YYYY-MM-DD", "a date YYYY-MM-DD"});
  return d;
}

}  // namespace

object visit_json(const visits::VisitView& view) {
  const visits::Visit& v = view.visit;
  array hosts, itinerary;
  for (const auto& h : v.hosts) {
    hosts.push_back(object{{"member_id", id_or_null(h.member_id)}, {"name", h.name}});
  }
  for (const auto& it : v.itinerary) {
    itinerary.push_back(object{{"date", it.date},
                               {"half", it.half.empty() ? value(nullptr) : value(it.half)},
                               {"place", it.place},
                               {"activity", it.activity},
                               {"contact", it.contact},
                               {"transport", it.transport}});
  }
  object out{{"id", v.id},
             {"title", v.title},
             {"theme", v.theme},
             {"destination", v.destination},
             {"description", v.description},
             {"hosts", std::move(hosts)},
             {"starts_on", format_date(v.starts_on)},
             {"ends_on", format_date(v.ends_on)},
             {"days", visits::visit_days(v)},
             {"capacity", v.capacity},
             {"per_member_quota", v.per_member_quota ? value(*v.per_member_quota) : value(nullptr)},
             {"cost_fen", v.cost_fen},
             {"cost_covers", v.cost_covers},
             {"apply_deadline", format_instant(v.apply_deadline)},
             {"withdraw_cutoff", format_date(v.withdraw_cutoff)},
             {"status", v.status},
             {"approved", v.approved},
             {"waitlisted", v.waitlisted},
             {"pending", v.pending},
             {"places_left", std::max(0, v.capacity - v.approved)},
             {"itinerary", std::move(itinerary)},
             {"offer_id", id_or_null(v.offer_id)},
             {"report_published", v.report_published_at.has_value()},
             {"version", v.version}};
  if (view.mine) {
    out["mine"] = object{{"pending", view.mine->pending},
                         {"approved", view.mine->approved},
                         {"waitlisted", view.mine->waitlisted}};
  }
  return out;
}

object delegate_json(const visits::Delegate& d) {
  return {{"id", d.id},
          {"application_id", d.application_id},
          {"visit_id", d.visit_id},
          {"member_id", d.member_id},
          {"member_name", d.member_name},
          {"name", d.name},
          {"title", d.title},
          {"gender", d.gender},
          {"mobile", d.mobile},
          {"dietary", d.dietary},
          {"shares_room", d.shares_room},
          {"status", d.status},
          {"waitlist_position", d.waitlist_position ? value(d.waitlist_position) : value(nullptr)},
          {"reason", d.reason},
          {"decided_at", when_or_null(d.decided_at)},
          {"promoted_at", when_or_null(d.promoted_at)},
          {"fee_fen", d.fee_fen},
          {"charge_status", d.charge_status ? value(*d.charge_status) : value(nullptr)}};
}

object application_json(const visits::Application& a) {
  array delegates;
  for (const auto& d : a.delegates) delegates.push_back(delegate_json(d));
  return {{"id", a.id},
          {"visit_id", a.visit_id},
          {"member_id", a.member_id},
          {"member_name", a.member_name},
          {"note", a.note},
          {"created_at", format_instant(a.created_at)},
          {"consent_version", a.consent_version},
          {"delegates", std::move(delegates)}};
}

object rooming_json(const visits::Rooming& r) {
  array rooms, warnings;
  for (const auto& room : r.rooms) {
    array ids, names, units;
    for (const auto& d : room.delegates) {
      ids.emplace_back(d.id);
      names.emplace_back(d.name);
      units.emplace_back(d.member_name);
    }
    if (room.delegates.size() == 1 && room.delegates.front().shares_room) {
      warnings.emplace_back(room.delegates.front().name + " 愿意合住，但单独一间");
    }
    rooms.push_back(object{{"no", room.no},
                           {"gender", room.gender},
                           {"delegates", std::move(ids)},
                           {"names", std::move(names)},
                           {"units", std::move(units)}});
  }
  return {{"rooms", std::move(rooms)}, {"saved", r.saved}, {"warnings", std::move(warnings)}};
}

object attendance_json(const visits::VisitAttendance& a) {
  array slots, rows;
  for (const auto& [day, half] : a.slots) slots.push_back(object{{"day", day}, {"half", half}});
  for (const auto& row : a.rows) {
    array present;
    for (bool p : row.present) present.emplace_back(p);
    rows.push_back(object{{"delegate", delegate_json(row.delegate)},
                          {"present", std::move(present)},
                          {"attended", row.attended}});
  }
  return {{"slots", std::move(slots)}, {"rows", std::move(rows)}};
}

object report_file_json(const visits::visit_repository::ReportFile& f) {
  return {{"id", f.id},
          {"filename", f.filename},
          {"size", f.size},
          {"content_type", f.content_type},
          {"uploaded_at", format_instant(f.uploaded_at)}};
}

object report_json(const visits::VisitReport& r) {
  array files;
  for (const auto& f : r.files) files.push_back(report_file_json(f));
  return {{"text", r.text},
          {"published", r.published_at.has_value()},
          {"published_at", when_or_null(r.published_at)},
          {"files", std::move(files)}};
}

object topic_json(const visits::Topic& t) {
  return {{"id", t.id}, {"name", t.name}, {"active", t.active}};
}

object offer_json(const visits::HostOffer& o) {
  return {{"id", o.id},
          {"member_id", o.member_id},
          {"member_name", o.member_name},
          {"topics", strings(o.topics)},
          {"available", periods_json(o.available)},
          {"group_size", o.group_size},
          {"note", o.note},
          {"active", o.active},
          {"created_at", format_instant(o.created_at)}};
}

object interest_json(const visits::Interest& i) {
  return {{"id", i.id},
          {"member_id", i.member_id},
          {"member_name", i.member_name},
          {"topics", strings(i.topics)},
          {"preferred", periods_json(i.preferred)},
          {"group_size", i.group_size ? value(*i.group_size) : value(nullptr)},
          {"note", i.note},
          {"active", i.active},
          {"created_at", format_instant(i.created_at)}};
}

object match_json(const visits::MatchView& view, bool for_unit) {
  const visits::Match& m = view.match;
  object out{{"offer_id", m.offer_id},
             {"interest_id", m.interest_id},
             {"score", m.score},
             {"common_topics", strings(m.common_topics)},
             {"overlap_days", m.overlap_days},
             {"group_fits", m.group_fits},
             {"reason", m.reason}};
  if (for_unit) {
    out["host_member_id"] = m.host_member_id;
    out["host_name"] = view.host_name;
  } else {
    out["member_id"] = m.guest_member_id;
    out["member_name"] = view.guest_name;
  }
  return out;
}

visits::VisitPatch read_visit_patch(JsonBody& body, bool required) {
  visits::VisitPatch p;
  p.title = body.string("title", required, 200);
  p.theme = body.string("theme", false, 200);
  p.destination = body.string("destination", required, 100);
  p.description = body.text_block("description", false, 5000);
  p.cost_covers = body.string("cost_covers", false, 500);
  p.status = body.string("status", false, 16);
  p.starts_on = read_date(body, "starts_on", required);
  p.ends_on = read_date(body, "ends_on", required);
  p.withdraw_cutoff = read_date(body, "withdraw_cutoff", false);
  if (auto text = body.string("apply_deadline", required, 40)) {
    p.apply_deadline = parse_when(*text, true);
    if (!p.apply_deadline) {
      body.fail("apply_deadline", {"应为日期 YYYY-MM-DD 或带时区的时间", "a date or an instant"});
    }
  }
  if (auto n = body.integer("capacity", required, 1, 1000)) p.capacity = static_cast<int>(*n);
  if (auto q = body.nullable_integer("per_member_quota", 1, 1000)) {
    p.per_member_quota = *q ? std::optional<int>(static_cast<int>(**q)) : std::nullopt;
  }
  p.cost_fen = body.integer("cost_fen", required, 0, 100'000'000);
  if (body.has("hosts") || required) {
    std::vector<visits::Host> hosts;
    for (JsonBody& h : body.objects("hosts", required, 10)) {
      visits::Host host;
      if (auto id = h.nullable_integer("member_id", 1, 1LL << 53); id && *id) host.member_id = **id;
      host.name = h.string("name", !host.member_id, 100).value_or("");
      body.absorb(h);
      hosts.push_back(std::move(host));
    }
    p.hosts = std::move(hosts);
  }
  if (body.has("itinerary") || required) {
    std::vector<visits::ItineraryItem> items;
    for (JsonBody& it : body.objects("itinerary", false, 100)) {
      visits::ItineraryItem item;
      item.date = it.string("date", true, 10).value_or("");
      if (it.has("half")) item.half = it.string("half", false, 2).value_or("");
      item.place = it.string("place", true, 100).value_or("");
      item.activity = it.string("activity", true, 200).value_or("");
      item.contact = it.string("contact", false, 100).value_or("");
      item.transport = it.string("transport", false, 50).value_or("");
      body.absorb(it);
      items.push_back(std::move(item));
    }
    p.itinerary = std::move(items);
  }
  return p;
}

visits::Visit new_visit(const visits::VisitPatch& p) {
  visits::Visit v;
  v.title = p.title.value_or("");
  v.theme = p.theme.value_or("");
  v.destination = p.destination.value_or("");
  v.description = p.description.value_or("");
  v.cost_covers = p.cost_covers.value_or("");
  v.status = p.status.value_or("draft");
  v.hosts = p.hosts.value_or(std::vector<visits::Host>{});
  v.starts_on = p.starts_on.value_or(Date{});
  v.ends_on = p.ends_on.value_or(Date{});
  v.withdraw_cutoff = p.withdraw_cutoff.value_or(visits::default_withdraw_cutoff(v.starts_on));
  v.apply_deadline = p.apply_deadline.value_or(Timestamp{});
  v.capacity = p.capacity.value_or(0);
  v.per_member_quota = p.per_member_quota.value_or(std::nullopt);
  v.cost_fen = p.cost_fen.value_or(0);
  v.itinerary = p.itinerary.value_or(std::vector<visits::ItineraryItem>{});
  return v;
}

std::vector<visits::Delegate> read_delegates(JsonBody& body) {
  std::vector<visits::Delegate> out;
  for (JsonBody& o : body.objects("delegates", true, 50)) {
    visits::Delegate d;
    // Generous type-level limits: the service names every field over its own limit at once.
    d.name = o.string("name", true, 500).value_or("");
    d.title = o.string("title", false, 500).value_or("");
    d.gender = o.string("gender", true, 10).value_or("");
    d.mobile = o.string("mobile", true, 40).value_or("");
    d.dietary = o.string("dietary", false, 500).value_or("");
    d.shares_room = o.boolean("shares_room", false).value_or(true);
    body.absorb(o);
    out.push_back(std::move(d));
  }
  return out;
}

std::vector<visits::Room> read_rooms(JsonBody& body) {
  std::vector<visits::Room> out;
  for (JsonBody& o : body.objects("rooms", true, 1000)) {
    visits::Room r;
    r.delegates =
        o.integer_array("delegates", true, 2, 1, 1LL << 53).value_or(std::vector<long long>{});
    body.absorb(o);
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<visits::Period> read_periods(JsonBody& body, const std::string& name, bool required) {
  std::vector<visits::Period> out;
  for (JsonBody& o : body.objects(name, required, 10)) {
    auto from = read_date(o, "from", true);
    auto to = read_date(o, "to", true);
    body.absorb(o);
    if (from && to) out.push_back({*from, *to});
  }
  return out;
}

}  // namespace xiehui::web::dto
