// Pure meeting rules: Chinese numerals and titles (第三届第二次理事会), the next 届/次, quorum and
// pass thresholds with their rounding, the quorum count with proxies, vote figures, settings
// and their stored text form, and meeting status changes.

#include "services/meetings/meeting_rules.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace xiehui::meetings {
namespace {

bool names(const std::vector<FieldError>& errors, std::string_view field) {
  return std::ranges::any_of(errors, [&](const FieldError& f) { return f.field == field; });
}

std::string field_list(const std::vector<FieldError>& errors) {
  std::string out;
  for (const auto& f : errors) out += f.field + " ";
  return out;
}

void expect_same(const Ratio& a, const Ratio& b, const std::string& what) {
  EXPECT_EQ(a.num, b.num) << what;
  EXPECT_EQ(a.den, b.den) << what;
  EXPECT_EQ(a.strict, b.strict) << what;
}

constexpr Ratio kTwoThirds{2, 3, false};
constexpr Ratio kMoreThanHalf{1, 2, true};

// --- numerals and titles ---

TEST(MeetingTitles, ChineseNumbersAsTitlesWriteThem) {
  const std::pair<int, const char*> cases[] = {
      {1, "一"},         {2, "二"},         {3, "三"},         {9, "九"},
      {10, "十"},        {11, "十一"},      {12, "十二"},      {19, "十九"},
      {20, "二十"},      {21, "二十一"},    {99, "九十九"},    {100, "一百"},
      {101, "一百零一"}, {105, "一百零五"}, {110, "一百一十"}, {112, "一百一十二"},
      {120, "一百二十"}, {200, "二百"},     {305, "三百零五"}, {999, "九百九十九"},
  };
  for (const auto& [n, text] : cases) EXPECT_EQ(chinese_number(n), text) << n;
  // Outside 1..999 the digits are kept rather than a wrong numeral.
  EXPECT_EQ(chinese_number(0), "0");
  EXPECT_EQ(chinese_number(1000), "1000");
  EXPECT_EQ(chinese_number(-3), "-3");
}

TEST(MeetingTitles, GoverningKindsComposeTheirTitle) {
  EXPECT_EQ(compose_title("council", 3, 2), "第三届第二次理事会");
  EXPECT_EQ(compose_title("general_assembly", 3, 2), "第三届第二次会员大会");
  EXPECT_EQ(compose_title("standing_council", 1, 11), "第一届第十一次常务理事会");
  EXPECT_EQ(compose_title("president_office", 10, 20), "第十届第二十次会长办公会");
  EXPECT_EQ(compose_title("seminar", 3, 2), "") << "a seminar carries its own title";
  EXPECT_EQ(compose_title("other", 1, 1), "");
  EXPECT_EQ(compose_title("party", 1, 1), "");
}

TEST(MeetingTitles, KindAndMethodLabels) {
  EXPECT_EQ(kind_label("general_assembly"), "会员大会");
  EXPECT_EQ(kind_label("seminar"), "专题会议");
  EXPECT_EQ(kind_label("other"), "其他会议");
  EXPECT_EQ(method_label("secret_ballot"), "无记名投票");
  EXPECT_EQ(method_label("show_of_hands"), "举手表决");
  EXPECT_EQ(method_label("written"), "通讯表决");
}

TEST(MeetingTitles, NextNumberFollowsTheLastMeetingOfTheKind) {
  EXPECT_EQ(next_number(std::nullopt), (std::pair<int, int>{1, 1})) << "the first ever";
  EXPECT_EQ(next_number(std::pair<int, int>{3, 2}), (std::pair<int, int>{3, 3}));
  EXPECT_EQ(next_number(std::pair<int, int>{4, 1}), (std::pair<int, int>{4, 2}));
}

// --- thresholds ---

TEST(MeetingThresholds, RequiredCountRoundsUp) {
  EXPECT_EQ(required_count(100, kTwoThirds), 67);
  EXPECT_EQ(required_count(99, kTwoThirds), 66);
  EXPECT_EQ(required_count(98, kTwoThirds), 66);
  EXPECT_EQ(required_count(3, kTwoThirds), 2);
  EXPECT_EQ(required_count(1, kTwoThirds), 1);
  EXPECT_EQ(required_count(0, kTwoThirds), 0);
  EXPECT_EQ(required_count(-5, kTwoThirds), 0);
  // 过半数: more than half.
  EXPECT_EQ(required_count(10, kMoreThanHalf), 6);
  EXPECT_EQ(required_count(9, kMoreThanHalf), 5);
  EXPECT_EQ(required_count(1, kMoreThanHalf), 1);
  EXPECT_EQ(required_count(2, kMoreThanHalf), 2);
  EXPECT_EQ(required_count(0, kMoreThanHalf), 0);
  // Not less than half, and the whole.
  EXPECT_EQ(required_count(10, Ratio{1, 2, false}), 5);
  EXPECT_EQ(required_count(9, Ratio{1, 2, false}), 5);
  EXPECT_EQ(required_count(7, Ratio{1, 1, false}), 7);
  EXPECT_EQ(required_count(60, Ratio{3, 4, true}), 46) << "more than 45";
  // No overflow with large bases.
  EXPECT_EQ(required_count(2'000'000'000, Ratio{99, 100, false}), 1'980'000'000);
}

TEST(MeetingThresholds, PassesUnderTheRuleOfTheKind) {
  // Ordinary: more than half of those present.
  EXPECT_TRUE(passes(6, 10, kMoreThanHalf));
  EXPECT_FALSE(passes(5, 10, kMoreThanHalf)) << "exactly half is not more than half";
  EXPECT_TRUE(passes(5, 9, kMoreThanHalf));
  EXPECT_FALSE(passes(4, 9, kMoreThanHalf));
  // Charter and dues: at least two thirds.
  EXPECT_TRUE(passes(20, 30, kTwoThirds));
  EXPECT_FALSE(passes(19, 30, kTwoThirds));
  EXPECT_TRUE(passes(67, 100, kTwoThirds));
  EXPECT_FALSE(passes(66, 100, kTwoThirds));
  EXPECT_TRUE(passes(14, 20, kTwoThirds));
  EXPECT_FALSE(passes(13, 20, kTwoThirds));
  // Nobody present: nothing passes.
  EXPECT_FALSE(passes(0, 0, kMoreThanHalf));
  EXPECT_FALSE(passes(3, 0, kTwoThirds));
}

TEST(MeetingThresholds, PassRuleTexts) {
  EXPECT_EQ(pass_rule_text(kMoreThanHalf), "赞成票超过实到人数的1/2");
  EXPECT_EQ(pass_rule_text(kTwoThirds), "赞成票不少于实到人数的2/3");
}

// --- quorum ---

TEST(MeetingQuorum, ProxiesCountOnlyForAbsentEntitledGiversWithAPresentHolder) {
  const std::set<long long> entitled{1, 2, 3, 4, 5, 6};
  const std::set<long long> checked_in{1, 2, 7};  // 7 is invited but has no vote
  const std::map<long long, long long> proxies{
      {3, 1},  // counts: 3 absent and entitled, 1 present
      {4, 5},  // no: holder 5 is absent
      {2, 1},  // no: giver 2 came in person
      {8, 1},  // no: 8 has no vote
  };
  Quorum q = quorum(entitled, checked_in, proxies, kTwoThirds);
  EXPECT_EQ(q.entitled, 6);
  EXPECT_EQ(q.in_person, 2) << "the non-entitled unit does not count";
  EXPECT_EQ(q.proxies, 1);
  EXPECT_EQ(q.present, 3);
  EXPECT_EQ(q.required, 4);
  EXPECT_FALSE(q.reached);
  expect_same(q.ratio, kTwoThirds, "ratio");

  // The holder of 4's proxy arrives: 5 in person and 4 by proxy.
  q = quorum(entitled, {1, 2, 5, 7}, proxies, kTwoThirds);
  EXPECT_EQ(q.in_person, 3);
  EXPECT_EQ(q.proxies, 2);
  EXPECT_EQ(q.present, 5);
  EXPECT_TRUE(q.reached);

  // A giver who turns up after all counts once, in person.
  q = quorum(entitled, {1, 2, 3}, proxies, kTwoThirds);
  EXPECT_EQ(q.in_person, 3);
  EXPECT_EQ(q.proxies, 0);
  EXPECT_EQ(q.present, 3);
}

TEST(MeetingQuorum, ExactlyTheRequiredShareIsEnough) {
  std::set<long long> entitled, present;
  for (long long i = 1; i <= 100; ++i) entitled.insert(i);
  for (long long i = 1; i <= 66; ++i) present.insert(i);
  auto q = quorum(entitled, present, {}, kTwoThirds);
  EXPECT_EQ(q.required, 67);
  EXPECT_FALSE(q.reached);
  present.insert(67);
  q = quorum(entitled, present, {}, kTwoThirds);
  EXPECT_TRUE(q.reached);
  // Strict halves: 50 of 100 is not more than half.
  q = quorum(entitled, {}, {}, kMoreThanHalf);
  EXPECT_EQ(q.required, 51);
}

TEST(MeetingQuorum, NobodyEntitledNeverReachesQuorum) {
  auto q = quorum({}, {1, 2}, {{3, 1}}, kTwoThirds);
  EXPECT_EQ(q.entitled, 0);
  EXPECT_EQ(q.required, 0);
  EXPECT_EQ(q.present, 0);
  EXPECT_FALSE(q.reached);
}

// --- votes ---

Resolution vote(int entitled, int present, int yes, int no, int abstain) {
  Resolution r;
  r.title = "关于修改章程的决议";
  r.kind = "charter";
  r.method = "secret_ballot";
  r.entitled = entitled;
  r.present = present;
  r.votes_for = yes;
  r.votes_against = no;
  r.abstentions = abstain;
  return r;
}

TEST(MeetingVotes, FiguresMustAddUp) {
  EXPECT_TRUE(check_vote(vote(30, 20, 14, 4, 2)).empty());
  EXPECT_TRUE(check_vote(vote(30, 20, 10, 0, 0)).empty()) << "not everyone has to vote";
  EXPECT_TRUE(check_vote(vote(0, 0, 0, 0, 0)).empty());
  EXPECT_TRUE(names(check_vote(vote(30, 20, 14, 4, 3)), "votes_for")) << "21 votes of 20 present";
  EXPECT_TRUE(names(check_vote(vote(30, 31, 14, 4, 2)), "present")) << "more present than entitled";
  for (auto r : {vote(-1, 0, 0, 0, 0), vote(30, -1, 0, 0, 0), vote(30, 20, -1, 0, 0),
                 vote(30, 20, 0, -1, 0), vote(30, 20, 0, 0, -1)}) {
    EXPECT_TRUE(names(check_vote(r), "votes_for")) << field_list(check_vote(r));
  }
  // Large figures do not overflow into a pass.
  EXPECT_TRUE(names(check_vote(vote(2'000'000'000, 2'000'000'000, 2'000'000'000, 2'000'000'000, 0)),
                    "votes_for"));
}

TEST(MeetingVotes, TitleKindAndMethodAreRequired) {
  auto r = vote(30, 20, 14, 4, 2);
  r.title.clear();
  r.kind = "budget";
  r.method = "acclamation";
  const auto errors = check_vote(r);
  EXPECT_TRUE(names(errors, "title"));
  EXPECT_TRUE(names(errors, "kind"));
  EXPECT_TRUE(names(errors, "method"));
  for (const char* kind : {"ordinary", "charter", "dues", "election"}) {
    r = vote(30, 20, 14, 4, 2);
    r.kind = kind;
    EXPECT_TRUE(check_vote(r).empty()) << kind;
  }
  for (const char* method : {"secret_ballot", "show_of_hands", "written"}) {
    r = vote(30, 20, 14, 4, 2);
    r.method = method;
    EXPECT_TRUE(check_vote(r).empty()) << method;
  }
}

// --- settings ---

TEST(MeetingSettingsRules, DefaultsFollowTheDesign) {
  const auto s = default_meeting_settings();
  EXPECT_TRUE(check_settings(s).empty()) << field_list(check_settings(s));
  EXPECT_EQ(s.invite_tiers.at("general_assembly"),
            (std::vector<std::string>{"member", "council", "standing_council", "vice_president",
                                      "president"}));
  EXPECT_EQ(
      s.invite_tiers.at("council"),
      (std::vector<std::string>{"council", "standing_council", "vice_president", "president"}));
  EXPECT_EQ(s.invite_tiers.at("standing_council"),
            (std::vector<std::string>{"standing_council", "vice_president", "president"}));
  EXPECT_EQ(s.invite_tiers.at("president_office"),
            (std::vector<std::string>{"vice_president", "president"}));
  EXPECT_FALSE(s.invite_tiers.contains("seminar"));
  for (const char* kind : {"general_assembly", "council", "seminar", "other"}) {
    expect_same(s.quorum.at(kind), kTwoThirds, kind);
  }
  expect_same(s.pass.at("ordinary"), kMoreThanHalf, "ordinary");
  expect_same(s.pass.at("charter"), kTwoThirds, "charter");
  expect_same(s.pass.at("dues"), kTwoThirds, "dues");
  EXPECT_EQ(s.proxy_kinds, (std::vector<std::string>{"general_assembly", "council"}));
  EXPECT_EQ(s.max_proxies_per_holder, 1);
  EXPECT_FALSE(s.lapsed_vote);
}

TEST(MeetingSettingsRules, TextRoundTrip) {
  MeetingSettings s = default_meeting_settings();
  s.invite_tiers["council"] = {"standing_council", "president"};
  s.invite_tiers["president_office"] = {};
  s.quorum["general_assembly"] = Ratio{1, 2, true};
  s.quorum["seminar"] = Ratio{1, 10, false};
  s.pass["charter"] = Ratio{3, 4, false};
  s.pass["election"] = Ratio{1, 3, true};
  s.proxy_kinds = {"general_assembly"};
  s.max_proxies_per_holder = 3;
  s.lapsed_vote = true;
  s.material_max_bytes = 5LL * 1024 * 1024;

  const auto text = settings_to_text(s);
  EXPECT_EQ(text.at("quorum.general_assembly"), "1/2>");
  EXPECT_EQ(text.at("quorum.council"), "2/3");
  EXPECT_EQ(text.at("invite_tiers.council"), "standing_council,president");
  EXPECT_EQ(text.at("proxy_kinds"), "general_assembly");
  EXPECT_EQ(text.at("max_proxies_per_holder"), "3");
  EXPECT_EQ(text.at("lapsed_vote"), "1");

  const MeetingSettings back = settings_from_text(text);
  EXPECT_EQ(back.invite_tiers, s.invite_tiers);
  ASSERT_EQ(back.quorum.size(), s.quorum.size());
  for (const auto& [kind, r] : s.quorum) expect_same(back.quorum.at(kind), r, "quorum." + kind);
  ASSERT_EQ(back.pass.size(), s.pass.size());
  for (const auto& [kind, r] : s.pass) expect_same(back.pass.at(kind), r, "pass." + kind);
  EXPECT_EQ(back.proxy_kinds, s.proxy_kinds);
  EXPECT_EQ(back.max_proxies_per_holder, 3);
  EXPECT_TRUE(back.lapsed_vote);
  EXPECT_EQ(back.material_max_bytes, s.material_max_bytes);
  EXPECT_EQ(settings_to_text(back), text);

  // No proxies at all survives the round trip as an empty list, not one empty kind.
  s.proxy_kinds.clear();
  EXPECT_TRUE(settings_from_text(settings_to_text(s)).proxy_kinds.empty());
}

TEST(MeetingSettingsRules, UnreadableOrUnknownStoredValuesKeepTheirDefaults) {
  const auto s = settings_from_text({{"quorum.council", "two thirds"},
                                     {"quorum.party", "1/2"},
                                     {"pass.ordinary", "1/x"},
                                     {"pass.budget", "1/2"},
                                     {"invite_tiers.seminar", "member"},
                                     {"max_proxies_per_holder", "many"},
                                     {"material_max_bytes", ""},
                                     {"something_else", "1"}});
  const auto d = default_meeting_settings();
  expect_same(s.quorum.at("council"), kTwoThirds, "quorum.council");
  EXPECT_FALSE(s.quorum.contains("party"));
  expect_same(s.pass.at("ordinary"), kMoreThanHalf, "pass.ordinary");
  EXPECT_FALSE(s.pass.contains("budget"));
  EXPECT_FALSE(s.invite_tiers.contains("seminar"));
  EXPECT_EQ(s.max_proxies_per_holder, d.max_proxies_per_holder);
  EXPECT_EQ(s.material_max_bytes, d.material_max_bytes);
  EXPECT_TRUE(check_settings(settings_from_text({})).empty());
}

TEST(MeetingSettingsRules, CheckSettingsNamesEachBadValue) {
  auto bad = [](auto change) {
    MeetingSettings s = default_meeting_settings();
    change(s);
    return check_settings(s);
  };
  EXPECT_TRUE(names(bad([](auto& s) {
                      s.invite_tiers["council"] = {"council", "emperor"};
                    }),
                    "invite_tiers.council"));
  EXPECT_TRUE(
      names(bad([](auto& s) { s.invite_tiers["seminar"] = {"member"}; }), "invite_tiers.seminar"));
  EXPECT_TRUE(names(bad([](auto& s) {
                      s.quorum["council"] = Ratio{0, 3, false};
                    }),
                    "quorum.council"));
  EXPECT_TRUE(names(bad([](auto& s) {
                      s.quorum["council"] = Ratio{4, 3, false};
                    }),
                    "quorum.council"));
  EXPECT_TRUE(names(bad([](auto& s) {
                      s.quorum["council"] = Ratio{1, 0, false};
                    }),
                    "quorum.council"));
  EXPECT_TRUE(names(bad([](auto& s) {
                      s.quorum["council"] = Ratio{1, 101, false};
                    }),
                    "quorum.council"));
  EXPECT_TRUE(names(bad([](auto& s) { s.quorum["party"] = Ratio{1, 2, false}; }), "quorum.party"));
  EXPECT_TRUE(names(bad([](auto& s) { s.pass["budget"] = Ratio{1, 2, false}; }), "pass.budget"));
  EXPECT_TRUE(names(bad([](auto& s) { s.pass["charter"] = Ratio{-1, 3, false}; }), "pass.charter"));
  EXPECT_TRUE(names(bad([](auto& s) { s.proxy_kinds = {"council", "party"}; }), "proxy_kinds"));
  EXPECT_TRUE(names(bad([](auto& s) { s.max_proxies_per_holder = -1; }), "max_proxies_per_holder"));
  EXPECT_TRUE(names(bad([](auto& s) { s.max_proxies_per_holder = 11; }), "max_proxies_per_holder"));
  EXPECT_TRUE(names(bad([](auto& s) { s.material_max_bytes = 1023; }), "material_max_bytes"));
  EXPECT_TRUE(names(bad([](auto& s) { s.material_max_bytes = 100LL * 1024 * 1024 + 1; }),
                    "material_max_bytes"));
  EXPECT_TRUE(bad([](auto& s) {
                s.max_proxies_per_holder = 0;
                s.proxy_kinds.clear();
                s.quorum["council"] = Ratio{1, 1, true};
              }).empty())
      << "no proxies, and a quorum of everyone, are allowed";
}

// --- meeting fields and status ---

TEST(MeetingStatus, ScheduledFinishesAndAnythingButCancelledCancels) {
  EXPECT_TRUE(meeting_status_change_allowed("scheduled", "finished"));
  EXPECT_TRUE(meeting_status_change_allowed("scheduled", "cancelled"));
  EXPECT_TRUE(meeting_status_change_allowed("finished", "cancelled"));
  EXPECT_TRUE(meeting_status_change_allowed("scheduled", "scheduled")) << "no change";
  EXPECT_FALSE(meeting_status_change_allowed("finished", "scheduled"));
  EXPECT_FALSE(meeting_status_change_allowed("cancelled", "scheduled"));
  EXPECT_FALSE(meeting_status_change_allowed("cancelled", "finished"));
  EXPECT_FALSE(meeting_status_change_allowed("scheduled", "postponed"));
}

TEST(MeetingStatus, VocabularyChecks) {
  for (auto k : kMeetingKinds) EXPECT_TRUE(is_meeting_kind(k)) << k;
  EXPECT_FALSE(is_meeting_kind("party"));
  EXPECT_TRUE(is_governing_kind("president_office"));
  EXPECT_FALSE(is_governing_kind("seminar"));
  EXPECT_TRUE(is_meeting_mode("written"));
  EXPECT_FALSE(is_meeting_mode("hybrid"));
  EXPECT_TRUE(is_vote_method("show_of_hands"));
  EXPECT_FALSE(is_vote_method("acclamation"));
  EXPECT_TRUE(is_resolution_kind("dues"));
  EXPECT_FALSE(is_resolution_kind("budget"));
}

}  // namespace
}  // namespace xiehui::meetings
