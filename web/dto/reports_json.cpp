#include "web/dto/reports_json.hpp"

#include <boost/json.hpp>

#include "core/time.hpp"
#include "services/reports/report_rules.hpp"

namespace xiehui::web::dto {
namespace json = boost::json;
namespace {

json::array counts_json(const std::vector<reports::Count>& counts, bool city) {
  json::array out;
  for (const auto& c : counts) {
    json::object o{{"key", c.key}, {"count", c.count}};
    if (city) o["label"] = reports::city_name(c.key);
    out.push_back(std::move(o));
  }
  return out;
}

json::object dues_figures_json(const reports::Figures& f) {
  return {{"units", f.dues_invoices},
          {"billed_fen", f.dues_billed_fen},
          {"reduced_fen", f.dues_reduced_fen},
          {"collected_fen", f.dues_collected_fen},
          {"outstanding_fen", f.dues_outstanding_fen},
          {"paid_units", f.dues_paid_invoices},
          {"collection_rate", reports::collection_rate(f)}};
}

json::object participation_json(const reports::Figures& f) {
  return {{"dues_billed_fen", f.dues_billed_fen},
          {"dues_collected_fen", f.dues_collected_fen},
          {"dues_outstanding_fen", f.dues_outstanding_fen},
          {"training_places", f.training_places},
          {"training_attended", f.training_attended},
          {"training_certificates", f.training_certificates},
          {"meeting_invitations", f.meeting_invitations},
          {"meeting_replies", f.meeting_replies},
          {"meetings_attended", f.meeting_attended},
          {"visit_delegates", f.visit_delegates},
          {"visit_cost_fen", f.visit_cost_fen}};
}

json::array months_json(const std::vector<reports::MonthFigures>& months) {
  json::array out;
  for (const auto& m : months) {
    out.push_back(
        {{"month", m.month}, {"billed_fen", m.billed_fen}, {"collected_fen", m.collected_fen}});
  }
  return out;
}

json::object unit_line_json(const reports::UnitLine& u) {
  json::object o{{"member_id", u.member_id}, {"name", u.name},
                 {"city_code", u.city_code}, {"city", reports::city_name(u.city_code)},
                 {"type", u.type},           {"tier", u.tier},
                 {"status", u.status}};
  return o;
}

json::object page_json(const reports::Page& p,
                       const std::function<void(json::object&, const reports::UnitLine&)>& more) {
  json::array items;
  for (const auto& u : p.items) {
    json::object o = unit_line_json(u);
    if (more) more(o, u);
    items.push_back(std::move(o));
  }
  return {{"items", std::move(items)},
          {"total", p.total},
          {"page", p.page},
          {"page_size", p.page_size}};
}

// A database timestamp as the API writes instants (ISO 8601 with Shanghai's offset).
std::string instant(const std::string& db_text) {
  const auto t = parse_db_timestamp(db_text);
  return t ? format_instant(*t) : db_text;
}

json::value year_or_null(int year) { return year ? json::value(year) : json::value(nullptr); }

}  // namespace

json::object term_json(const reports::Term& t) {
  json::object o;
  o["term_no"] = t.term_no ? json::value(*t.term_no) : json::value(nullptr);
  o["term_ends_on"] = t.ends_on ? json::value(*t.ends_on) : json::value(nullptr);
  o["ends_on"] = o["term_ends_on"];
  o["days_left"] = t.days_left ? json::value(*t.days_left) : json::value(nullptr);
  return o;
}

json::object dashboard_json(const reports::Dashboard& d) {
  if (d.unit_scope && d.unit) {
    const auto& u = *d.unit;
    json::array years;
    for (const auto& y : u.years) {
      json::object o = participation_json(y.figures);
      o["year"] = y.year;
      years.push_back(std::move(o));
    }
    return {{"year", d.year},
            {"scope", "unit"},
            {"unit",
             {{"member_id", u.member_id},
              {"name", u.name},
              {"status", u.status},
              {"last_active_year", year_or_null(u.last_active_year)},
              {"dues",
               {{"outstanding_fen", u.outstanding_fen},
                {"oldest_arrears_year", year_or_null(u.oldest_arrears_year)}}},
              {"years", std::move(years)}}}};
  }
  json::array headline;
  for (const auto& h : d.headline) {
    json::object o{{"key", h.key}, {"kind", h.kind}, {"link", h.link}};
    if (h.kind == "rate") {
      o["value"] = h.value;
      o["previous"] = h.previous;
    } else {
      o["value"] = static_cast<long long>(h.value);
      o["previous"] = static_cast<long long>(h.previous);
    }
    headline.push_back(std::move(o));
  }
  json::array training;
  for (const auto& g : d.training_by_city) {
    training.push_back({{"key", g.key},
                        {"label", reports::city_name(g.key)},
                        {"places", g.training_places},
                        {"units", g.units_training}});
  }
  json::array days;
  for (const auto& day : d.activity_days)
    days.push_back({{"date", day.date}, {"count", day.count}});
  return {{"year", d.year},
          {"scope", "association"},
          {"headline", std::move(headline)},
          {"charts",
           {{"by_city", counts_json(d.by_city, true)},
            {"by_type", counts_json(d.by_type, false)},
            {"by_level", counts_json(d.by_level, false)},
            {"by_tier", counts_json(d.by_tier, false)},
            {"by_status", counts_json(d.by_status, false)},
            {"dues_by_month", months_json(d.dues_by_month)},
            {"training_by_city", std::move(training)},
            {"activity_days", std::move(days)}}},
          {"term", term_json(d.term)}};
}

json::object membership_report_json(const reports::MembershipReport& r) {
  json::array flows;
  for (const auto& f : r.flows) {
    flows.push_back(
        {{"year", f.year}, {"joined", f.joined}, {"left", f.left}, {"at_year_end", f.at_year_end}});
  }
  return {{"year", r.year},
          {"total", r.total},
          {"at_year_end", r.at_year_end},
          {"by_status", counts_json(r.by_status, false)},
          {"by_city", counts_json(r.by_city, true)},
          {"by_type", counts_json(r.by_type, false)},
          {"by_level", counts_json(r.by_level, false)},
          {"by_tier", counts_json(r.by_tier, false)},
          {"flows", std::move(flows)}};
}

json::object dues_report_json(const reports::DuesReport& r) {
  json::object o = dues_figures_json(r.total);
  o["year"] = r.year;
  json::array by_tier, by_city;
  for (const auto& g : r.by_tier) {
    json::object x = dues_figures_json(g);
    x["tier"] = g.key;
    by_tier.push_back(std::move(x));
  }
  for (const auto& g : r.by_city) {
    json::object x = dues_figures_json(g);
    x["city_code"] = g.key;
    x["label"] = reports::city_name(g.key);
    by_city.push_back(std::move(x));
  }
  o["by_tier"] = std::move(by_tier);
  o["by_city"] = std::move(by_city);
  o["by_month"] = months_json(r.by_month);
  json::object ages;
  for (const auto& [age, b] : r.arrears_by_age) {
    ages[age] = {{"units", b.units}, {"outstanding_fen", b.outstanding_fen}};
  }
  o["arrears_by_age"] = std::move(ages);
  return o;
}

json::object training_report_json(const reports::TrainingReport& r) {
  json::array by_city;
  for (const auto& g : r.by_city) {
    by_city.push_back({{"city_code", g.key},
                       {"label", reports::city_name(g.key)},
                       {"units", g.units_training},
                       {"places", g.training_places},
                       {"attended", g.training_attended},
                       {"certificates", g.training_certificates}});
  }
  const auto& c = r.classes;
  return {{"year", r.year},
          {"classes", c.classes},
          {"capacity", c.capacity},
          {"places", c.places},
          {"fill_rate", reports::rate(c.places, c.capacity)},
          {"attended", c.attended},
          {"attendance_rate", reports::rate(c.attended, c.places)},
          {"certificates", c.certificates},
          {"by_city", std::move(by_city)},
          {"by_unit", page_json(r.by_unit, [](json::object& o, const reports::UnitLine& u) {
             o["places"] = u.figures.training_places;
             o["attended"] = u.figures.training_attended;
             o["certificates"] = u.figures.training_certificates;
           })}};
}

json::object meetings_report_json(const reports::MeetingsReport& r) {
  json::array meetings;
  long long attending = 0, present = 0;
  for (const auto& m : r.meetings) {
    attending += m.attending;
    present += m.present;
    meetings.push_back({{"id", m.id},
                        {"title", m.title},
                        {"starts_at", instant(m.starts_at)},
                        {"invited", m.invited},
                        {"replied", m.replied},
                        {"attending", m.attending},
                        {"present", m.present}});
  }
  const auto& t = r.total;
  return {{"year", r.year},
          {"meetings_held", static_cast<long long>(r.meetings.size())},
          {"invitations", t.meeting_invitations},
          {"replies", t.meeting_replies},
          {"reply_rate", reports::rate(t.meeting_replies, t.meeting_invitations)},
          {"attending", attending},
          {"present", t.meeting_attended},
          {"attendance_rate", reports::rate(t.meeting_attended, t.meeting_invitations)},
          {"meetings", std::move(meetings)},
          {"by_unit", page_json(r.by_unit, [](json::object& o, const reports::UnitLine& u) {
             o["invited"] = u.figures.meeting_invitations;
             o["replied"] = u.figures.meeting_replies;
             o["attended"] = u.figures.meeting_attended;
             o["unanswered"] = u.figures.meeting_unanswered;
           })}};
}

json::object visits_report_json(const reports::VisitsReport& r) {
  json::array visits;
  for (const auto& v : r.visits) {
    visits.push_back({{"id", v.id},
                      {"title", v.title},
                      {"starts_on", v.starts_on},
                      {"delegates", v.delegates},
                      {"cost_fen", v.cost_fen}});
  }
  return {{"year", r.year},
          {"visits_held", static_cast<long long>(r.visits.size())},
          {"delegates", r.delegates},
          {"cost_fen", r.cost_fen},
          {"visits", std::move(visits)},
          {"by_unit", page_json(r.by_unit, [](json::object& o, const reports::UnitLine& u) {
             o["delegates"] = u.figures.visit_delegates;
             o["cost_fen"] = u.figures.visit_cost_fen;
           })}};
}

json::object engagement_json(const reports::EngagementReport& r) {
  json::object o = page_json(r.units, [](json::object& x, const reports::UnitLine& u) {
    x["last_active_year"] = year_or_null(u.last_active_year);
    x["outstanding_fen"] = u.outstanding_fen;
    x["oldest_arrears_year"] = year_or_null(u.oldest_arrears_year);
    x["training_places"] = u.figures.training_places;
    x["meetings_attended"] = u.figures.meeting_attended;
    x["meeting_replies"] = u.figures.meeting_replies;
    x["visit_delegates"] = u.figures.visit_delegates;
  });
  o["years"] = r.years;
  o["through_year"] = r.through_year;
  o["inactive_units"] = r.inactive_units;
  return o;
}

json::object annual_json(const reports::AnnualReport& r) {
  return {
      {"year", r.year},
      {"members_at_year_end", r.members_at_year_end},
      {"joined", r.joined},
      {"left", r.left},
      {"activities",
       {{"training_classes", r.training_classes}, {"meetings", r.meetings}, {"visits", r.visits}}},
      {"training_participants", r.training_participants},
      {"training_certificates", r.training_certificates},
      {"meetings_held", r.meetings},
      {"meeting_attendance_rate", reports::rate(r.meeting_attended, r.meeting_invitations)},
      {"dues_billed_fen", r.dues_billed_fen},
      {"dues_income_fen", r.dues_income_fen},
      {"units_paid", r.units_paid}};
}

json::object drill_json(const reports::Page& p) { return page_json(p, nullptr); }

}  // namespace xiehui::web::dto
