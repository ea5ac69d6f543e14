// Visit rules: checking visits, itineraries and delegates, status changes, refusals, cut-offs.

#include "services/visits/visit_rules.hpp"

#include <gtest/gtest.h>

namespace xiehui::visits {
namespace {

Date day(const char* text) { return *parse_date(text); }

Visit sample() {
  Visit v;
  v.title = "赴苏州工业园区考察学习";
  v.destination = "江苏苏州";
  v.hosts = {{std::nullopt, "苏州工业园区管委会"}};
  v.starts_on = day("2026-10-12");
  v.ends_on = day("2026-10-15");
  v.capacity = 30;
  v.cost_fen = 380000;
  v.apply_deadline = *parse_instant("2026-10-01T23:59:59+08:00");
  v.withdraw_cutoff = day("2026-10-05");
  return v;
}

std::vector<std::string> fields(const std::vector<FieldError>& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(e.field);
  return out;
}

TEST(VisitRules, StatusesMoveForwardAndEndFinal) {
  EXPECT_TRUE(visit_status_change_allowed("draft", "open"));
  EXPECT_TRUE(visit_status_change_allowed("open", "closed"));
  EXPECT_TRUE(visit_status_change_allowed("closed", "open"));
  EXPECT_TRUE(visit_status_change_allowed("closed", "confirmed"));
  EXPECT_TRUE(visit_status_change_allowed("confirmed", "completed"));
  EXPECT_TRUE(visit_status_change_allowed("confirmed", "cancelled"));
  EXPECT_FALSE(visit_status_change_allowed("draft", "confirmed"));
  EXPECT_FALSE(visit_status_change_allowed("confirmed", "open"));
  EXPECT_FALSE(visit_status_change_allowed("open", "draft"));
  EXPECT_FALSE(visit_status_change_allowed("completed", "cancelled"));
  EXPECT_FALSE(visit_status_change_allowed("cancelled", "open"));
  EXPECT_FALSE(visit_status_change_allowed("open", "bogus"));
  EXPECT_TRUE(decisions_allowed("confirmed"));
  EXPECT_FALSE(decisions_allowed("draft"));
  EXPECT_FALSE(decisions_allowed("completed"));
}

TEST(VisitRules, AValidVisitPassesAndBadFieldsAreNamed) {
  Visit v = sample();
  EXPECT_TRUE(check_visit(v).empty());
  Visit bad = sample();
  bad.title = "x";
  bad.hosts.clear();
  bad.ends_on = day("2026-10-10");
  bad.capacity = 0;
  bad.per_member_quota = 0;
  bad.cost_fen = -1;
  const auto f = fields(check_visit(bad));
  for (const char* name :
       {"title", "hosts", "ends_on", "capacity", "per_member_quota", "cost_fen"}) {
    EXPECT_NE(std::ranges::find(f, name), f.end()) << name;
  }
  Visit late = sample();
  late.apply_deadline = *parse_instant("2026-10-13T09:00:00+08:00");
  late.withdraw_cutoff = day("2026-10-20");
  const auto g = fields(check_visit(late));
  EXPECT_NE(std::ranges::find(g, "apply_deadline"), g.end());
  EXPECT_NE(std::ranges::find(g, "withdraw_cutoff"), g.end());
  Visit unnamed = sample();
  unnamed.hosts = {{std::nullopt, " "}};
  EXPECT_EQ(fields(check_visit(unnamed)), std::vector<std::string>{"hosts[0].name"});
}

TEST(VisitRules, ItineraryDatesLieWithinTheVisitAndAreSortedByDayAndHalf) {
  std::vector<ItineraryItem> items = {
      {"2026-10-13", "pm", "工业园", "座谈", "", ""},
      {"2026-10-13", "am", "展示中心", "参观", "", ""},
      {"2026-10-12", "", "酒店", "报到", "", ""},
      {"2026-10-13", "", "园区", "全天考察", "", ""},
  };
  EXPECT_TRUE(check_itinerary(items, day("2026-10-12"), day("2026-10-15")).empty());
  EXPECT_EQ(items[0].date, "2026-10-12");
  EXPECT_EQ(items[1].activity, "全天考察");
  EXPECT_EQ(items[2].half, "am");
  EXPECT_EQ(items[3].half, "pm");

  std::vector<ItineraryItem> outside = {{"2026-10-11", "am", "机场", "出发", "", ""},
                                        {"2026-10-16", "xx", "", "返程", "", ""},
                                        {"2026-13-01", "am", "x", "y", "", ""}};
  const auto f = fields(check_itinerary(outside, day("2026-10-12"), day("2026-10-15")));
  for (const char* name : {"itinerary[0].date", "itinerary[1].date", "itinerary[1].half",
                           "itinerary[1].place", "itinerary[2].date"}) {
    EXPECT_NE(std::ranges::find(f, name), f.end()) << name;
  }
  // The first and last days are inside.
  std::vector<ItineraryItem> edges = {{"2026-10-12", "am", "a", "b", "", ""},
                                      {"2026-10-15", "pm", "a", "b", "", ""}};
  EXPECT_TRUE(check_itinerary(edges, day("2026-10-12"), day("2026-10-15")).empty());
}

TEST(VisitRules, DelegatesAreNormalisedAndDuplicatesFound) {
  Delegate d;
  d.name = "  王伟 ";
  d.gender = "m";
  d.mobile = "+86 139-0000-1234";
  EXPECT_TRUE(check_delegate(d, "delegates[0].").empty());
  EXPECT_EQ(d.name, "王伟");
  EXPECT_EQ(d.mobile, "13900001234");
  Delegate bad;
  bad.gender = "u";
  bad.mobile = "12";
  const auto f = fields(check_delegate(bad, "delegates[2]."));
  EXPECT_EQ(f, (std::vector<std::string>{"delegates[2].name", "delegates[2].gender",
                                         "delegates[2].mobile"}));
  Delegate again = d;
  auto dup = duplicate_mobile({d, bad, again});
  ASSERT_TRUE(dup);
  EXPECT_EQ(dup->field, "delegates[2].mobile");
}

TEST(VisitRules, RefusalsQuotaAndCutOff) {
  Visit v = sample();
  v.status = "draft";
  EXPECT_TRUE(application_refusal(v, *parse_instant("2026-09-01T00:00:00Z")));
  v.status = "open";
  EXPECT_FALSE(application_refusal(v, *parse_instant("2026-10-01T23:59:59+08:00")));
  EXPECT_TRUE(application_refusal(v, *parse_instant("2026-10-02T00:00:00+08:00")));
  EXPECT_FALSE(quota_refusal(v, 100, 5));
  v.per_member_quota = 3;
  EXPECT_FALSE(quota_refusal(v, 1, 2));
  auto over = quota_refusal(v, 2, 2);
  ASSERT_TRUE(over);
  EXPECT_EQ(over->figures.at(0).name, "quota");
  EXPECT_TRUE(withdrawal_voids_charge(v, day("2026-10-05")));
  EXPECT_FALSE(withdrawal_voids_charge(v, day("2026-10-06")));
  EXPECT_EQ(format_date(default_withdraw_cutoff(day("2026-10-12"))), "2026-10-05");
  EXPECT_EQ(visit_days(v), 4);
  EXPECT_EQ(seats_of(v).capacity, 30);
}

}  // namespace
}  // namespace xiehui::visits
