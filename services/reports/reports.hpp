#pragma once
// What the leadership's reports hold (issue 16). Every figure is read from the aggregates the
// writes keep (schema 0014), so a report costs a few small reads however large the data.

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace xiehui::reports {

/// The filters every report takes; empty strings filter nothing. Codes are checked by the
/// service before they reach SQL.
struct ReportFilter {
  int year = 0;
  std::string city_code;
  std::string type;  ///< members.org_type
  std::string tier;
};

/// A count of units under one key (a city code, a tier, a status…).
struct Count {
  std::string key;
  long long count = 0;
};

/// The summable figures of units in a year (one row of report_group_year, or their sum).
struct Figures {
  std::string key;  ///< the group's key, empty for a total
  long long dues_invoices = 0, dues_billed_fen = 0, dues_reduced_fen = 0, dues_collected_fen = 0,
            dues_outstanding_fen = 0, dues_paid_invoices = 0;
  long long training_places = 0, training_attended = 0, training_certificates = 0;
  long long meeting_invitations = 0, meeting_replies = 0, meeting_attended = 0;
  long long visit_delegates = 0, visit_cost_fen = 0;
  long long meeting_unanswered = 0;  ///< invitations less replies
  long long units_dues = 0, units_training = 0, units_invited = 0, units_meetings = 0,
            units_visits = 0;
};

/// Units by the year they joined and left (0: not left) and whether they are members now.
struct FlowCell {
  int join_year = 0;
  int leave_year = 0;
  bool current = false;
  long long members = 0;
};

struct Flow {
  int year = 0;
  long long joined = 0, left = 0, at_year_end = 0;
};

struct MonthFigures {
  std::string month;  ///< YYYY-MM
  long long billed_fen = 0, collected_fen = 0;
};

struct AgeBucket {
  long long units = 0, outstanding_fen = 0;
};

/// One unit's line in a ranking or drill-down list.
struct UnitLine {
  long long member_id = 0;
  std::string name, city_code, type, tier, status;
  Figures figures;           ///< the unit's figures for the report's years (rankings, engagement)
  int last_active_year = 0;  ///< 0: never took part
  long long outstanding_fen = 0;
  int oldest_arrears_year = 0;  ///< 0: no arrears
};

struct Page {
  std::vector<UnitLine> items;
  long long total = 0;
  int page = 1, page_size = 20;
};

struct MembershipReport {
  int year = 0;
  long long total = 0, at_year_end = 0;
  std::vector<Count> by_status, by_city, by_type, by_level, by_tier;
  std::vector<Flow> flows;
};

struct DuesReport {
  int year = 0;
  Figures total;
  std::vector<Figures> by_tier, by_city;
  std::vector<MonthFigures> by_month;
  std::map<std::string, AgeBucket> arrears_by_age;
};

struct ClassYear {
  long long classes = 0, capacity = 0, places = 0, attended = 0, certificates = 0;
};

struct TrainingReport {
  int year = 0;
  ClassYear classes;
  std::vector<Figures> by_city;
  Page by_unit;
};

struct MeetingLine {
  long long id = 0;
  std::string title, starts_at;
  long long invited = 0, replied = 0, attending = 0, present = 0;
};

struct MeetingsReport {
  int year = 0;
  Figures total;
  std::vector<MeetingLine> meetings;
  Page by_unit;
};

struct VisitLine {
  long long id = 0;
  std::string title, starts_on;
  long long delegates = 0, cost_fen = 0;
};

struct VisitsReport {
  int year = 0;
  std::vector<VisitLine> visits;
  long long delegates = 0, cost_fen = 0;
  Page by_unit;
};

struct EngagementReport {
  int years = 3, through_year = 0;
  long long inactive_units = 0;
  Page units;
};

struct AnnualReport {
  int year = 0;
  long long members_at_year_end = 0, joined = 0, left = 0;
  long long training_classes = 0, meetings = 0, visits = 0;
  long long training_participants = 0, training_certificates = 0;
  long long meeting_invitations = 0, meeting_attended = 0;
  long long dues_billed_fen = 0, dues_reduced_fen = 0, dues_income_fen = 0, units_paid = 0;
};

struct Headline {
  std::string key, kind, link;  ///< kind: count, fen or rate
  double value = 0, previous = 0;
};

struct DayCount {
  std::string date;
  long long count = 0;
};

struct Term {
  std::optional<int> term_no;
  std::optional<std::string> ends_on;
  std::optional<long long> days_left;
};

struct UnitYear {
  int year = 0;
  Figures figures;
};

/// A member account's dashboard: its own unit only.
struct UnitDashboard {
  long long member_id = 0;
  std::string name, status, city_code, type, tier;
  long long outstanding_fen = 0;
  int oldest_arrears_year = 0;
  int last_active_year = 0;
  std::vector<UnitYear> years;
};

struct Dashboard {
  int year = 0;
  bool unit_scope = false;
  std::vector<Headline> headline;
  std::vector<Count> by_city, by_type, by_level, by_tier, by_status;
  std::vector<MonthFigures> dues_by_month;
  std::vector<Figures> training_by_city;
  std::vector<DayCount> activity_days;
  Term term;
  std::optional<UnitDashboard> unit;
};

/// Each aggregate table against its plain-SQL source view: rows that differ (0 = in step).
struct AggregateCheck {
  std::string table;
  long long differing_rows = 0;
};

}  // namespace xiehui::reports
