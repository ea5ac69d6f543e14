// The place rules training and visits share: placement, quotas, promotion and half-day check-ins.

#include "services/places/place_rules.hpp"

#include <gtest/gtest.h>

namespace xiehui::places {
namespace {

TEST(PlaceRules, APlaceWhileFreeAndNobodyWaits) {
  EXPECT_EQ(place({2, 1, 0}), Placement::confirmed);
  EXPECT_EQ(place({2, 2, 0}), Placement::waitlisted);
  // Nobody passes the waitlist, even beside a free place.
  EXPECT_EQ(place({3, 1, 1}), Placement::waitlisted);
}

TEST(PlaceRules, QuotasCountWhatIsHeld) {
  EXPECT_TRUE(within_quota(std::nullopt, 1000));
  EXPECT_TRUE(within_quota(3, 2));
  EXPECT_FALSE(within_quota(3, 3));
}

TEST(PlaceRules, PromotionsFillFreePlacesFromTheWaitlistOnly) {
  EXPECT_EQ(promotions({5, 3, 10}), 2);
  EXPECT_EQ(promotions({5, 3, 1}), 1);
  EXPECT_EQ(promotions({5, 5, 4}), 0);
  EXPECT_EQ(promotions({5, 6, 4}), 0);
}

TEST(PlaceRules, CapacityMayNotGoBelowWhatIsTaken) {
  EXPECT_FALSE(capacity_refusal({5, 5, 0}, {"已录取", "approved"}));
  auto e = capacity_refusal({4, 5, 0}, {"已录取", "approved"});
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, ErrorCode::conflict);
  EXPECT_EQ(e->fields.at(0).field, "capacity");
}

TEST(PlaceRules, SlotsCoverEveryHalfDayAndCheckInsOutsideNeedAReason) {
  const Date first = *parse_date("2026-10-12"), last = *parse_date("2026-10-13");
  const auto slots = attendance_slots(first, last);
  ASSERT_EQ(slots.size(), 4u);
  EXPECT_EQ(slots[3], (Slot{"2026-10-13", "pm"}));
  EXPECT_EQ(slot_at(*parse_instant("2026-10-12T11:59:00+08:00")), (Slot{"2026-10-12", "am"}));
  EXPECT_EQ(slot_at(*parse_instant("2026-10-12T04:00:00Z")), (Slot{"2026-10-12", "pm"}));
  const Text name{"考察日期", "the visit's days"};
  EXPECT_FALSE(check_in_refusal(first, last, {"2026-10-13", "am"}, std::nullopt, name));
  auto out = check_in_refusal(first, last, {"2026-10-14", "am"}, std::nullopt, name);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->code, ErrorCode::conflict);
  EXPECT_NE(out->message.zh.find("考察日期"), std::string::npos);
  EXPECT_FALSE(check_in_refusal(first, last, {"2026-10-14", "am"}, std::string("提前"), name));
  EXPECT_EQ(check_in_refusal(first, last, {"2026-10-14", "am"}, std::string(""), name)->code,
            ErrorCode::invalid_argument);
}

}  // namespace
}  // namespace xiehui::places
