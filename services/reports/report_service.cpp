#include "services/reports/report_service.hpp"

#include <algorithm>
#include <set>

#include "core/audit.hpp"
#include "core/time.hpp"
#include "core/validate.hpp"
#include "services/dues/dues_text.hpp"
#include "services/membership/membership_labels.hpp"
#include "services/reports/report_repository.hpp"
#include "services/reports/report_rules.hpp"

namespace xiehui::reports {
namespace rr = report_repository;
namespace {

constexpr int kMaxPageSize = PageRequest::kMaxPageSize;
constexpr int kMaxExportRows = PageRequest::kMaxExportRows;
constexpr int kUnitYears = 5;  // a member's dashboard shows its last five years

Error forbidden() {
  return make_error(ErrorCode::permission_denied,
                    {"只能查看本单位的统计", "members see their own unit's figures only"});
}

bool is_staff_reader(const Principal& who) { return who.can(Permission::reports_read); }

std::optional<Error> check(const ReportFilter& f) {
  auto errors = check_filter(f);
  if (errors.empty()) return std::nullopt;
  return invalid_fields(std::move(errors));
}

std::optional<Error> check_page(PageRequest& p, int max) {
  if (p.page < 1) return invalid_fields({{"page", {"页码应从 1 开始", "page starts at 1"}}});
  if (p.page_size < 1 || p.page_size > max) {
    return invalid_fields({{"page_size", {"每页条数应在 1–100 之间", "page_size must be 1–100"}}});
  }
  return std::nullopt;
}

Headline headline(std::string key, std::string kind, std::string link, double value,
                  double previous) {
  return {std::move(key), std::move(kind), std::move(link), value, previous};
}

}  // namespace

int ReportService::current_year() const {
  return static_cast<int>(shanghai_date(clock_.now()).year());
}

Term ReportService::read_term(soci::session& s) const {
  const auto settings = rr::settings(s);
  Term t;
  if (auto it = settings.find("reports.term_no"); it != settings.end()) {
    t.term_no = std::atoi(it->second.c_str());
  }
  if (auto it = settings.find("reports.term_ends_on"); it != settings.end()) {
    t.ends_on = it->second;
    t.days_left = days_until(it->second, shanghai_date(clock_.now()));
  }
  return t;
}

Result<Dashboard> ReportService::dashboard(int year, const Principal& who) {
  ReportFilter f{year, "", "", ""};
  if (auto e = check(f)) return std::unexpected(*e);
  if (!is_staff_reader(who)) {
    if (!who.member_id) return std::unexpected(forbidden());
    return db_.with_session([&](soci::session& s) -> Result<Dashboard> {
      Dashboard d;
      d.year = year;
      d.unit_scope = true;
      d.unit = rr::unit_dashboard(s, *who.member_id, year - kUnitYears + 1, year);
      if (!d.unit) return std::unexpected(not_found_error({"单位", "unit"}));
      // Every one of the five years, newest first; a year without a row is all zeros.
      std::vector<UnitYear> years;
      for (int y = year; y > year - kUnitYears; --y) {
        const auto it = std::ranges::find(d.unit->years, y, &UnitYear::year);
        years.push_back(it != d.unit->years.end() ? *it : UnitYear{y, {}});
      }
      d.unit->years = std::move(years);
      return d;
    });
  }
  const auto [from, to] = year_bounds(year);
  const auto [prev_from, prev_to] = year_bounds(year - 1);
  return db_.with_session([&](soci::session& s) -> Result<Dashboard> {
    Dashboard d;
    d.year = year;
    const auto cells = rr::flow_cells(s, f);
    long long now = 0;
    for (const FlowCell& c : cells) now += c.current ? c.members : 0;
    long long joined = 0, joined_before = 0, left = 0, left_before = 0;
    for (const FlowCell& c : cells) {
      joined += c.join_year == year ? c.members : 0;
      joined_before += c.join_year == year - 1 ? c.members : 0;
      left += c.leave_year == year ? c.members : 0;
      left_before += c.leave_year == year - 1 ? c.members : 0;
    }
    const Figures g = rr::group_figures(s, f, year, "").front();
    const Figures gp = rr::group_figures(s, f, year - 1, "").front();
    const ClassYear c = rr::class_year(s, year, from, to);
    const ClassYear cp = rr::class_year(s, year - 1, prev_from, prev_to);
    const auto meetings = rr::meetings_in(s, from, to);
    const auto meetings_before = rr::meetings_in(s, prev_from, prev_to);
    const auto visits = rr::visits_in(s, year);
    const auto visits_before = rr::visits_in(s, year - 1);
    const auto attendance = [](const std::vector<MeetingLine>& list) {
      long long invited = 0, present = 0;
      for (const MeetingLine& m : list) {
        invited += m.invited;
        present += m.present;
      }
      return rate(present, invited);
    };
    const auto delegates = [](const std::vector<VisitLine>& list) {
      long long n = 0;
      for (const VisitLine& v : list) n += v.delegates;
      return static_cast<double>(n);
    };
    const auto n = [](auto v) { return static_cast<double>(v); };
    d.headline = {
        headline("units", "count", "/reports/membership",
                 n(year >= current_year() ? now : at_year_end(cells, year)),
                 n(at_year_end(cells, year - 1))),
        headline("joined", "count", "/reports/membership", n(joined), n(joined_before)),
        headline("left", "count", "/reports/membership", n(left), n(left_before)),
        headline("dues_rate", "rate", "/reports/dues", collection_rate(g), collection_rate(gp)),
        headline("dues_collected_fen", "fen", "/reports/dues", n(g.dues_collected_fen),
                 n(gp.dues_collected_fen)),
        headline("training_classes", "count", "/reports/training", n(c.classes), n(cp.classes)),
        headline("training_places", "count", "/reports/training", n(c.places), n(cp.places)),
        headline("meetings_held", "count", "/reports/meetings", n(meetings.size()),
                 n(meetings_before.size())),
        headline("meeting_attendance_rate", "rate", "/reports/meetings", attendance(meetings),
                 attendance(meetings_before)),
        headline("visits_held", "count", "/reports/visits", n(visits.size()),
                 n(visits_before.size())),
        headline("visit_delegates", "count", "/reports/visits", delegates(visits),
                 delegates(visits_before)),
    };
    d.by_city = rr::member_counts(s, f, "city_code", true);
    d.by_type = rr::member_counts(s, f, "org_type", true);
    d.by_level = rr::member_counts(s, f, "org_level", true);
    d.by_tier = rr::member_counts(s, f, "tier", true);
    d.by_status = rr::member_counts(s, f, "status", false);
    const std::string y = std::to_string(year);
    d.dues_by_month = rr::dues_months(s, y + "-01", y + "-12");
    d.training_by_city = rr::group_figures(s, f, year, "city_code");
    std::erase_if(d.training_by_city, [](const Figures& x) { return x.training_places == 0; });
    d.activity_days = rr::activity_days(s, year, from, to);
    d.term = read_term(s);
    return d;
  });
}

Result<MembershipReport> ReportService::membership(const ReportFilter& f) {
  if (auto e = check(f)) return std::unexpected(*e);
  return db_.with_session([&](soci::session& s) -> Result<MembershipReport> {
    MembershipReport r;
    r.year = f.year;
    r.by_status = rr::member_counts(s, f, "status", false);
    r.by_city = rr::member_counts(s, f, "city_code", true);
    r.by_type = rr::member_counts(s, f, "org_type", true);
    r.by_level = rr::member_counts(s, f, "org_level", true);
    r.by_tier = rr::member_counts(s, f, "tier", true);
    for (const Count& c : r.by_tier) r.total += c.count;
    const auto cells = rr::flow_cells(s, f);
    r.at_year_end = at_year_end(cells, f.year);
    r.flows = flows(cells, f.year);
    return r;
  });
}

Result<DuesReport> ReportService::dues(const ReportFilter& f) {
  if (auto e = check(f)) return std::unexpected(*e);
  const int this_year = current_year();
  return db_.with_session([&](soci::session& s) -> Result<DuesReport> {
    DuesReport r;
    r.year = f.year;
    r.total = rr::group_figures(s, f, f.year, "").front();
    r.by_tier = rr::group_figures(s, f, f.year, "tier");
    r.by_city = rr::group_figures(s, f, f.year, "city_code");
    std::erase_if(r.by_tier, [](const Figures& x) { return x.dues_invoices == 0; });
    std::erase_if(r.by_city, [](const Figures& x) { return x.dues_invoices == 0; });
    const std::string y = std::to_string(f.year);
    r.by_month = rr::dues_months(s, y + "-01", y + "-12");
    r.arrears_by_age = arrears_ages(rr::arrears_by_oldest_year(s, f), this_year);
    return r;
  });
}

Result<TrainingReport> ReportService::training(const ReportFilter& f, PageRequest page) {
  if (auto e = check(f)) return std::unexpected(*e);
  if (auto e = check_page(page, kMaxPageSize)) return std::unexpected(*e);
  const auto [from, to] = year_bounds(f.year);
  const bool filtered = !f.city_code.empty() || !f.type.empty() || !f.tier.empty();
  return db_.with_session([&](soci::session& s) -> Result<TrainingReport> {
    TrainingReport r;
    r.year = f.year;
    r.classes = rr::class_year(s, f.year, from, to);
    const Figures total = rr::group_figures(s, f, f.year, "").front();
    if (filtered) {  // the units' places only: guests of no unit have no city
      r.classes.places = total.training_places;
      r.classes.attended = total.training_attended;
      r.classes.certificates = total.training_certificates;
    }
    r.by_city = rr::group_figures(s, f, f.year, "city_code");
    std::erase_if(r.by_city, [](const Figures& x) { return x.training_places == 0; });
    r.by_unit = {rr::ranking(s, f, rr::Ranking::training_places, (page.page - 1) * page.page_size,
                             page.page_size),
                 total.units_training, page.page, page.page_size};
    return r;
  });
}

Result<MeetingsReport> ReportService::meetings(const ReportFilter& f, PageRequest page) {
  if (auto e = check(f)) return std::unexpected(*e);
  if (auto e = check_page(page, kMaxPageSize)) return std::unexpected(*e);
  const auto [from, to] = year_bounds(f.year);
  return db_.with_session([&](soci::session& s) -> Result<MeetingsReport> {
    MeetingsReport r;
    r.year = f.year;
    r.total = rr::group_figures(s, f, f.year, "").front();
    r.meetings = rr::meetings_in(s, from, to);
    r.by_unit = {rr::ranking(s, f, rr::Ranking::meeting_unanswered,
                             (page.page - 1) * page.page_size, page.page_size),
                 r.total.units_invited, page.page, page.page_size};
    return r;
  });
}

Result<VisitsReport> ReportService::visits(const ReportFilter& f, PageRequest page) {
  if (auto e = check(f)) return std::unexpected(*e);
  if (auto e = check_page(page, kMaxPageSize)) return std::unexpected(*e);
  return db_.with_session([&](soci::session& s) -> Result<VisitsReport> {
    VisitsReport r;
    r.year = f.year;
    r.visits = rr::visits_in(s, f.year);
    const Figures total = rr::group_figures(s, f, f.year, "").front();
    r.delegates = total.visit_delegates;
    r.cost_fen = total.visit_cost_fen;
    r.by_unit = {rr::ranking(s, f, rr::Ranking::visit_delegates, (page.page - 1) * page.page_size,
                             page.page_size),
                 total.units_visits, page.page, page.page_size};
    return r;
  });
}

Result<EngagementReport> ReportService::engagement(const ReportFilter& f, int years,
                                                   PageRequest page, const Principal& who) {
  if (auto e = check(f)) return std::unexpected(*e);
  if (years < 1 || years > 10) {
    return std::unexpected(
        invalid_fields({{"years", {"年数应在 1–10 之间", "years must be 1–10"}}}));
  }
  if (auto e = check_page(page, page.page_size > kMaxPageSize ? kMaxExportRows : kMaxPageSize)) {
    return std::unexpected(*e);
  }
  const bool own_only = !is_staff_reader(who);
  if (own_only && !who.member_id) return std::unexpected(forbidden());
  const int from_year = f.year - years + 1;
  return db_.with_session([&](soci::session& s) -> Result<EngagementReport> {
    EngagementReport r;
    r.years = years;
    r.through_year = f.year;
    if (own_only) {
      const auto unit = rr::unit_dashboard(s, *who.member_id, from_year, f.year);
      if (!unit) return std::unexpected(not_found_error({"单位", "unit"}));
      UnitLine line;
      line.member_id = unit->member_id;
      line.name = unit->name;
      line.status = unit->status;
      line.city_code = unit->city_code;
      line.type = unit->type;
      line.tier = unit->tier;
      line.last_active_year = unit->last_active_year;
      line.outstanding_fen = unit->outstanding_fen;
      line.oldest_arrears_year = unit->oldest_arrears_year;
      for (const UnitYear& y : unit->years) add_figures(line.figures, y.figures);
      r.inactive_units = unit->last_active_year < from_year ? 1 : 0;
      r.units = {{line}, 1, 1, page.page_size};
      return r;
    }
    r.inactive_units = rr::inactive_units(s, f, from_year);
    long long total = 0;
    for (const Count& c : rr::member_counts(s, f, "tier", true)) total += c.count;
    r.units = {rr::engagement_page(s, f, from_year, f.year, (page.page - 1) * page.page_size,
                                   page.page_size),
               total, page.page, page.page_size};
    return r;
  });
}

Result<AnnualReport> ReportService::annual(int year) {
  ReportFilter f{year, "", "", ""};
  if (auto e = check(f)) return std::unexpected(*e);
  const auto [from, to] = year_bounds(year);
  return db_.with_session([&](soci::session& s) -> Result<AnnualReport> {
    AnnualReport r;
    r.year = year;
    const auto cells = rr::flow_cells(s, f);
    r.members_at_year_end = at_year_end(cells, year);
    for (const FlowCell& c : cells) {
      r.joined += c.join_year == year ? c.members : 0;
      r.left += c.leave_year == year ? c.members : 0;
    }
    const ClassYear c = rr::class_year(s, year, from, to);
    r.training_classes = c.classes;
    r.training_participants = c.places;
    r.training_certificates = c.certificates;
    const auto meetings = rr::meetings_in(s, from, to);
    r.meetings = static_cast<long long>(meetings.size());
    for (const MeetingLine& m : meetings) {
      r.meeting_invitations += m.invited;
      r.meeting_attended += m.present;
    }
    r.visits = static_cast<long long>(rr::visits_in(s, year).size());
    const Figures g = rr::group_figures(s, f, year, "").front();
    r.dues_billed_fen = g.dues_billed_fen;
    r.dues_reduced_fen = g.dues_reduced_fen;
    r.units_paid = g.dues_paid_invoices;
    const std::string y = std::to_string(year);
    for (const MonthFigures& m : rr::dues_months(s, y + "-01", y + "-12")) {
      r.dues_income_fen += m.collected_fen;
    }
    return r;
  });
}

Result<Page> ReportService::drill(const std::string& report, const std::string& dimension,
                                  const std::string& key, const ReportFilter& f, PageRequest page) {
  if (auto e = check(f)) return std::unexpected(*e);
  if (auto e = check_page(page, kMaxPageSize)) return std::unexpected(*e);
  static const std::map<std::string, std::string> kColumns = {{"city", "city_code"},
                                                              {"type", "org_type"},
                                                              {"level", "org_level"},
                                                              {"tier", "tier"},
                                                              {"status", "status"}};
  const int offset = (page.page - 1) * page.page_size;
  const int this_year = current_year();
  if (report == "dues" && dimension == "age") {
    const auto years = arrears_years(key, this_year);
    if (!years)
      return std::unexpected(invalid_fields({{"key", {"未知的欠费账龄", "unknown age"}}}));
    return db_.with_session([&](soci::session& s) -> Result<Page> {
      return Page{rr::drill_arrears(s, f, years->first, years->second, offset, page.page_size),
                  rr::count_arrears(s, f, years->first, years->second), page.page, page.page_size};
    });
  }
  if (report == "training" && dimension == "city") {
    ReportFilter in_city = f;
    in_city.city_code = key;
    if (auto e = check(in_city)) return std::unexpected(*e);
    return db_.with_session([&](soci::session& s) -> Result<Page> {
      const Figures total = rr::group_figures(s, in_city, f.year, "").front();
      return Page{rr::ranking(s, in_city, rr::Ranking::training_places, offset, page.page_size),
                  total.units_training, page.page, page.page_size};
    });
  }
  const auto column = kColumns.find(dimension);
  if (column == kColumns.end()) {
    return std::unexpected(invalid_fields({{"dimension", {"未知的分组", "unknown dimension"}}}));
  }
  static const std::set<std::string> kReports = {"membership", "dues", "training", "meetings",
                                                 "visits"};
  if (!kReports.contains(report)) {
    return std::unexpected(invalid_fields({{"report", {"未知的报表", "unknown report"}}}));
  }
  if (key.empty() || key.size() > 40) {
    return std::unexpected(invalid_fields({{"key", {"缺少分组值", "key is required"}}}));
  }
  return db_.with_session([&](soci::session& s) -> Result<Page> {
    long long total = 0;
    for (const Count& c : rr::member_counts(s, f, column->second, dimension != "status")) {
      if (c.key == key) total = c.count;
    }
    return Page{rr::drill_members(s, f, column->second, key, offset, page.page_size), total,
                page.page, page.page_size};
  });
}

Result<Term> ReportService::term() {
  return db_.with_session([&](soci::session& s) -> Result<Term> { return read_term(s); });
}

Result<Term> ReportService::set_term(std::optional<int> term_no, std::optional<std::string> ends_on,
                                     const Principal& who) {
  std::vector<FieldError> errors;
  if (term_no && (*term_no < 1 || *term_no > 99)) {
    errors.push_back({"term_no", {"届次应在 1–99 之间", "term_no must be 1–99"}});
  }
  if (ends_on && !parse_date(*ends_on)) {
    errors.push_back({"term_ends_on", {"日期格式应为 YYYY-MM-DD", "dates are YYYY-MM-DD"}});
  }
  if (!errors.empty()) return std::unexpected(invalid_fields(std::move(errors)));
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<Term> {
    const std::string at = format_db_timestamp(now);
    rr::put_setting(s, "reports.term_no",
                    term_no ? std::optional(std::to_string(*term_no)) : std::nullopt, at);
    rr::put_setting(s, "reports.term_ends_on", ends_on, at);
    audit_as(s, who, "reports.term", "settings", 0,
             "届次 " + (term_no ? std::to_string(*term_no) : std::string("-")) + "，届满 " +
                 ends_on.value_or("-"),
             now);
    return read_term(s);
  });
}

Result<std::vector<AggregateCheck>> ReportService::check_aggregates() {
  return db_.with_session([&](soci::session& s) -> Result<std::vector<AggregateCheck>> {
    return rr::check_aggregates(s);
  });
}

}  // namespace xiehui::reports
