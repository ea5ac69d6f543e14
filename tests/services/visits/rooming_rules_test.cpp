// Rooming: twin rooms by gender, the same unit first, odd ones alone, staff's swaps checked.

#include "services/visits/rooming_rules.hpp"

#include <gtest/gtest.h>

namespace xiehui::visits {
namespace {

Delegate person(long long id, long long unit, char gender, bool shares = true) {
  Delegate d;
  d.id = id;
  d.member_id = unit;
  d.gender = std::string(1, gender);
  d.shares_room = shares;
  d.name = std::to_string(id);
  return d;
}

std::vector<std::vector<long long>> ids(const std::vector<Room>& rooms) {
  std::vector<std::vector<long long>> out;
  for (const auto& r : rooms) out.push_back(r.delegates);
  return out;
}

TEST(RoomingRules, SameUnitFirstThenAcrossUnitsAndTheOddOneAlone) {
  // Unit 1: men 1, 2, 3; unit 2: man 4; unit 3: man 5.
  const auto rooms = pair_rooms({person(1, 1, 'm'), person(2, 1, 'm'), person(3, 1, 'm'),
                                 person(4, 2, 'm'), person(5, 3, 'm')});
  EXPECT_EQ(ids(rooms), (std::vector<std::vector<long long>>{{1, 2}, {3, 4}, {5}}));
}

TEST(RoomingRules, MenAndWomenNeverShareAndSinglesStayAlone) {
  const auto rooms = pair_rooms({person(1, 1, 'm'), person(2, 1, 'f'), person(3, 2, 'f'),
                                 person(4, 2, 'm', false), person(5, 3, 'm')});
  EXPECT_EQ(ids(rooms), (std::vector<std::vector<long long>>{{1, 5}, {2, 3}, {4}}));
}

TEST(RoomingRules, OddNumbersOfEachGender) {
  const auto rooms = pair_rooms({person(1, 1, 'f'), person(2, 1, 'm'), person(3, 1, 'f'),
                                 person(4, 1, 'f'), person(5, 1, 'm'), person(6, 1, 'm')});
  EXPECT_EQ(ids(rooms), (std::vector<std::vector<long long>>{{2, 5}, {6}, {1, 3}, {4}}));
  EXPECT_TRUE(pair_rooms({}).empty());
}

TEST(RoomingRules, StaffRoomingIsChecked) {
  const std::vector<Delegate> approved = {person(1, 1, 'm'), person(2, 1, 'f'), person(3, 2, 'm')};
  EXPECT_TRUE(check_rooming({{{1, 3}}, {{2}}}, approved).empty());
  auto mixed = check_rooming({{{1, 2}}}, approved);
  ASSERT_EQ(mixed.size(), 1u);
  EXPECT_EQ(mixed[0].field, "rooms[0]");
  auto twice = check_rooming({{{1}}, {{1, 3}}}, approved);
  ASSERT_EQ(twice.size(), 1u);
  EXPECT_EQ(twice[0].field, "rooms[1]");
  EXPECT_EQ(check_rooming({{{9}}}, approved).at(0).field, "rooms[0]");
  EXPECT_EQ(check_rooming({{{}}}, approved).at(0).field, "rooms[0]");
  EXPECT_EQ(check_rooming({{{1, 3, 2}}}, approved).size(), 1u);
}

TEST(RoomingRules, SavedRoomsAreKeptAndTheRestPairedAgain) {
  const std::vector<Delegate> approved = {person(1, 1, 'm'), person(2, 1, 'm'), person(3, 2, 'm'),
                                          person(4, 2, 'm')};
  // Saved: 1 with 3; 9 has since withdrawn; 2 and 4 were approved later.
  const auto rooms = complete_rooming({{{1, 3}}, {{9}}}, approved);
  EXPECT_EQ(ids(rooms), (std::vector<std::vector<long long>>{{1, 3}, {2, 4}}));
}

}  // namespace
}  // namespace xiehui::visits
