#pragma once
// The leadership's reports and dashboard (issue 16): leaders and staff read every figure; a
// member account gets its own unit's standing only. Each report also renders as a Table for
// the xlsx and CSV downloads.

#include <optional>
#include <string>
#include <vector>

#include "core/access.hpp"
#include "core/clock.hpp"
#include "core/db/database.hpp"
#include "core/error.hpp"
#include "core/table_export.hpp"
#include "services/reports/reports.hpp"

namespace xiehui::reports {

/// Which page of a ranked or drill-down list (page_size 1–100; exports take up to 10,000).
struct PageRequest {
  static constexpr int kMaxPageSize = 100;
  static constexpr int kMaxExportRows = 10000;
  int page = 1;
  int page_size = 20;
};

class ReportService {
 public:
  ReportService(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  /// This year in Asia/Shanghai.
  int current_year() const;

  /// Leaders and staff: the association's figures; a member account: its unit's only.
  Result<Dashboard> dashboard(int year, const Principal& who);
  Result<MembershipReport> membership(const ReportFilter& f);
  Result<DuesReport> dues(const ReportFilter& f);
  Result<TrainingReport> training(const ReportFilter& f, PageRequest page);
  Result<MeetingsReport> meetings(const ReportFilter& f, PageRequest page);
  Result<VisitsReport> visits(const ReportFilter& f, PageRequest page);
  /// Current members least engaged first over the last `years` (1–10) years to f.year; a
  /// member account sees its own unit's line only.
  Result<EngagementReport> engagement(const ReportFilter& f, int years, PageRequest page,
                                      const Principal& who);
  Result<AnnualReport> annual(int year);
  /// The units behind one bar of a chart: membership dimensions (city, type, level, tier,
  /// status), dues ages, training by city.
  Result<Page> drill(const std::string& report, const std::string& dimension,
                     const std::string& key, const ReportFilter& f, PageRequest page);

  Result<Term> term();
  Result<Term> set_term(std::optional<int> term_no, std::optional<std::string> ends_on,
                        const Principal& who);

  /// Each aggregate against the plain SQL over the base tables (0 differing rows: in step).
  Result<std::vector<AggregateCheck>> check_aggregates();

  // The same reports as one table each, for the downloads (report_tables.cpp).
  Result<Table> membership_table(const ReportFilter& f);
  Result<Table> dues_table(const ReportFilter& f);
  Result<Table> training_table(const ReportFilter& f);
  Result<Table> meetings_table(const ReportFilter& f);
  Result<Table> visits_table(const ReportFilter& f);
  Result<Table> engagement_table(const ReportFilter& f, int years, const Principal& who);
  Result<Table> annual_table(int year);

 private:
  Term read_term(soci::session& s) const;

  db::Database& db_;
  const Clock& clock_;
};

}  // namespace xiehui::reports
