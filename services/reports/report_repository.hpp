#pragma once
// The SQL of the reports: reads of the aggregates schema 0014 keeps (report_*), of the few
// small tables a year holds (classes, meetings, visits), and the check of each aggregate
// against its plain-SQL source view.

#include <soci/soci.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "services/reports/reports.hpp"

namespace xiehui::reports::report_repository {

/// Units counted by `by` (city_code, org_type, org_level, tier or status) under the filter's
/// city, type and tier; `current_only` keeps active, lapsed and suspended units.
std::vector<Count> member_counts(soci::session& s, const ReportFilter& f, const std::string& by,
                                 bool current_only);
/// Units by join year, leave year and whether they are members now, under the filter.
std::vector<FlowCell> flow_cells(soci::session& s, const ReportFilter& f);

/// The year's figures of units under the filter, grouped by `by` ("", city_code, org_type,
/// tier); "" gives one total row (zeros when nothing matched).
std::vector<Figures> group_figures(soci::session& s, const ReportFilter& f, int year,
                                   const std::string& by);

/// Dues billed (by issue date) and collected (by payment date) per month in [from, to].
std::vector<MonthFigures> dues_months(soci::session& s, const std::string& from_month,
                                      const std::string& to_month);
/// Units in arrears by the year of their oldest open invoice, with what they owe.
std::map<int, AgeBucket> arrears_by_oldest_year(soci::session& s, const ReportFilter& f);

/// Classes starting in [from, to) (UTC timestamps), not drafts or cancelled, with their places.
ClassYear class_year(soci::session& s, int year, const std::string& from_ts,
                     const std::string& to_ts);
/// Meetings starting in [from, to), not cancelled, with their invitation and reply counts.
std::vector<MeetingLine> meetings_in(soci::session& s, const std::string& from_ts,
                                     const std::string& to_ts);
/// Visits starting in `year`, not drafts or cancelled, with approved delegates and their fees.
std::vector<VisitLine> visits_in(soci::session& s, int year);
/// Activities (classes, meetings, visits) per start day in `year` (Shanghai dates).
std::vector<DayCount> activity_days(soci::session& s, int year, const std::string& from_ts,
                                    const std::string& to_ts);

/// Which per-unit column a ranking orders by, and which way.
enum class Ranking { training_places, meeting_unanswered, visit_delegates };
/// One page of the year's units ranked by `r` (training and visits: most first; meetings: the
/// invited with the most invitations left unanswered first), under the filter.
std::vector<UnitLine> ranking(soci::session& s, const ReportFilter& f, Ranking r, int offset,
                              int limit);

/// One page of current members, least engaged first (never active, then oldest last activity,
/// then largest arrears, then pinyin); `through_year - years + 1` starts the window the
/// participation columns sum.
std::vector<UnitLine> engagement_page(soci::session& s, const ReportFilter& f, int from_year,
                                      int through_year, int offset, int limit);
/// Current members under the filter with no participation since `from_year`.
long long inactive_units(soci::session& s, const ReportFilter& f, int from_year);

/// Current members (or any status when `dimension` is status) whose `dimension` (city_code,
/// org_type, org_level, tier or status: a column the caller checked) is `key`, in pinyin order.
std::vector<UnitLine> drill_members(soci::session& s, const ReportFilter& f,
                                    const std::string& dimension, const std::string& key,
                                    int offset, int limit);
/// Units whose oldest open invoice is from a year in [oldest_from, oldest_to], most owed first.
std::vector<UnitLine> drill_arrears(soci::session& s, const ReportFilter& f, int oldest_from,
                                    int oldest_to, int offset, int limit);
long long count_arrears(soci::session& s, const ReportFilter& f, int oldest_from, int oldest_to);

/// A unit's standing and its figures per year in [from_year, to_year].
std::optional<UnitDashboard> unit_dashboard(soci::session& s, long long member_id, int from_year,
                                            int to_year);

/// The reports' settings (reports.term_no, reports.term_ends_on).
std::map<std::string, std::string> settings(soci::session& s);
void put_setting(soci::session& s, const std::string& name, const std::optional<std::string>& value,
                 const std::string& now);

/// Every aggregate table compared with its source view.
std::vector<AggregateCheck> check_aggregates(soci::session& s);

}  // namespace xiehui::reports::report_repository
