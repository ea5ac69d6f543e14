// The pure rules of the reports: filters naming each bad parameter, the Shanghai year in UTC,
// flows of units by year (a unit withdrawn without a date counts as gone from the start),
// arrears ages, the term countdown and the collection rate.

#include "services/reports/report_rules.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

namespace xiehui::reports {
namespace {

std::set<std::string> fields_of(const std::vector<FieldError>& errors) {
  std::set<std::string> out;
  for (const FieldError& e : errors) out.insert(e.field);
  return out;
}

Date day(int y, unsigned m, unsigned d) {
  return Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

TEST(ReportRules, AGoodFilterHasNoErrors) {
  EXPECT_TRUE(check_filter({2026, "", "", ""}).empty());
  EXPECT_TRUE(check_filter({2000, "430100", "development_zone", "member"}).empty());
  EXPECT_TRUE(check_filter({2100, "433100", "customs_zone", "president"}).empty());
}

TEST(ReportRules, EachBadFilterParameterIsNamed) {
  EXPECT_EQ(fields_of(check_filter({1999, "", "", ""})), std::set<std::string>{"year"});
  EXPECT_EQ(fields_of(check_filter({2101, "", "", ""})), std::set<std::string>{"year"});
  EXPECT_EQ(fields_of(check_filter({0, "", "", ""})), std::set<std::string>{"year"});
  EXPECT_EQ(fields_of(check_filter({2026, "999999", "", ""})), std::set<std::string>{"city_code"});
  EXPECT_EQ(fields_of(check_filter({2026, "110000", "", ""})), std::set<std::string>{"city_code"})
      << "Beijing is not one of Hunan's 14";
  EXPECT_EQ(fields_of(check_filter({2026, "", "x", ""})), std::set<std::string>{"type"});
  EXPECT_EQ(fields_of(check_filter({2026, "", "", "x"})), std::set<std::string>{"tier"});
  // A label or an alias is not a code: the query takes codes only.
  EXPECT_EQ(fields_of(check_filter({2026, "", "开发区", ""})), std::set<std::string>{"type"});
  EXPECT_EQ(fields_of(check_filter({2026, "", "", "会员单位"})), std::set<std::string>{"tier"});
  EXPECT_EQ(fields_of(check_filter({2026, "", "", "active"})), std::set<std::string>{"tier"})
      << "a status is not a tier";
  EXPECT_EQ(fields_of(check_filter({1999, "999999", "x", "x"})),
            (std::set<std::string>{"year", "city_code", "type", "tier"}))
      << "every bad parameter at once";
}

TEST(ReportRules, YearBoundsAreShanghaiMidnightsInUtc) {
  const auto [from, to] = year_bounds(2026);
  EXPECT_EQ(from, "2025-12-31 16:00:00.000000");
  EXPECT_EQ(to, "2026-12-31 16:00:00.000000");
  const auto [from2, to2] = year_bounds(2000);
  EXPECT_EQ(from2, "1999-12-31 16:00:00.000000");
  EXPECT_EQ(to2, "2000-12-31 16:00:00.000000");
  // Consecutive years tile the timeline.
  EXPECT_EQ(year_bounds(2027).first, to);
}

TEST(ReportRules, AtYearEndCountsJoinedAndNotYetLeft) {
  const std::vector<FlowCell> cells = {
      {2020, 0, true, 3},      // three units since 2020, still members
      {2022, 2024, false, 2},  // two joined 2022, left 2024
      {2025, 0, true, 1},      // one joined 2025
      {2021, 0, false, 4},     // four withdrawn without a recorded leave date
  };
  EXPECT_EQ(at_year_end(cells, 2019), 0);
  EXPECT_EQ(at_year_end(cells, 2020), 3) << "the undated withdrawn count as gone from the start";
  EXPECT_EQ(at_year_end(cells, 2021), 3);
  EXPECT_EQ(at_year_end(cells, 2022), 5);
  EXPECT_EQ(at_year_end(cells, 2023), 5);
  EXPECT_EQ(at_year_end(cells, 2024), 3) << "gone in the year they left";
  EXPECT_EQ(at_year_end(cells, 2025), 4);
  EXPECT_EQ(at_year_end(cells, 2030), 4);
}

TEST(ReportRules, FlowsListEveryYearWithAJoinOrLeave) {
  const std::vector<FlowCell> cells = {
      {2020, 0, true, 3},  {2022, 2024, false, 2}, {2025, 0, true, 1},
      {2021, 0, false, 4},  // withdrawn, no leave date: joined 2021, never "left" in a year
      {2023, 0, true, 0},   // an empty cell (an aggregate decremented to zero) counts nothing
  };
  const auto all = flows(cells, 2026);
  std::vector<int> years;
  for (const Flow& f : all) years.push_back(f.year);
  EXPECT_EQ(years, (std::vector<int>{2020, 2021, 2022, 2024, 2025}));
  const auto find = [&](int y) {
    const auto it = std::ranges::find(all, y, &Flow::year);
    return it == all.end() ? Flow{} : *it;
  };
  EXPECT_EQ(find(2020).joined, 3);
  EXPECT_EQ(find(2020).left, 0);
  EXPECT_EQ(find(2020).at_year_end, 3);
  EXPECT_EQ(find(2021).joined, 4);
  EXPECT_EQ(find(2021).left, 0) << "an undated leave is in no year";
  EXPECT_EQ(find(2021).at_year_end, 3);
  EXPECT_EQ(find(2022).joined, 2);
  EXPECT_EQ(find(2022).at_year_end, 5);
  EXPECT_EQ(find(2024).joined, 0);
  EXPECT_EQ(find(2024).left, 2);
  EXPECT_EQ(find(2024).at_year_end, 3);
  EXPECT_EQ(find(2025).joined, 1);
  EXPECT_EQ(find(2025).at_year_end, 4);

  // Up to an earlier year: later joins and leaves are not listed.
  const auto early = flows(cells, 2023);
  years.clear();
  for (const Flow& f : early) years.push_back(f.year);
  EXPECT_EQ(years, (std::vector<int>{2020, 2021, 2022}));
  EXPECT_TRUE(flows({}, 2026).empty());
}

TEST(ReportRules, ArrearsYearsByAge) {
  EXPECT_EQ(arrears_years("current", 2026), (std::pair{2026, 9999}));
  EXPECT_EQ(arrears_years("1y", 2026), (std::pair{2025, 2025}));
  EXPECT_EQ(arrears_years("2y", 2026), (std::pair{2024, 2024}));
  EXPECT_EQ(arrears_years("3y+", 2026), (std::pair{1, 2023}));
  EXPECT_FALSE(arrears_years("4y", 2026).has_value());
  EXPECT_FALSE(arrears_years("", 2026).has_value());
  EXPECT_FALSE(arrears_years("CURRENT", 2026).has_value());
}

TEST(ReportRules, ArrearsAgesSumUnitsByTheirOldestOpenYear) {
  const std::map<int, AgeBucket> by_oldest = {
      {2026, {2, 400000}}, {2025, {1, 200000}},  {2024, {3, 900000}},
      {2023, {1, 600000}}, {2019, {2, 1600000}},
  };
  const auto ages = arrears_ages(by_oldest, 2026);
  ASSERT_EQ(ages.size(), 4u);
  EXPECT_EQ(ages.at("current").units, 2);
  EXPECT_EQ(ages.at("current").outstanding_fen, 400000);
  EXPECT_EQ(ages.at("1y").units, 1);
  EXPECT_EQ(ages.at("1y").outstanding_fen, 200000);
  EXPECT_EQ(ages.at("2y").units, 3);
  EXPECT_EQ(ages.at("2y").outstanding_fen, 900000);
  EXPECT_EQ(ages.at("3y+").units, 3);
  EXPECT_EQ(ages.at("3y+").outstanding_fen, 2200000);
  // Nothing owed: the four ages are still there, empty.
  const auto none = arrears_ages({}, 2026);
  ASSERT_EQ(none.size(), 4u);
  for (const auto& [age, b] : none) {
    EXPECT_EQ(b.units, 0) << age;
    EXPECT_EQ(b.outstanding_fen, 0) << age;
  }
  // Every age's range holds exactly the years that age sums.
  for (const auto& [oldest, bucket] : by_oldest) {
    int hits = 0;
    for (const char* age : {"current", "1y", "2y", "3y+"}) {
      const auto r = arrears_years(age, 2026);
      if (oldest >= r->first && oldest <= r->second) ++hits;
    }
    EXPECT_EQ(hits, 1) << oldest;
  }
}

TEST(ReportRules, DaysUntilTheTermEnds) {
  EXPECT_EQ(days_until("2026-03-20", day(2026, 3, 15)), 5);
  EXPECT_EQ(days_until("2026-03-15", day(2026, 3, 15)), 0);
  EXPECT_EQ(days_until("2026-03-10", day(2026, 3, 15)), -5) << "negative once past";
  EXPECT_EQ(days_until("2027-03-15", day(2026, 3, 15)), 365);
  EXPECT_EQ(days_until("2028-03-15", day(2027, 3, 15)), 366) << "over a leap day";
  EXPECT_FALSE(days_until("2026-13-40", day(2026, 3, 15)).has_value());
  EXPECT_FALSE(days_until("", day(2026, 3, 15)).has_value());
  EXPECT_FALSE(days_until("soon", day(2026, 3, 15)).has_value());
}

TEST(ReportRules, CollectionRateIsCollectedOfBilledLessReductions) {
  Figures f;
  EXPECT_EQ(collection_rate(f), 0.0) << "nothing due";
  f.dues_billed_fen = 1000000;
  f.dues_reduced_fen = 200000;
  f.dues_collected_fen = 400000;
  EXPECT_DOUBLE_EQ(collection_rate(f), 0.5);
  f.dues_collected_fen = 800000;
  EXPECT_DOUBLE_EQ(collection_rate(f), 1.0);
  f.dues_reduced_fen = 1000000;
  f.dues_collected_fen = 0;
  EXPECT_EQ(collection_rate(f), 0.0) << "all reduced: nothing due, no division by zero";
  EXPECT_DOUBLE_EQ(rate(1, 4), 0.25);
  EXPECT_EQ(rate(3, 0), 0.0);
}

TEST(ReportRules, AddFiguresAddsEveryField) {
  Figures a;
  a.dues_invoices = 1;
  a.visit_cost_fen = 5;
  Figures b;
  b.dues_invoices = 2;
  b.dues_billed_fen = 3;
  b.dues_reduced_fen = 4;
  b.dues_collected_fen = 5;
  b.dues_outstanding_fen = 6;
  b.dues_paid_invoices = 7;
  b.training_places = 8;
  b.training_attended = 9;
  b.training_certificates = 10;
  b.meeting_invitations = 11;
  b.meeting_replies = 12;
  b.meeting_attended = 13;
  b.visit_delegates = 14;
  b.visit_cost_fen = 15;
  b.units_dues = 16;
  b.units_training = 17;
  b.units_invited = 18;
  b.units_meetings = 19;
  b.units_visits = 20;
  add_figures(a, b);
  EXPECT_EQ(a.dues_invoices, 3);
  EXPECT_EQ(a.dues_billed_fen, 3);
  EXPECT_EQ(a.dues_reduced_fen, 4);
  EXPECT_EQ(a.dues_collected_fen, 5);
  EXPECT_EQ(a.dues_outstanding_fen, 6);
  EXPECT_EQ(a.dues_paid_invoices, 7);
  EXPECT_EQ(a.training_places, 8);
  EXPECT_EQ(a.training_attended, 9);
  EXPECT_EQ(a.training_certificates, 10);
  EXPECT_EQ(a.meeting_invitations, 11);
  EXPECT_EQ(a.meeting_replies, 12);
  EXPECT_EQ(a.meeting_attended, 13);
  EXPECT_EQ(a.visit_delegates, 14);
  EXPECT_EQ(a.visit_cost_fen, 20);
  EXPECT_EQ(a.units_dues, 16);
  EXPECT_EQ(a.units_training, 17);
  EXPECT_EQ(a.units_invited, 18);
  EXPECT_EQ(a.units_meetings, 19);
  EXPECT_EQ(a.units_visits, 20);
}

}  // namespace
}  // namespace xiehui::reports
