// The pure rules of personal information: consent against the notice in force, who sees what
// masked, the fields of an export, and retention's cutoffs.

#include <gtest/gtest.h>

#include "core/time.hpp"
#include "services/privacy/consent.hpp"
#include "services/privacy/export_fields.hpp"
#include "services/privacy/retention.hpp"
#include "services/privacy/sight.hpp"

namespace xiehui::privacy {
namespace {

TEST(ConsentRefusal, OnlyTheVersionInForceIsAccepted) {
  EXPECT_FALSE(consent_refusal(3, 3).has_value());
  const auto missing = consent_refusal(std::nullopt, 3);
  ASSERT_TRUE(missing.has_value());
  EXPECT_EQ(missing->field, "consent_version");
  const auto stale = consent_refusal(2, 3);
  ASSERT_TRUE(stale.has_value());
  EXPECT_EQ(stale->field, "consent_version");
  EXPECT_NE(stale->message.zh.find("第 3 版"), std::string::npos) << stale->message.zh;
  EXPECT_TRUE(consent_refusal(4, 3).has_value()) << "a version not yet published";
}

Principal with(std::vector<Role> roles, std::optional<long long> unit = std::nullopt) {
  Principal p;
  p.user_id = 7;
  p.username = "someone";
  p.roles = std::move(roles);
  p.member_id = unit;
  return p;
}

TEST(Sight, StaffInFullAndLoggedTheUnitItsOwnLeadersMasked) {
  EXPECT_EQ(sight_of(with({Role::staff}), Permission::training_manage), Sight::full_logged);
  EXPECT_EQ(sight_of(with({Role::member}, 3), Permission::training_manage), Sight::full_own);
  EXPECT_EQ(sight_of(with({Role::leader}), Permission::training_manage), Sight::masked);
  EXPECT_EQ(sight_of(with({Role::admin}), Permission::training_manage), Sight::masked);
}

TEST(Masking, MobilesAndAddressesKeepTooLittleToContactAnyone) {
  EXPECT_EQ(mask_mobile("13900000002"), "139****0002");
  EXPECT_EQ(mask_mobile("12345"), "****");
  EXPECT_EQ(mask_mobile(""), "");
  EXPECT_EQ(mask_email("zhang.san@example.com"), "z***@example.com");
  EXPECT_EQ(mask_email("张三@例子.cn"), "张***@例子.cn") << "a whole first character";
  EXPECT_EQ(mask_email("nobody"), "***");
  EXPECT_EQ(mask_email(""), "");
  std::string value = "13900000002";
  mask_mobile_if(Sight::full_logged, value);
  EXPECT_EQ(value, "13900000002");
  mask_mobile_if(Sight::masked, value);
  EXPECT_EQ(value, "139****0002");
}

TEST(ExportFields, OnlyMobileAndEmailAreAskedFor) {
  auto none = parse_export_fields("");
  ASSERT_TRUE(none.has_value());
  EXPECT_FALSE(none->mobile || none->email);
  auto both = parse_export_fields("email,mobile");
  ASSERT_TRUE(both.has_value());
  EXPECT_TRUE(both->mobile && both->email);
  const auto bad = parse_export_fields("mobile,idcard");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().fields.at(0).field, "fields");
  EXPECT_EQ(describe_fields("姓名", {.mobile = true}), "姓名、手机");
  const Table note = export_note(with({Role::staff}), "姓名、手机", true, Timestamp{});
  ASSERT_GE(note.rows.size(), 3u);
  EXPECT_EQ(note.rows[0][1], "姓名、手机（联系方式已遮挡）");
}

TEST(Retention, CutoffsAreWholeYearsBeforeTodayInShanghai) {
  RetentionSettings s;
  s.enrollment_years = 3;
  s.rejected_application_years = 1;
  s.outbox_days = 30;
  // 2028-02-29 20:00 UTC is already 1 March in Shanghai.
  const Timestamp now = *parse_instant("2028-02-29T20:00:00Z");
  const auto cut = retention_cutoffs(s, now);
  ASSERT_EQ(cut.size(), 5u);
  EXPECT_EQ(cut[0].item.kind, "enrollment");
  EXPECT_EQ(cut[0].item.cutoff, "2025-03-01");
  EXPECT_EQ(cut[0].before, *parse_instant("2025-03-01T00:00:00+08:00"));
  EXPECT_EQ(cut[3].item.kind, "rejected_application");
  EXPECT_EQ(cut[3].item.cutoff, "2027-03-01");
  EXPECT_EQ(cut[4].item.cutoff, "2028-01-31");
  // 29 February minus a year is the last day of that February.
  const auto leap = retention_cutoffs(s, *parse_instant("2028-02-29T09:00:00+08:00"));
  EXPECT_EQ(leap[3].item.cutoff, "2027-02-28");
}

TEST(Retention, SettingsAreCheckedAndTheDailyRunWaitsForThreeOClock) {
  RetentionSettings s;
  EXPECT_TRUE(check_retention(s).empty());
  s.enrollment_years = 0;
  s.outbox_days = 4000;
  const auto errors = check_retention(s);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].field, "enrollment_years");
  EXPECT_EQ(errors[1].field, "outbox_days");
  RetentionSettings on;
  EXPECT_FALSE(retention_due(on, *parse_instant("2026-12-06T04:00:00+08:00"))) << "off";
  on.daily = true;
  EXPECT_FALSE(retention_due(on, *parse_instant("2026-12-06T02:59:00+08:00")));
  EXPECT_TRUE(retention_due(on, *parse_instant("2026-12-06T03:00:00+08:00")));
  RetentionPatch patch;
  patch.outbox_days = 90;
  const auto applied = patch.applied_to(RetentionSettings{});
  EXPECT_EQ(applied.outbox_days, 90);
  EXPECT_EQ(applied.enrollment_years, 3);
}

}  // namespace
}  // namespace xiehui::privacy
