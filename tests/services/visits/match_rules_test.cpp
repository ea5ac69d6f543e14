// Matching host offers with interests: score, reasons in Chinese, periods and topics checked.

#include "services/visits/match_rules.hpp"

#include <gtest/gtest.h>

namespace xiehui::visits {
namespace {

Date day(const char* text) { return *parse_date(text); }

HostOffer offer(long long id, long long unit, std::vector<std::string> topics, const char* from,
                const char* to, int size) {
  HostOffer o;
  o.id = id;
  o.member_id = unit;
  o.topics = std::move(topics);
  o.available = {{day(from), day(to)}};
  o.group_size = size;
  return o;
}

Interest interest(long long id, long long unit, std::vector<std::string> topics, const char* from,
                  const char* to, std::optional<int> size) {
  Interest i;
  i.id = id;
  i.member_id = unit;
  i.topics = std::move(topics);
  i.preferred = {{day(from), day(to)}};
  i.group_size = size;
  return i;
}

TEST(MatchRules, OverlapCountsCommonDaysOnce) {
  const std::vector<Period> a = {{day("2027-03-01"), day("2027-03-10")},
                                 {day("2027-03-05"), day("2027-03-20")}};
  const std::vector<Period> b = {{day("2027-03-15"), day("2027-04-30")}};
  EXPECT_EQ(overlap_days(a, b), 6);  // 15..20
  EXPECT_EQ(overlap_days(a, {{day("2027-05-01"), day("2027-05-02")}}), 0);
  auto first = first_overlap(a, b);
  ASSERT_TRUE(first);
  EXPECT_EQ(format_date(first->from), "2027-03-15");
  EXPECT_EQ(format_date(first->to), "2027-03-20");
  EXPECT_FALSE(first_overlap(a, {}));
}

TEST(MatchRules, ScoreAndReason) {
  auto m =
      match(interest(1, 10, {"新能源汽车", "电子信息"}, "2027-03-20", "2027-04-10", 20),
            offer(5, 20, {"电子信息", "新能源汽车", "生物医药"}, "2027-03-01", "2027-03-31", 30));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->common_topics, (std::vector<std::string>{"新能源汽车", "电子信息"}));
  EXPECT_EQ(m->overlap_days, 12);
  EXPECT_EQ(m->score, 60 + 25 + 10);  // 30 × 12 / 14 = 25
  EXPECT_EQ(m->reason, "共同主题：新能源汽车、电子信息；时间重叠 12 天；可接待 30 人");

  auto half = match(interest(1, 10, {"新能源汽车", "跨境电商"}, "2027-06-01", "2027-06-30", 40),
                    offer(5, 20, {"新能源汽车"}, "2027-03-01", "2027-03-31", 30));
  ASSERT_TRUE(half);
  EXPECT_EQ(half->score, 30);
  EXPECT_FALSE(half->group_fits);
  EXPECT_EQ(half->reason, "共同主题：新能源汽车；时间不重叠；可接待 30 人（少于计划的 40 人）");
}

TEST(MatchRules, NoCommonTopicOrTheSameUnitIsNoMatch) {
  EXPECT_FALSE(match(interest(1, 10, {"生物医药"}, "2027-03-01", "2027-03-31", std::nullopt),
                     offer(5, 20, {"电子信息"}, "2027-03-01", "2027-03-31", 30)));
  EXPECT_FALSE(match(interest(1, 10, {"电子信息"}, "2027-03-01", "2027-03-31", std::nullopt),
                     offer(5, 10, {"电子信息"}, "2027-03-01", "2027-03-31", 30)));
}

TEST(MatchRules, UnknownPeriodsScoreHalfTheTime) {
  Interest i = interest(1, 10, {"电子信息"}, "2027-03-01", "2027-03-31", std::nullopt);
  i.preferred.clear();
  auto m = match(i, offer(5, 20, {"电子信息"}, "2027-03-01", "2027-03-31", 30));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->score, 60 + 15 + 10);
  EXPECT_EQ(m->reason, "共同主题：电子信息；时间待商定；可接待 30 人");
}

TEST(MatchRules, RankingKeepsEachOfferOnceWithItsBestInterestBestFirst) {
  const std::vector<Interest> mine = {
      interest(1, 10, {"电子信息"}, "2027-03-01", "2027-03-31", 20),
      interest(2, 10, {"新能源汽车", "跨境电商"}, "2027-03-01", "2027-03-31", 20)};
  const std::vector<HostOffer> offers = {
      offer(7, 20, {"新能源汽车"}, "2027-03-01", "2027-03-31", 30),
      offer(8, 30, {"电子信息", "新能源汽车"}, "2027-03-01", "2027-03-31", 30),
      offer(9, 40, {"生物医药"}, "2027-03-01", "2027-03-31", 30),
      offer(6, 10, {"电子信息"}, "2027-03-01", "2027-03-31", 30)};  // the unit's own
  const auto ranked = rank_offers(mine, offers);
  ASSERT_EQ(ranked.size(), 2u);
  EXPECT_EQ(ranked[0].offer_id, 8);
  EXPECT_EQ(ranked[0].interest_id, 1);
  EXPECT_EQ(ranked[1].offer_id, 7);
  const auto interested = rank_interests(offers[1], mine);
  ASSERT_EQ(interested.size(), 1u);  // one unit, once
  EXPECT_EQ(interested[0].interest_id, 1);
}

TEST(MatchRules, PeriodsAndTopicsAreChecked) {
  std::vector<Period> ps = {{day("2027-05-01"), day("2027-05-31")},
                            {day("2027-03-10"), day("2027-03-01")}};
  auto errors = check_periods(ps, "available", false);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "available[1].to");
  std::vector<Period> none;
  EXPECT_EQ(check_periods(none, "available", false).size(), 1u);
  EXPECT_TRUE(check_periods(none, "preferred", true).empty());
  std::vector<Period> long_one = {{day("2027-01-01"), day("2028-06-01")}};
  EXPECT_EQ(check_periods(long_one, "available", false).size(), 1u);

  const std::vector<std::string> active = {"电子信息", "新能源汽车"};
  std::vector<std::string> good = {"电子信息"};
  EXPECT_TRUE(check_topics(good, active).empty());
  std::vector<std::string> unknown = {"元宇宙"};
  EXPECT_EQ(check_topics(unknown, active).at(0).field, "topics");
  std::vector<std::string> twice = {"电子信息", "电子信息"};
  EXPECT_EQ(check_topics(twice, active).size(), 1u);
  std::vector<std::string> empty;
  EXPECT_EQ(check_topics(empty, active).size(), 1u);
}

}  // namespace
}  // namespace xiehui::visits
