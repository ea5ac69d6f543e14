#include "services/dues/dues_rules.hpp"

#include <gtest/gtest.h>

#include <climits>

#include "core/validate.hpp"

namespace xiehui::dues {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

Date ymd(int y, unsigned m, unsigned d) { return Date{year{y}, month{m}, day{d}}; }

std::vector<std::string> fields_of(const std::vector<FieldError>& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(e.field);
  return out;
}

const FieldError* find_field(const std::vector<FieldError>& errors, std::string_view field) {
  for (const auto& e : errors) {
    if (e.field == field) return &e;
  }
  return nullptr;
}

/// A decision that passes the default thresholds with nothing to spare: 20 of 30 present,
/// 10 of 20 in favour, by secret ballot.
Decision decision() {
  Decision d;
  d.meeting_name = "第三届第二次会员大会";
  d.held_on = "2026-03-01";
  d.entitled = 30;
  d.present = 20;
  d.votes_for = 10;
  d.votes_against = 6;
  d.abstentions = 4;
  d.secret_ballot = true;
  return d;
}

Reduction percent_reduction(int percent) {
  Reduction r;
  r.member_id = 7;
  r.year = 2026;
  r.percent = percent;
  r.reason = "受灾减免";
  r.approved_by = "第三届第五次理事会";
  return r;
}

Payment payment() {
  Payment p;
  p.invoice_id = 1;
  p.amount_fen = 500000;
  p.paid_on = "2026-03-10";
  p.method = "bank_transfer";
  p.reference = "2026年会费 XH0007";
  return p;
}

// ---- Decision --------------------------------------------------------------------------------

TEST(DuesRulesDecision, TiersAreInOrder) {
  EXPECT_EQ(dues_tiers(), (std::vector<std::string>{"member", "council", "standing_council",
                                                    "vice_president", "president"}));
}

TEST(DuesRulesDecision, QuorumIncludesTheThresholdItself) {
  const Ratio two_thirds{2, 3};
  const Ratio half{1, 2};
  Decision d = decision();
  EXPECT_TRUE(decision_passes(d, two_thirds, half)) << "20 of 30 is exactly 2/3";
  d.present = 19;
  d.votes_for = 10;
  EXPECT_FALSE(decision_passes(d, two_thirds, half)) << "19 of 30 is below 2/3";
  d.entitled = 31;
  d.present = 21;
  d.votes_for = 11;
  EXPECT_TRUE(decision_passes(d, two_thirds, half)) << "2/3 of 31 is 20.67: 21 is enough";
  d.present = 20;
  EXPECT_FALSE(decision_passes(d, two_thirds, half)) << "20 of 31 falls short";
}

TEST(DuesRulesDecision, MajorityIncludesHalfAndRoundsUpForOddAttendance) {
  const Ratio two_thirds{2, 3};
  const Ratio half{1, 2};
  Decision d = decision();
  d.votes_for = 9;
  EXPECT_FALSE(decision_passes(d, two_thirds, half)) << "9 of 20";
  d.votes_for = 10;
  EXPECT_TRUE(decision_passes(d, two_thirds, half)) << "10 of 20 is exactly half";
  d.present = 25;
  d.votes_for = 12;
  EXPECT_FALSE(decision_passes(d, two_thirds, half)) << "12 of 25 is below half";
  d.votes_for = 13;
  EXPECT_TRUE(decision_passes(d, two_thirds, half));
}

TEST(DuesRulesDecision, NeedsASecretBallot) {
  Decision d = decision();
  d.secret_ballot = false;
  EXPECT_FALSE(decision_passes(d, {2, 3}, {1, 2}));
}

TEST(DuesRulesDecision, ThresholdsFollowTheSettings) {
  Decision d = decision();  // 20 of 30 present, 10 for
  EXPECT_FALSE(decision_passes(d, {3, 4}, {1, 2})) << "3/4 of 30 needs 23";
  EXPECT_FALSE(decision_passes(d, {2, 3}, {2, 3})) << "2/3 of 20 needs 14 for";
  d.votes_for = 14;
  d.votes_against = 6;
  d.abstentions = 0;
  EXPECT_TRUE(decision_passes(d, {2, 3}, {2, 3}));
}

TEST(DuesRulesDecision, LargeCountsDoNotOverflow) {
  Decision d = decision();
  d.entitled = 2'000'000'000;
  d.present = 1'333'333'334;  // 3 × present overflows 32 bits
  d.votes_for = 666'666'667;
  d.votes_against = 0;
  d.abstentions = 0;
  EXPECT_TRUE(decision_passes(d, {2, 3}, {1, 2}));
  d.present = 1'333'333'333;
  EXPECT_FALSE(decision_passes(d, {2, 3}, {1, 2}));
  d.present = 2'000'000'000;
  d.votes_for = 1'999'999'999;
  EXPECT_FALSE(decision_passes(d, {1000, 1000}, {1000, 1000}));
  d.votes_for = 2'000'000'000;
  EXPECT_TRUE(decision_passes(d, {1000, 1000}, {1000, 1000}));
}

TEST(DuesRulesDecision, NobodyEntitledNeverPasses) {
  Decision d = decision();
  d.entitled = 0;
  d.present = 0;
  d.votes_for = 0;
  d.votes_against = 0;
  d.abstentions = 0;
  EXPECT_FALSE(decision_passes(d, {2, 3}, {1, 2}));
}

TEST(DuesRulesDecision, AWellFormedPassingDecisionHasNoErrors) {
  EXPECT_TRUE(check_decision(decision(), DuesSettings{}).empty());
}

TEST(DuesRulesDecision, NamesEachBadField) {
  Decision d = decision();
  d.meeting_name = "";
  d.held_on = "2026-02-30";
  d.entitled = 0;
  d.present = -1;
  const auto errors = check_decision(d, DuesSettings{});
  EXPECT_EQ(fields_of(errors),
            (std::vector<std::string>{"decision.meeting_name", "decision.held_on",
                                      "decision.entitled", "decision.present"}));
}

TEST(DuesRulesDecision, MeetingNameIsOneToAHundredCharactersWithoutControls) {
  Decision d = decision();
  d.meeting_name = std::string(100, 'x');
  EXPECT_TRUE(check_decision(d, DuesSettings{}).empty());
  d.meeting_name.clear();
  for (int i = 0; i < 100; ++i) d.meeting_name += "会";  // 300 bytes, 100 characters
  EXPECT_TRUE(check_decision(d, DuesSettings{}).empty()) << "counted in characters";
  d.meeting_name += "议";
  EXPECT_EQ(fields_of(check_decision(d, DuesSettings{})),
            std::vector<std::string>{"decision.meeting_name"});
  d.meeting_name = "第三届\n第二次会员大会";
  const auto errors = check_decision(d, DuesSettings{});
  ASSERT_EQ(fields_of(errors), std::vector<std::string>{"decision.meeting_name"});
  EXPECT_EQ(errors[0].message.zh, control_chars_message(false).zh);
}

TEST(DuesRulesDecision, HeldOnMustBeADate) {
  for (const char* bad : {"", "2026-3-1", "2026/03/01", "2026-13-01", "not a date"}) {
    Decision d = decision();
    d.held_on = bad;
    EXPECT_EQ(fields_of(check_decision(d, DuesSettings{})),
              std::vector<std::string>{"decision.held_on"})
        << bad;
  }
}

TEST(DuesRulesDecision, PresentMayNotExceedEntitled) {
  Decision d = decision();
  d.present = 31;
  EXPECT_EQ(fields_of(check_decision(d, DuesSettings{})),
            std::vector<std::string>{"decision.present"});
  d.present = 30;
  d.votes_for = 30;
  d.votes_against = 0;
  d.abstentions = 0;
  EXPECT_TRUE(check_decision(d, DuesSettings{}).empty()) << "everyone present";
}

TEST(DuesRulesDecision, VotesMayNotExceedThosePresent) {
  Decision d = decision();
  d.abstentions = 5;  // 10 + 6 + 5 = 21 > 20
  const auto errors = check_decision(d, DuesSettings{});
  ASSERT_EQ(fields_of(errors), std::vector<std::string>{"decision.votes_for"});
  EXPECT_NE(errors[0].message.zh.find("21"), std::string::npos) << errors[0].message.zh;
  d.abstentions = 4;  // exactly 20
  EXPECT_TRUE(check_decision(d, DuesSettings{}).empty());
  d.votes_against = 0;
  d.abstentions = 0;  // not everyone needs to vote
  EXPECT_TRUE(check_decision(d, DuesSettings{}).empty());
}

TEST(DuesRulesDecision, CountsAreNeverNegative) {
  Decision d = decision();
  d.votes_against = -1;
  d.abstentions = -2;
  EXPECT_EQ(fields_of(check_decision(d, DuesSettings{})),
            (std::vector<std::string>{"decision.votes_against", "decision.abstentions"}));
  d = decision();
  d.votes_for = -1;
  EXPECT_EQ(fields_of(check_decision(d, DuesSettings{})),
            std::vector<std::string>{"decision.votes_for"});
}

TEST(DuesRulesDecision, QuorumFailureSaysSoWithTheNumbers) {
  Decision d = decision();
  d.present = 19;
  d.votes_for = 10;
  d.votes_against = 5;
  d.abstentions = 4;
  const auto errors = check_decision(d, DuesSettings{});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "decision");
  EXPECT_EQ(errors[0].message.zh, "出席人数 19 未达到应到 30 人的 2/3（至少 20 人）");
  EXPECT_EQ(errors[0].message.en, "19 present is below 2/3 of 30 entitled (at least 20)");
}

TEST(DuesRulesDecision, MajorityFailureSaysSoWithTheNumbers) {
  Decision d = decision();
  d.present = 25;
  d.votes_for = 12;
  d.votes_against = 13;
  d.abstentions = 0;
  const auto errors = check_decision(d, DuesSettings{});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "decision");
  EXPECT_EQ(errors[0].message.zh, "赞成票 12 未达到出席人数 25 人的 1/2（至少 13 票）");
  EXPECT_EQ(errors[0].message.en, "12 votes for is below 1/2 of 25 present (at least 13)");
}

TEST(DuesRulesDecision, SecretBallotFailureAndSettingsThresholds) {
  Decision d = decision();
  d.secret_ballot = false;
  auto errors = check_decision(d, DuesSettings{});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "decision");
  EXPECT_EQ(errors[0].message.zh, "会费标准须经无记名投票表决");

  DuesSettings strict;
  strict.quorum = {3, 4};
  d.secret_ballot = true;
  errors = check_decision(d, strict);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message.zh, "出席人数 20 未达到应到 30 人的 3/4（至少 23 人）");
}

TEST(DuesRulesDecision, EveryFailedThresholdIsNamedInOneError) {
  Decision d = decision();
  d.present = 10;
  d.votes_for = 4;
  d.votes_against = 6;
  d.abstentions = 0;
  d.secret_ballot = false;
  const auto errors = check_decision(d, DuesSettings{});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message.zh,
            "出席人数 10 未达到应到 30 人的 2/3（至少 20 人）；"
            "赞成票 4 未达到出席人数 10 人的 1/2（至少 5 票）；会费标准须经无记名投票表决");
}

TEST(DuesRulesDecision, ThresholdsAreOnlyJudgedOnWellFormedDecisions) {
  Decision d = decision();
  d.held_on = "";
  d.secret_ballot = false;
  EXPECT_EQ(fields_of(check_decision(d, DuesSettings{})),
            std::vector<std::string>{"decision.held_on"});
}

// ---- Tiers -----------------------------------------------------------------------------------

TEST(DuesRulesTiers, EveryTierNeedsAnAmountInRange) {
  std::map<std::string, long long> tiers = {{"member", 200000},
                                            {"council", 500000},
                                            {"standing_council", 1000000},
                                            {"vice_president", 2000000},
                                            {"president", 0}};
  EXPECT_TRUE(check_tiers(tiers).empty()) << "zero is an amount";
  tiers["president"] = kMaxAmountFen;
  EXPECT_TRUE(check_tiers(tiers).empty());
  tiers["president"] = kMaxAmountFen + 1;
  tiers["member"] = -1;
  tiers.erase("council");
  EXPECT_EQ(fields_of(check_tiers(tiers)),
            (std::vector<std::string>{"tiers.member", "tiers.council", "tiers.president"}));
}

TEST(DuesRulesTiers, UnknownTiersAreRefused) {
  std::map<std::string, long long> tiers;
  for (const auto& t : dues_tiers()) tiers[t] = 100;
  tiers["honorary"] = 100;
  const auto errors = check_tiers(tiers);
  ASSERT_EQ(fields_of(errors), std::vector<std::string>{"tiers.honorary"});
  EXPECT_FALSE(errors[0].message.zh.empty());
  EXPECT_FALSE(errors[0].message.en.empty());
  EXPECT_EQ(check_tiers({}).size(), 5u);
}

// ---- Proration -------------------------------------------------------------------------------

TEST(DuesRulesProrate, JoinedBeforeTheYearPaysInFull) {
  for (const auto rule : {Proration::full, Proration::half_after_july, Proration::quarters}) {
    const auto p = prorate(500000, ymd(2025, 12, 31), 2026, rule);
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(p->amount_fen, 500000);
    EXPECT_EQ(p->label, "full");
  }
}

TEST(DuesRulesProrate, JoinedAfterTheYearOwesNothing) {
  EXPECT_FALSE(prorate(500000, ymd(2027, 1, 1), 2026, Proration::full).has_value());
  EXPECT_FALSE(prorate(500000, ymd(2027, 1, 1), 2026, Proration::quarters).has_value());
}

TEST(DuesRulesProrate, FullRule) {
  const auto p = prorate(500000, ymd(2026, 12, 1), 2026, Proration::full);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->amount_fen, 500000);
  EXPECT_EQ(p->label, "full");
}

TEST(DuesRulesProrate, HalfFromTheFirstOfJuly) {
  auto p = prorate(500000, ymd(2026, 6, 30), 2026, Proration::half_after_july);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->amount_fen, 500000);
  EXPECT_EQ(p->label, "full");
  p = prorate(500000, ymd(2026, 7, 1), 2026, Proration::half_after_july);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->amount_fen, 250000);
  EXPECT_EQ(p->label, "half");
  p = prorate(333, ymd(2026, 12, 31), 2026, Proration::half_after_july);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->amount_fen, 167) << "166.5 rounds half up";
}

TEST(DuesRulesProrate, QuartersLeftIncludingTheJoiningOne) {
  struct Case {
    unsigned month;
    long long amount;
    const char* label;
  };
  for (const auto& c :
       {Case{1, 100000, "full"}, Case{3, 100000, "full"}, Case{4, 75000, "quarters:3"},
        Case{6, 75000, "quarters:3"}, Case{7, 50000, "quarters:2"}, Case{9, 50000, "quarters:2"},
        Case{10, 25000, "quarters:1"}, Case{12, 25000, "quarters:1"}}) {
    const auto p = prorate(100000, ymd(2026, c.month, 15), 2026, Proration::quarters);
    ASSERT_TRUE(p.has_value()) << c.month;
    EXPECT_EQ(p->amount_fen, c.amount) << c.month;
    EXPECT_EQ(p->label, c.label) << c.month;
  }
  // 3/4 of 1 fen is 0.75 → 1; 1/4 of 2 fen is 0.5 → 1; 1/4 of 1 fen is 0.25 → 0.
  EXPECT_EQ(prorate(1, ymd(2026, 4, 1), 2026, Proration::quarters)->amount_fen, 1);
  EXPECT_EQ(prorate(2, ymd(2026, 10, 1), 2026, Proration::quarters)->amount_fen, 1);
  EXPECT_EQ(prorate(1, ymd(2026, 10, 1), 2026, Proration::quarters)->amount_fen, 0);
  EXPECT_EQ(prorate(kMaxAmountFen, ymd(2026, 4, 1), 2026, Proration::quarters)->amount_fen,
            7'500'000'000LL);
}

// ---- Reductions ------------------------------------------------------------------------------

TEST(DuesRulesReduction, PercentRoundsHalfUpToTheFen) {
  EXPECT_EQ(reduction_fen(500000, percent_reduction(50)), 250000);
  EXPECT_EQ(reduction_fen(500000, percent_reduction(100)), 500000);
  EXPECT_EQ(reduction_fen(150, percent_reduction(1)), 2) << "1.5 fen rounds up";
  EXPECT_EQ(reduction_fen(149, percent_reduction(1)), 1) << "1.49 fen rounds down";
  EXPECT_EQ(reduction_fen(333, percent_reduction(50)), 167);
  EXPECT_EQ(reduction_fen(kMaxAmountFen, percent_reduction(33)), 3'300'000'000LL);
}

TEST(DuesRulesReduction, AmountIsCappedAtTheInvoice) {
  Reduction r = percent_reduction(0);
  r.percent.reset();
  r.amount_fen = 100000;
  EXPECT_EQ(reduction_fen(500000, r), 100000);
  EXPECT_EQ(reduction_fen(80000, r), 80000);
  r.amount_fen = -5;
  EXPECT_EQ(reduction_fen(80000, r), 0) << "never negative";
  EXPECT_EQ(reduction_fen(0, percent_reduction(50)), 0);
  r.amount_fen.reset();
  EXPECT_EQ(reduction_fen(80000, r), 0) << "nothing to take off";
}

TEST(DuesRulesReduction, AValidReductionHasNoErrors) {
  EXPECT_TRUE(check_reduction(percent_reduction(50)).empty());
  Reduction r = percent_reduction(50);
  r.percent.reset();
  r.amount_fen = 1;
  EXPECT_TRUE(check_reduction(r).empty());
  r.amount_fen = kMaxAmountFen;
  r.reason = "第一行\n第二行";
  EXPECT_TRUE(check_reduction(r).empty()) << "a reason may span lines";
}

TEST(DuesRulesReduction, ExactlyOneOfAmountAndPercent) {
  Reduction r = percent_reduction(50);
  r.amount_fen = 1000;
  EXPECT_EQ(fields_of(check_reduction(r)), std::vector<std::string>{"percent"});
  r.amount_fen.reset();
  r.percent.reset();
  EXPECT_EQ(fields_of(check_reduction(r)), std::vector<std::string>{"amount_fen"});
}

TEST(DuesRulesReduction, RangesOfEachField) {
  EXPECT_EQ(fields_of(check_reduction(percent_reduction(0))), std::vector<std::string>{"percent"});
  EXPECT_EQ(fields_of(check_reduction(percent_reduction(101))),
            std::vector<std::string>{"percent"});
  Reduction r = percent_reduction(10);
  r.percent.reset();
  r.amount_fen = 0;
  EXPECT_EQ(fields_of(check_reduction(r)), std::vector<std::string>{"amount_fen"});
  r.amount_fen = kMaxAmountFen + 1;
  EXPECT_EQ(fields_of(check_reduction(r)), std::vector<std::string>{"amount_fen"});

  r = percent_reduction(10);
  r.reason = "";
  r.approved_by = std::string(101, 'a');
  r.year = 1999;
  EXPECT_EQ(fields_of(check_reduction(r)),
            (std::vector<std::string>{"reason", "approved_by", "year"}));
  r.reason = std::string(501, 'a');
  r.approved_by = "会长\t办公会";
  r.year = 2201;
  EXPECT_EQ(fields_of(check_reduction(r)),
            (std::vector<std::string>{"reason", "approved_by", "year"}));
  r.reason = std::string(500, 'a');
  r.approved_by = std::string(100, 'a');
  r.year = 2200;
  EXPECT_TRUE(check_reduction(r).empty());
}

// ---- Invoice status --------------------------------------------------------------------------

TEST(DuesRulesInvoiceStatus, FromTheFigures) {
  EXPECT_EQ(invoice_status(500000, 0, 0), "unpaid");
  EXPECT_EQ(invoice_status(500000, 0, 1), "partial");
  EXPECT_EQ(invoice_status(500000, 0, 499999), "partial");
  EXPECT_EQ(invoice_status(500000, 0, 500000), "paid");
  EXPECT_EQ(invoice_status(500000, 0, 600000), "paid") << "overpaid is still paid";
  EXPECT_EQ(invoice_status(500000, 100000, 400000), "paid");
  EXPECT_EQ(invoice_status(500000, 100000, 300000), "partial");
  EXPECT_EQ(invoice_status(500000, 100000, 0), "unpaid");
  EXPECT_EQ(invoice_status(500000, 500000, 0), "waived");
  EXPECT_EQ(invoice_status(0, 0, 0), "waived") << "nothing was ever owed";
}

// ---- Payments --------------------------------------------------------------------------------

TEST(DuesRulesPayment, Methods) {
  for (const char* m : {"bank_transfer", "cash", "wechat", "alipay", "other"}) {
    EXPECT_TRUE(is_payment_method(m)) << m;
  }
  for (const char* m : {"", "Cash", "cheque", "bank"}) EXPECT_FALSE(is_payment_method(m)) << m;
}

TEST(DuesRulesPayment, AValidPaymentHasNoErrors) {
  EXPECT_TRUE(check_payment(payment(), ymd(2026, 3, 10)).empty()) << "paid today";
  Payment p = payment();
  p.reference = "";
  p.amount_fen = kMaxAmountFen;
  EXPECT_TRUE(check_payment(p, ymd(2026, 3, 10)).empty());
}

TEST(DuesRulesPayment, NamesEachBadField) {
  Payment p = payment();
  p.amount_fen = 0;
  p.paid_on = "2026-03-11";
  p.method = "cheque";
  p.reference = "line\nbreak";
  const auto errors = check_payment(p, ymd(2026, 3, 10));
  EXPECT_EQ(fields_of(errors),
            (std::vector<std::string>{"amount_fen", "paid_on", "method", "reference"}));
  const auto* paid_on = find_field(errors, "paid_on");
  ASSERT_NE(paid_on, nullptr);
  EXPECT_NE(paid_on->message.zh.find("2026-03-10"), std::string::npos) << paid_on->message.zh;
}

TEST(DuesRulesPayment, AmountAndDateLimits) {
  Payment p = payment();
  p.amount_fen = kMaxAmountFen + 1;
  EXPECT_EQ(fields_of(check_payment(p, ymd(2026, 3, 10))), std::vector<std::string>{"amount_fen"});
  p.amount_fen = -100;
  EXPECT_EQ(fields_of(check_payment(p, ymd(2026, 3, 10))), std::vector<std::string>{"amount_fen"});
  for (const char* bad : {"1999-12-31", "2026-3-1", "", "2026-02-29"}) {
    p = payment();
    p.paid_on = bad;
    EXPECT_EQ(fields_of(check_payment(p, ymd(2026, 3, 10))), std::vector<std::string>{"paid_on"})
        << bad;
  }
  p = payment();
  p.paid_on = "2000-01-01";
  EXPECT_TRUE(check_payment(p, ymd(2026, 3, 10)).empty());
}

TEST(DuesRulesPayment, ReferenceIsCountedInCharacters) {
  Payment p = payment();
  p.reference.clear();
  for (int i = 0; i < 200; ++i) p.reference += "款";
  EXPECT_TRUE(check_payment(p, ymd(2026, 3, 10)).empty());
  p.reference += "x";
  EXPECT_EQ(fields_of(check_payment(p, ymd(2026, 3, 10))), std::vector<std::string>{"reference"});
}

// ---- Amounts in words ------------------------------------------------------------------------

TEST(DuesRulesAmountInWords, Table) {
  struct Case {
    long long fen;
    const char* words;
  };
  const Case cases[] = {
      {0, "人民币零元整"},
      {1, "人民币壹分"},
      {5, "人民币伍分"},
      {10, "人民币壹角整"},
      {50, "人民币伍角整"},
      {55, "人民币伍角伍分"},
      {100, "人民币壹元整"},
      {150, "人民币壹元伍角整"},
      {101, "人民币壹元零壹分"},
      {1000, "人民币壹拾元整"},
      {1005, "人民币壹拾元零伍分"},
      {1050, "人民币壹拾元伍角整"},
      {1100, "人民币壹拾壹元整"},
      {10100, "人民币壹佰零壹元整"},
      {101050, "人民币壹仟零壹拾元伍角整"},
      {1000500, "人民币壹万零伍元整"},
      {1200000, "人民币壹万贰仟元整"},
      {1100000, "人民币壹万壹仟元整"},
      {11000000, "人民币壹拾壹万元整"},
      {10100000, "人民币壹拾万零壹仟元整"},
      {110100000, "人民币壹佰壹拾万零壹仟元整"},
      {110000000, "人民币壹佰壹拾万元整"},
      {100050000, "人民币壹佰万零伍佰元整"},
      {100001000, "人民币壹佰万零壹拾元整"},
      {101000000, "人民币壹佰零壹万元整"},
      {2000000000, "人民币贰仟万元整"},
      {kMaxAmountFen, "人民币壹亿元整"},
      {10001000000LL, "人民币壹亿零壹万元整"},
      {10000010000LL, "人民币壹亿零壹佰元整"},
      {12000000000LL, "人民币壹亿贰仟万元整"},
      {100000100000LL, "人民币壹拾亿零壹仟元整"},
      {123456789012LL, "人民币壹拾贰亿叁仟肆佰伍拾陆万柒仟捌佰玖拾元壹角贰分"},
      {100000000000000LL, "人民币壹万亿元整"},
      {1000000000000000LL, "人民币壹拾万亿元整"},
      {100010000000000LL, "人民币壹万零壹亿元整"},
      {-100, "人民币负壹元整"},
      {-1005, "人民币负壹拾元零伍分"},
      {-1, "人民币负壹分"},
  };
  for (const auto& c : cases) EXPECT_EQ(amount_in_words(c.fen), c.words) << c.fen;
}

TEST(DuesRulesAmountInWords, ExtremesDoNotOverflow) {
  // 92,233,720,368,547,758.07 元: 亿 of 亿 read as 亿 twice.
  const std::string max = amount_in_words(LLONG_MAX);
  EXPECT_TRUE(max.starts_with("人民币玖亿贰仟贰佰叁拾叁万柒仟贰佰零叁亿")) << max;
  EXPECT_TRUE(max.ends_with("元零柒分")) << max;
  const std::string min = amount_in_words(LLONG_MIN);
  EXPECT_TRUE(min.starts_with("人民币负玖亿贰仟贰佰叁拾叁万柒仟贰佰零叁亿")) << min;
  EXPECT_TRUE(min.ends_with("元零捌分")) << min;
}

// ---- Receipt numbers -------------------------------------------------------------------------

TEST(DuesRulesReceipt, NumbersAreYearAndSixDigits) {
  EXPECT_EQ(receipt_number(2026, 17), "2026-000017");
  EXPECT_EQ(receipt_number(2026, 1), "2026-000001");
  EXPECT_EQ(receipt_number(2026, 999999), "2026-999999");
  EXPECT_EQ(receipt_number(2026, 1234567), "2026-1234567");
}

TEST(DuesRulesReceipt, ParsingRoundTrips) {
  for (const long long seq : {1LL, 17LL, 999999LL, 1000000LL, 123456789012LL}) {
    const auto parsed = parse_receipt_number(receipt_number(2026, seq));
    ASSERT_TRUE(parsed.has_value()) << seq;
    EXPECT_EQ(parsed->first, 2026);
    EXPECT_EQ(parsed->second, seq);
  }
}

TEST(DuesRulesReceipt, ParsingIsStrict) {
  for (const char* bad :
       {"", "2026", "2026-", "2026-17", "2026-00017", "26-000017", "02026-000017", "2026-000000",
        "2026_000017", "2026-00001a", " 2026-000017", "2026-000017 ", "2026--00017", "2026-+00017",
        "２０２６-000017", "2026-0000017", "2026-99999999999999999999"}) {
    EXPECT_FALSE(parse_receipt_number(bad).has_value()) << bad;
  }
}

// ---- Ageing, reminders, lapse ----------------------------------------------------------------

TEST(DuesRulesAgeing, BucketsByTheOldestUnpaidYear) {
  EXPECT_EQ(age_bucket(2026, 2026), "current");
  EXPECT_EQ(age_bucket(2027, 2026), "current") << "a year billed ahead is not in arrears";
  EXPECT_EQ(age_bucket(2025, 2026), "1y");
  EXPECT_EQ(age_bucket(2024, 2026), "2y");
  EXPECT_EQ(age_bucket(2023, 2026), "3y+");
  EXPECT_EQ(age_bucket(2010, 2026), "3y+");
}

TEST(DuesRulesReminder, OneAtATimeInOrder) {
  const std::vector<int> days{30, 90, 180};
  EXPECT_FALSE(reminder_due(29, 0, days).has_value());
  EXPECT_EQ(reminder_due(30, 0, days), 0);
  EXPECT_EQ(reminder_due(200, 0, days), 0) << "a late run sends the first one first";
  EXPECT_FALSE(reminder_due(89, 1, days).has_value());
  EXPECT_EQ(reminder_due(90, 1, days), 1);
  EXPECT_EQ(reminder_due(180, 2, days), 2);
  EXPECT_FALSE(reminder_due(1000, 3, days).has_value()) << "all sent";
  EXPECT_FALSE(reminder_due(1000, 0, {}).has_value()) << "no reminders configured";
  EXPECT_EQ(reminder_due(30, -1, days), 0) << "a negative count reads as none sent";
}

TEST(DuesRulesLapse, AnActiveUnitRemindedAndUnpaidLongEnough) {
  EXPECT_TRUE(should_lapse("active", 1, 1, 1));
  EXPECT_TRUE(should_lapse("active", 3, 2, 2));
  EXPECT_FALSE(should_lapse("active", 0, 3, 1)) << "nothing unpaid";
  EXPECT_FALSE(should_lapse("active", 1, 0, 1)) << "never reminded";
  EXPECT_FALSE(should_lapse("active", 1, 3, 2)) << "not long enough";
  for (const char* status : {"lapsed", "suspended", "withdrawn", "expelled", ""}) {
    EXPECT_FALSE(should_lapse(status, 5, 5, 1)) << status;
  }
}

// ---- Statement matching ----------------------------------------------------------------------

MatchCandidate candidate(long long invoice_id, std::string name, std::string short_name = "") {
  MatchCandidate c;
  c.invoice_id = invoice_id;
  c.member_id = invoice_id * 10;
  c.member_name = std::move(name);
  c.short_name = std::move(short_name);
  c.member_no = "XH" + std::to_string(1000 + invoice_id);
  c.year = 2026;
  c.outstanding_fen = 500000;
  return c;
}

StatementLine statement(std::string payer, long long amount_fen, std::string reference = "") {
  StatementLine l;
  l.line = 1;
  l.date = "2026-03-10";
  l.payer = std::move(payer);
  l.amount_fen = amount_fen;
  l.reference = std::move(reference);
  return l;
}

TEST(DuesRulesMatch, ExactNameAndAmount) {
  const auto matches = score_matches(statement("长沙经济技术开发区管理委员会", 500000),
                                     {candidate(1, "长沙经济技术开发区管理委员会", "长沙经开区")});
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].invoice_id, 1);
  EXPECT_EQ(matches[0].member_id, 10);
  EXPECT_EQ(matches[0].member_name, "长沙经济技术开发区管理委员会");
  EXPECT_EQ(matches[0].score, 90);
  EXPECT_EQ(matches[0].reason, "付款人与单位名称一致；金额与应缴一致");
}

TEST(DuesRulesMatch, NamesAreComparedWithoutSpacesBracketsOrCase) {
  const auto matches =
      score_matches(statement(" 湖南 Abc（集团）　有限公司 ", 100),
                    {candidate(1, "湖南ABC(集团)有限公司"), candidate(2, "湖南abc集团有限公司")});
  ASSERT_EQ(matches.size(), 1u) << "brackets fold but do not vanish";
  EXPECT_EQ(matches[0].invoice_id, 1);
  EXPECT_EQ(matches[0].score, 70);
  EXPECT_EQ(matches[0].reason, "付款人与单位名称一致；金额少于应缴（部分付款）");
}

TEST(DuesRulesMatch, FormerNameAndShortName) {
  MatchCandidate renamed = candidate(1, "湘潭天易经济开发区管理委员会");
  renamed.former_names = {"湘潭天易示范区管理委员会"};
  MatchCandidate short_named = candidate(2, "株洲高新技术产业开发区管理委员会", "株洲高新区");
  const auto matches =
      score_matches(statement("湘潭天易示范区管理委员会", 500000), {short_named, renamed});
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].invoice_id, 1);
  EXPECT_EQ(matches[0].score, 85);
  EXPECT_EQ(matches[0].reason, "付款人为单位曾用名；金额与应缴一致");

  auto by_short = score_matches(statement("株洲高新区财务局", 500000), {short_named, renamed});
  ASSERT_EQ(by_short.size(), 1u);
  EXPECT_EQ(by_short[0].invoice_id, 2);
  EXPECT_EQ(by_short[0].score, 65);
  EXPECT_EQ(by_short[0].reason, "付款人含单位简称；金额与应缴一致");

  by_short = score_matches(statement("株洲高新", 500000), {short_named});
  ASSERT_EQ(by_short.size(), 1u) << "the short name may contain the payer";
  EXPECT_EQ(by_short[0].score, 65);
}

TEST(DuesRulesMatch, AOneCharacterShortNameOrPayerIsNoHit) {
  EXPECT_TRUE(
      score_matches(statement("株洲市财政局", 500000), {candidate(1, "某某", "株")}).empty());
  EXPECT_TRUE(
      score_matches(statement("株", 500000), {candidate(1, "株洲高新区", "株洲高新")}).empty());
}

TEST(DuesRulesMatch, ReferenceHits) {
  MatchCandidate c = candidate(1, "岳阳经济技术开发区管理委员会", "岳阳经开区");
  // The payer is a bank or a person: only the reference identifies the unit.
  auto matches = score_matches(statement("张三", 500000, "xh1001 2026年会费"), {c});
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].score, 60);
  EXPECT_EQ(matches[0].reason, "金额与应缴一致；附言含会员编号；附言含年度");

  matches = score_matches(statement("张三", 500000, "代岳阳经开区缴2026年会费"), {c});
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].score, 50);
  EXPECT_EQ(matches[0].reason, "金额与应缴一致；附言含单位名称；附言含年度");

  matches = score_matches(statement("张三", 500000, "代岳阳经济技术开发区 管理委员会缴费"), {c});
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].score, 45);
}

TEST(DuesRulesMatch, AmountAndYearAloneAreNotEnough) {
  EXPECT_TRUE(
      score_matches(statement("张三", 500000, "2026年会费"), {candidate(1, "岳阳经开区")}).empty());
}

TEST(DuesRulesMatch, OverpaymentCostsAndScoresClamp) {
  MatchCandidate c = candidate(1, "益阳高新区");
  c.outstanding_fen = 100000;
  auto matches = score_matches(statement("益阳高新区", 500000), {c});
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].score, 40);
  EXPECT_EQ(matches[0].reason, "付款人与单位名称一致；金额多于应缴");

  c.outstanding_fen = 500000;
  matches = score_matches(statement("益阳高新区", 500000, "XH1001 益阳高新区 2026"), {c});
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].score, 100) << "60 + 30 + 25 + 15 + 5 clamps to 100";

  c.outstanding_fen = 1;
  matches = score_matches(statement("张三", 500000, "益阳高新区"), {c});
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].score, 0) << "15 - 20 clamps to 0";
}

TEST(DuesRulesMatch, BestFirstThenInvoiceIdAndLimited) {
  std::vector<MatchCandidate> cs;
  MatchCandidate partial = candidate(9, "常德经开区");
  partial.outstanding_fen = 900000;                                          // 60 + 10
  MatchCandidate exact_late = candidate(7, "常德经开区");                    // 60 + 30
  MatchCandidate exact_early = candidate(3, "常德经开区");                   // 60 + 30
  MatchCandidate by_short = candidate(1, "常德经济技术开发区", "常德经开");  // 35 + 30
  MatchCandidate none = candidate(2, "衡阳高新区");
  cs = {partial, exact_late, none, by_short, exact_early};
  auto matches = score_matches(statement("常德经开区", 500000), cs);
  ASSERT_EQ(matches.size(), 3u) << "the default limit is 3";
  EXPECT_EQ(matches[0].invoice_id, 3);
  EXPECT_EQ(matches[1].invoice_id, 7);
  EXPECT_EQ(matches[2].invoice_id, 9);
  EXPECT_EQ(matches[2].score, 70);

  matches = score_matches(statement("常德经开区", 500000), cs, 10);
  ASSERT_EQ(matches.size(), 4u) << "the unit without a hit is left out";
  EXPECT_EQ(matches[3].invoice_id, 1);
  EXPECT_EQ(matches[3].score, 65);
  EXPECT_TRUE(score_matches(statement("常德经开区", 500000), cs, 0).empty());
  EXPECT_TRUE(score_matches(statement("常德经开区", 500000), {}).empty());
}

// ---- Settings --------------------------------------------------------------------------------

DuesSettings custom_settings() {
  DuesSettings s;
  s.quorum = {3, 4};
  s.pass = {2, 3};
  s.proration = Proration::quarters;
  s.billing_date_mmdd = "03-15";
  s.lapse_years = 2;
  s.reinstate_on_payment = false;
  s.reminder_days = {15, 45};
  s.association_name = "某省开发区协会";
  s.payee = "某省开发区协会财务部";
  s.bank = {"某省开发区协会", "中国工商银行长沙分行", "1901 0000 0000 1234"};
  return s;
}

void expect_same(const DuesSettings& a, const DuesSettings& b) {
  EXPECT_EQ(a.quorum.num, b.quorum.num);
  EXPECT_EQ(a.quorum.den, b.quorum.den);
  EXPECT_EQ(a.pass.num, b.pass.num);
  EXPECT_EQ(a.pass.den, b.pass.den);
  EXPECT_EQ(a.proration, b.proration);
  EXPECT_EQ(a.billing_date_mmdd, b.billing_date_mmdd);
  EXPECT_EQ(a.lapse_years, b.lapse_years);
  EXPECT_EQ(a.reinstate_on_payment, b.reinstate_on_payment);
  EXPECT_EQ(a.reminder_days, b.reminder_days);
  EXPECT_EQ(a.association_name, b.association_name);
  EXPECT_EQ(a.payee, b.payee);
  EXPECT_EQ(a.bank.account_name, b.bank.account_name);
  EXPECT_EQ(a.bank.bank_name, b.bank.bank_name);
  EXPECT_EQ(a.bank.account_no, b.bank.account_no);
}

TEST(DuesRulesSettings, StoredForm) {
  const auto rows = settings_to_rows(DuesSettings{});
  EXPECT_EQ(rows.size(), 12u);
  EXPECT_EQ(rows.at("dues.quorum"), "2/3");
  EXPECT_EQ(rows.at("dues.pass"), "1/2");
  EXPECT_EQ(rows.at("dues.proration"), "half_after_july");
  EXPECT_EQ(rows.at("dues.billing_date"), "01-01");
  EXPECT_EQ(rows.at("dues.lapse_years"), "1");
  EXPECT_EQ(rows.at("dues.reinstate_on_payment"), "true");
  EXPECT_EQ(rows.at("dues.reminder_days"), "30,90,180");
  EXPECT_EQ(rows.at("dues.association_name"), "湖南省开发区协会");
  EXPECT_EQ(rows.at("dues.payee"), "湖南省开发区协会秘书处");
  EXPECT_EQ(rows.at("dues.bank.account_name"), "");
  EXPECT_EQ(rows.at("dues.bank.bank_name"), "");
  EXPECT_EQ(rows.at("dues.bank.account_no"), "");
  EXPECT_EQ(settings_to_rows(custom_settings()).at("dues.reinstate_on_payment"), "false");
}

TEST(DuesRulesSettings, RoundTrip) {
  expect_same(settings_from_rows(settings_to_rows(custom_settings())), custom_settings());
  expect_same(settings_from_rows(settings_to_rows(DuesSettings{})), DuesSettings{});
  DuesSettings none = custom_settings();
  none.reminder_days.clear();
  none.proration = Proration::full;
  expect_same(settings_from_rows(settings_to_rows(none)), none);
}

TEST(DuesRulesSettings, MissingRowsKeepDefaults) {
  expect_same(settings_from_rows({}), DuesSettings{});
  const auto s = settings_from_rows({{"dues.lapse_years", "3"}, {"other.key", "x"}});
  EXPECT_EQ(s.lapse_years, 3);
  EXPECT_EQ(s.quorum.num, 2);
  EXPECT_EQ(s.reminder_days, (std::vector<int>{30, 90, 180}));
}

TEST(DuesRulesSettings, MalformedRowsKeepDefaults) {
  const std::map<std::string, std::string> rows = {
      {"dues.quorum", "2-3"},           {"dues.pass", "3/2"},
      {"dues.proration", "monthly"},    {"dues.billing_date", "13-01"},
      {"dues.lapse_years", "two"},      {"dues.reinstate_on_payment", "yes"},
      {"dues.reminder_days", "30,,90"},
  };
  expect_same(settings_from_rows(rows), DuesSettings{});
  for (const auto& [key, value] :
       std::vector<std::pair<std::string, std::string>>{{"dues.quorum", "0/3"},
                                                        {"dues.quorum", "2/3x"},
                                                        {"dues.lapse_years", "0"},
                                                        {"dues.lapse_years", "1 "},
                                                        {"dues.reminder_days", "90,30"},
                                                        {"dues.reminder_days", "30,abc"},
                                                        {"dues.billing_date", "02-29"}}) {
    expect_same(settings_from_rows({{key, value}}), DuesSettings{});
  }
  EXPECT_EQ(settings_from_rows({{"dues.quorum", "0/3"}}).quorum.num, 2);
  EXPECT_EQ(settings_from_rows({{"dues.reminder_days", "90,30"}}).reminder_days,
            (std::vector<int>{30, 90, 180}));
  EXPECT_EQ(settings_from_rows({{"dues.billing_date", "2/1"}}).billing_date_mmdd, "01-01");
}

TEST(DuesRulesSettings, ProrationNames) {
  for (const auto p : {Proration::full, Proration::half_after_july, Proration::quarters}) {
    EXPECT_EQ(parse_proration(to_string(p)), p);
  }
  EXPECT_EQ(to_string(Proration::half_after_july), "half_after_july");
  EXPECT_FALSE(parse_proration("").has_value());
  EXPECT_FALSE(parse_proration("Full").has_value());
  EXPECT_FALSE(parse_proration("half").has_value());
}

TEST(DuesRulesSettings, DefaultsAndCustomAreValid) {
  EXPECT_TRUE(check_settings(DuesSettings{}).empty());
  EXPECT_TRUE(check_settings(custom_settings()).empty());
  DuesSettings s;
  s.quorum = {1000, 1000};
  s.pass = {1, 1000};
  s.lapse_years = 10;
  s.reminder_days = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 3650};
  s.billing_date_mmdd = "12-31";
  s.bank.account_no = std::string(40, '9');
  EXPECT_TRUE(check_settings(s).empty());
}

TEST(DuesRulesSettings, NamesEachBadField) {
  DuesSettings s;
  s.quorum = {0, 3};
  s.pass = {3, 2};
  s.lapse_years = 0;
  s.reminder_days = {90, 30};
  s.billing_date_mmdd = "1-1";
  s.association_name = "";
  s.payee = std::string(101, 'x');
  s.bank.account_name = "a\x1b";
  s.bank.bank_name = std::string(101, 'x');
  s.bank.account_no = "6222-0000";
  EXPECT_EQ(fields_of(check_settings(s)),
            (std::vector<std::string>{"quorum", "pass", "lapse_years", "reminder_days",
                                      "billing_date", "association_name", "payee",
                                      "bank.account_name", "bank.bank_name", "bank.account_no"}));
}

TEST(DuesRulesSettings, Limits) {
  const auto one = [](auto change) {
    DuesSettings s;
    change(s);
    return fields_of(check_settings(s));
  };
  using F = std::vector<std::string>;
  EXPECT_EQ(one([](DuesSettings& s) { s.quorum = {1001, 1001}; }), F{"quorum"});
  EXPECT_EQ(one([](DuesSettings& s) { s.pass = {1, 0}; }), F{"pass"});
  EXPECT_EQ(one([](DuesSettings& s) { s.lapse_years = 11; }), F{"lapse_years"});
  EXPECT_EQ(one([](DuesSettings& s) { s.reminder_days = {0}; }), F{"reminder_days"});
  EXPECT_EQ(one([](DuesSettings& s) { s.reminder_days = {3651}; }), F{"reminder_days"});
  EXPECT_EQ(one([](DuesSettings& s) { s.reminder_days = {30, 30}; }), F{"reminder_days"});
  EXPECT_EQ(one([](DuesSettings& s) { s.reminder_days = std::vector<int>(13, 1); }),
            F{"reminder_days"});
  EXPECT_EQ(one([](DuesSettings& s) {
              s.reminder_days.clear();
              for (int i = 1; i <= 13; ++i) s.reminder_days.push_back(i);
            }),
            F{"reminder_days"});
  EXPECT_EQ(one([](DuesSettings& s) { s.reminder_days.clear(); }), F{});
  EXPECT_EQ(one([](DuesSettings& s) { s.billing_date_mmdd = "02-29"; }), F{"billing_date"});
  EXPECT_EQ(one([](DuesSettings& s) { s.billing_date_mmdd = "04-31"; }), F{"billing_date"});
  EXPECT_EQ(one([](DuesSettings& s) { s.billing_date_mmdd = "01-01 "; }), F{"billing_date"});
  EXPECT_EQ(one([](DuesSettings& s) { s.bank.account_no = std::string(41, '1'); }),
            F{"bank.account_no"});
  EXPECT_EQ(one([](DuesSettings& s) {
              s.association_name.clear();
              for (int i = 0; i < 100; ++i) s.association_name += "协";
            }),
            F{})
      << "100 characters are 300 bytes";
}

}  // namespace
}  // namespace xiehui::dues
