#include "services/training/training_rules.hpp"

#include <gtest/gtest.h>

namespace xiehui::training {
namespace {

TrainingClass cls(int capacity, int confirmed, int waitlisted, std::optional<int> quota = {}) {
  TrainingClass c;
  c.capacity = capacity;
  c.confirmed = confirmed;
  c.waitlisted = waitlisted;
  c.per_member_quota = quota;
  return c;
}

Timestamp at(const char* iso) { return *parse_instant(iso); }

TEST(TrainingRules, SeatsThenWaitlist) {
  EXPECT_EQ(place(cls(30, 0, 0)), Placement::confirmed);
  EXPECT_EQ(place(cls(30, 29, 0)), Placement::confirmed);
  EXPECT_EQ(place(cls(30, 30, 0)), Placement::waitlisted);
  EXPECT_EQ(place(cls(30, 30, 5)), Placement::waitlisted);
  EXPECT_EQ(place(cls(10, 12, 0)), Placement::waitlisted) << "over capacity never confirms";
}

TEST(TrainingRules, QuotaCountsEveryHeldPlace) {
  EXPECT_TRUE(within_quota(cls(30, 0, 0), 1000)) << "no quota";
  EXPECT_TRUE(within_quota(cls(30, 0, 0, 3), 2));
  EXPECT_FALSE(within_quota(cls(30, 0, 0, 3), 3));
}

TEST(TrainingRules, PromotionsFillFreedSeatsFromTheWaitlist) {
  EXPECT_EQ(promotions(cls(30, 29, 5)), 1);
  EXPECT_EQ(promotions(cls(40, 30, 5)), 5) << "no more than are waiting";
  EXPECT_EQ(promotions(cls(30, 30, 5)), 0);
  EXPECT_EQ(promotions(cls(30, 10, 0)), 0);
  EXPECT_EQ(promotions(cls(20, 25, 3)), 0) << "never negative";
}

TEST(TrainingRules, SignUpRefusals) {
  TrainingClass c = cls(30, 0, 0);
  c.status = "open";
  c.signup_deadline = at("2026-12-01T18:00:00+08:00");
  EXPECT_FALSE(signup_refusal(c, at("2026-12-01T17:59:59+08:00")).has_value());
  auto late = signup_refusal(c, at("2026-12-01T18:00:01+08:00"));
  ASSERT_TRUE(late.has_value());
  EXPECT_EQ(late->code, ErrorCode::conflict);
  EXPECT_NE(late->message.zh.find("截止"), std::string::npos);
  c.status = "closed";
  EXPECT_EQ(signup_refusal(c, at("2026-11-01T00:00:00+08:00"))->code, ErrorCode::conflict);
}

TEST(TrainingRules, StatusTransitions) {
  EXPECT_TRUE(class_status_change_allowed("draft", "open"));
  EXPECT_TRUE(class_status_change_allowed("open", "closed"));
  EXPECT_TRUE(class_status_change_allowed("closed", "open"));
  EXPECT_TRUE(class_status_change_allowed("closed", "finished"));
  EXPECT_TRUE(class_status_change_allowed("open", "cancelled"));
  EXPECT_FALSE(class_status_change_allowed("draft", "finished"));
  EXPECT_FALSE(class_status_change_allowed("finished", "open"));
  EXPECT_FALSE(class_status_change_allowed("cancelled", "open"));
  EXPECT_FALSE(class_status_change_allowed("open", "draft"));
  EXPECT_FALSE(class_status_change_allowed("open", "paused"));
}

TEST(TrainingRules, HalfDaySlotsAndTheAttendanceRule) {
  TrainingClass c = cls(30, 0, 0);
  c.starts_at = at("2026-12-07T09:00:00+08:00");
  c.ends_at = at("2026-12-09T17:00:00+08:00");
  c.min_attendance_percent = 80;
  const auto slots = attendance_slots(c);
  ASSERT_EQ(slots.size(), 6u);
  EXPECT_EQ(slots.front(), (std::pair<std::string, std::string>{"2026-12-07", "am"}));
  EXPECT_EQ(slots.back(), (std::pair<std::string, std::string>{"2026-12-09", "pm"}));
  EXPECT_FALSE(meets_attendance_rule(c, 4)) << "4/6 = 67%";
  EXPECT_TRUE(meets_attendance_rule(c, 5)) << "5/6 = 83%";
  // A class starting 00:30 Shanghai time is still that day, not the UTC day before.
  c.starts_at = at("2026-12-07T00:30:00+08:00");
  EXPECT_EQ(attendance_slots(c).front().first, "2026-12-07");
}

TEST(TrainingRules, CheckInSlotFollowsShanghaiTime) {
  EXPECT_EQ(slot_at(at("2026-12-07T11:59:00+08:00")),
            (std::pair<std::string, std::string>{"2026-12-07", "am"}));
  EXPECT_EQ(slot_at(at("2026-12-07T12:00:00+08:00")),
            (std::pair<std::string, std::string>{"2026-12-07", "pm"}));
  EXPECT_EQ(slot_at(at("2026-12-06T17:00:00Z")),
            (std::pair<std::string, std::string>{"2026-12-07", "am"}))
      << "01:00 on the 7th in Shanghai";
}

TEST(TrainingRules, CheckInsOutsideTheClassDatesNeedAReason) {
  TrainingClass c;
  c.starts_at = at("2026-12-07T09:00:00+08:00");
  c.ends_at = at("2026-12-08T17:00:00+08:00");
  using Slot = std::pair<std::string, std::string>;
  EXPECT_FALSE(check_in_refusal(c, Slot{"2026-12-07", "am"}, std::nullopt));
  EXPECT_FALSE(check_in_refusal(c, Slot{"2026-12-08", "pm"}, std::nullopt));
  auto outside = check_in_refusal(c, Slot{"2026-12-09", "am"}, std::nullopt);
  ASSERT_TRUE(outside);
  EXPECT_EQ(outside->code, ErrorCode::conflict);
  ASSERT_EQ(outside->fields.size(), 1u);
  EXPECT_EQ(outside->fields[0].field, "day");
  EXPECT_NE(outside->message.zh.find("2026-12-07"), std::string::npos) << outside->message.zh;
  EXPECT_TRUE(check_in_refusal(c, Slot{"2026-12-06", "pm"}, std::nullopt)) << "the day before";
  EXPECT_FALSE(check_in_refusal(c, Slot{"2026-12-09", "am"}, std::string("补签：暴雪顺延一天")));
  for (const std::string& bad : {std::string(), std::string(201, 'x'), std::string("a\x01b")}) {
    auto r = check_in_refusal(c, Slot{"2026-12-09", "am"}, bad);
    ASSERT_TRUE(r) << bad;
    EXPECT_EQ(r->code, ErrorCode::invalid_argument);
    ASSERT_EQ(r->fields.size(), 1u);
    EXPECT_EQ(r->fields[0].field, "override_reason");
  }
  EXPECT_FALSE(check_in_refusal(c, Slot{"2026-12-09", "am"}, std::string(200, 'x')));
  std::string chinese;
  for (int i = 0; i < 200; ++i) chinese += "字";
  EXPECT_FALSE(check_in_refusal(c, Slot{"2026-12-09", "am"}, chinese))
      << "200 characters, not bytes";
}

TEST(TrainingRules, ClassAndAttendeeChecks) {
  TrainingClass c = cls(0, 0, 0, 0);
  c.venue = "";
  c.starts_at = at("2026-12-07T09:00:00+08:00");
  c.ends_at = at("2026-12-06T09:00:00+08:00");
  c.signup_deadline = at("2026-12-08T09:00:00+08:00");
  c.fee_fen = -1;
  std::vector<std::string> fields;
  for (const auto& e : check_class(c)) fields.push_back(e.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"venue", "ends_at", "signup_deadline", "capacity",
                                              "per_member_quota", "fee_fen"}));
  Attendee a{" 张三 ", "", "+86 139-0000-0001", "", ""};
  EXPECT_TRUE(check_attendee(a).empty());
  EXPECT_EQ(a.name, "张三");
  EXPECT_EQ(a.mobile, "13900000001");
  EXPECT_EQ(a.lodging, "none");
  Attendee bad{"", "", "12345", "x@", "tent"};
  fields.clear();
  for (const auto& e : check_attendee(bad)) fields.push_back(e.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"attendee.name", "attendee.mobile", "attendee.email",
                                              "attendee.lodging"}));
}

}  // namespace
}  // namespace xiehui::training
