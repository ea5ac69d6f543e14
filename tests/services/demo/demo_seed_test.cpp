#include "services/demo/demo_seed.hpp"

#include <gtest/gtest.h>

#include <set>

#include "core/db/migrator.hpp"
#include "core/validate.hpp"
#include "services/demo/demo_zones.hpp"
#include "services/dues/dues_service.hpp"
#include "tests/support/test_database.hpp"

namespace xiehui::demo {
namespace {

using testing::BackendName;
using testing::TestDatabase;

TEST(DemoZones, TheEmbeddedListHasTheSixtyTwoZones) {
  const auto zones = parse_demo_zones(hunan_zones_csv());
  ASSERT_EQ(zones.size(), 62u);
  EXPECT_EQ(zones[0].name, "长沙经济技术开发区");
  EXPECT_EQ(zones[0].level, "national");
  std::set<std::string> levels, types;
  for (const auto& z : zones) {
    levels.insert(z.level);
    types.insert(z.type);
    EXPECT_NE(find_division(hunan_prefectures(), z.city_code), nullptr) << z.name;
  }
  EXPECT_EQ(levels, (std::set<std::string>{"national", "provincial"}));
  EXPECT_TRUE(types.contains("customs_zone"));
  EXPECT_TRUE(types.contains("industrial_park"));
}

TEST(DemoZones, ParsesCrLfAndSkipsBrokenRows) {
  const auto zones = parse_demo_zones(
      "name,short_name,level,type,city,city_code\r\n甲园区,,省级,综合保税区,长沙市,430100\r\n"
      ",x,省级,y,z,430100\r\n乙园区,乙,其他,经济开发区,长沙市,4301\r\n");
  ASSERT_EQ(zones.size(), 1u);
  EXPECT_EQ(zones[0].short_name, "甲园区") << "an empty short name falls back to the name";
  EXPECT_EQ(zones[0].type, "customs_zone");
  EXPECT_EQ(zones[0].city_code, "430100");
}

TEST(DemoZones, FictitiousCreditCodesPassTheCheckAndDiffer) {
  std::set<std::string> codes;
  for (int i = 1; i <= 70; ++i) {
    const std::string code = demo_uscc("430100", i);
    EXPECT_TRUE(normalise_uscc(code).has_value()) << code;
    codes.insert(code);
  }
  EXPECT_EQ(codes.size(), 70u);
}

class DemoSeedTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto db = db::Database::open(test_db_.connection_string(), 4);
    ASSERT_TRUE(db.has_value());
    db_ = std::move(*db);
    ASSERT_TRUE(db::migrate(*db_, db::embedded_migrations(db_->dialect()), clock_));
  }
  long long count(const std::string& sql) {
    return db_
        ->with_session([&](soci::session& s) -> Result<long long> {
          long long v = 0;
          s << sql, soci::into(v);
          return v;
        })
        .value_or(-1);
  }

  TestDatabase test_db_{GetParam(), TestDatabase::Schema::migrated};
  ManualClock clock_{Timestamp{std::chrono::seconds{1'790'000'000}}};
  accounts::PasswordHasher hasher_{{1, 8 * 1024}};
  std::unique_ptr<db::Database> db_;
};

TEST_P(DemoSeedTest, SeedsZonesAccountsAndApplicationsOnce) {
  accounts::AccountsService accounts(*db_, hasher_, clock_);
  membership::MembershipService membership(*db_, hasher_, clock_);
  ASSERT_TRUE(seed_demo(*db_, accounts, membership, clock_));
  EXPECT_EQ(count("SELECT COUNT(*) FROM members"), 62);
  EXPECT_EQ(count("SELECT COUNT(*) FROM members WHERE tier = 'president'"), 1);
  EXPECT_GT(count("SELECT COUNT(*) FROM members WHERE status <> 'active'"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM applications WHERE status = 'pending'"), 3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM member_contacts WHERE contact_role = 'representative'"), 62)
      << "every demo unit has a (fictitious) representative";
  EXPECT_EQ(count("SELECT COUNT(DISTINCT mobile) FROM member_contacts"), 62);
  EXPECT_EQ(count("SELECT COUNT(*) FROM member_history h JOIN members m ON m.id = h.member_id "
                  "WHERE h.kind = 'name' AND h.from_value = '益阳龙岭工业集中区' "
                  "AND m.name = '益阳龙岭产业开发区' AND h.effective_on = '2021-01-01'"),
            1)
      << "renames noted in the zones CSV become name history";
  EXPECT_EQ(count("SELECT COUNT(*) FROM member_history WHERE from_value = 'it'"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM classes WHERE status = 'open'"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM enrollments WHERE status = 'waitlisted'"), 2)
      << "the demo shows a full class with a waitlist";
  EXPECT_EQ(count("SELECT COUNT(*) FROM member_status_history"),
            count("SELECT COUNT(*) FROM members WHERE status <> 'active'"))
      << "every demo unit that is not active has the change on record";
  EXPECT_EQ(count("SELECT COUNT(*) FROM users u JOIN members m ON m.id = u.member_id "
                  "WHERE u.username = 'changsha' AND m.name = '长沙经济技术开发区'"),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM visits WHERE status = 'completed' AND report_text <> '' "
                  "AND report_published_at IS NOT NULL AND title LIKE '%苏州工业园区%'"),
            1)
      << "a past visit to 苏州工业园区 with its report";
  EXPECT_EQ(count("SELECT COUNT(*) FROM visits WHERE status = 'open'"), 1);
  EXPECT_GT(count("SELECT COUNT(*) FROM visit_delegates WHERE status = 'pending'"), 0)
      << "the open visit has applications waiting for the secretariat";
  EXPECT_GT(count("SELECT COUNT(*) FROM visit_attendance"), 100);
  EXPECT_EQ(count("SELECT COUNT(*) FROM host_offers"), 5);
  EXPECT_EQ(count("SELECT COUNT(*) FROM visit_interests"), 5);
  const long long payments = count("SELECT COUNT(*) FROM dues_payments");
  ASSERT_TRUE(seed_demo(*db_, accounts, membership, clock_)) << "a second start adds nothing";
  EXPECT_EQ(count("SELECT COUNT(*) FROM members"), 62);
  EXPECT_EQ(count("SELECT COUNT(*) FROM applications"), 3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM enrollments"), 10) << "training seeded once";
  EXPECT_EQ(count("SELECT COUNT(*) FROM users"), 4 + 3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM dues_payments"), payments) << "dues seeded once";
  EXPECT_EQ(count("SELECT COUNT(*) FROM dues_schedules"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM dues_invoices"), 2 * 58);
  EXPECT_EQ(count("SELECT COUNT(*) FROM visits"), 2) << "visits seeded once";
}

TEST_P(DemoSeedTest, SeedsTwoYearsOfDues) {
  accounts::AccountsService accounts(*db_, hasher_, clock_);
  membership::MembershipService membership(*db_, hasher_, clock_);
  ASSERT_TRUE(seed_demo(*db_, accounts, membership, clock_));
  EXPECT_EQ(count("SELECT COUNT(*) FROM dues_schedules WHERE published_at IS NOT NULL "
                  "AND superseded_at IS NULL AND year IN (2025, 2026)"),
            2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM dues_schedules WHERE year = 2026 "
                  "AND meeting_name = '第三届第三次会员大会' AND held_on = '2025-12-20' "
                  "AND secret_ballot = 1 AND 3 * present >= 2 * entitled "
                  "AND 2 * votes_for >= present"),
            1);
  const long long active = count("SELECT COUNT(*) FROM members WHERE status = 'active'");
  EXPECT_EQ(active, 57) << "58 active units were billed; one of them lapsed since";
  EXPECT_EQ(count("SELECT COUNT(*) FROM dues_invoices WHERE year = 2025"), active + 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM dues_invoices WHERE year = 2026"), active + 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM dues_invoices WHERE year = 2025 AND status <> 'paid'"), 1)
      << "every unit but the one that lapsed paid 2025";
  for (const char* status : {"paid", "partial", "unpaid"}) {
    EXPECT_GT(count(std::string("SELECT COUNT(*) FROM dues_invoices WHERE year = 2026 AND "
                                "status = '") +
                    status + "'"),
              0)
        << status;
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM dues_payments WHERE status = 'void' "
                  "AND reverse_reason IS NOT NULL AND reversed_at IS NOT NULL"),
            2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM dues_invoices i WHERE i.paid_fen <> (SELECT "
                  "COALESCE(SUM(p.amount_fen), 0) FROM dues_payments p "
                  "WHERE p.invoice_id = i.id AND p.status = 'valid')"),
            0)
      << "what each invoice says was paid is what its valid receipts add up to";
  EXPECT_EQ(count("SELECT MAX(receipt_seq) FROM dues_payments WHERE receipt_year = 2025"),
            count("SELECT COUNT(*) FROM dues_payments WHERE receipt_year = 2025"))
      << "receipt numbers have no gaps";
  EXPECT_EQ(count("SELECT COUNT(*) FROM dues_reductions WHERE revoked_at IS NULL AND percent = 50"),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM dues_invoices WHERE reduced_fen > 0 AND status = 'paid'"),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM member_status_history h JOIN members m "
                  "ON m.id = h.member_id WHERE h.to_status = 'lapsed' AND m.status = 'lapsed' "
                  "AND h.reason LIKE '逾期未缴会费%' AND h.changed_at LIKE '2026-02-0%'"),
            1)
      << "the unit that paid nothing for 2025 was reminded and lapsed in February 2026";
  EXPECT_GT(count("SELECT COUNT(*) FROM dues_invoices WHERE year = 2026 AND reminders_sent > 0"),
            0);
  auto settings = dues::DuesService(*db_, clock_).settings();
  ASSERT_TRUE(settings);
  EXPECT_EQ(settings->bank.account_name, "湖南省开发区协会");
  EXPECT_EQ(settings->bank.bank_name, "中国建设银行长沙芙蓉支行");
  EXPECT_FALSE(settings->bank.account_no.empty());
}

TEST_P(DemoSeedTest, OnAClockBeforeTheStoryEndsTheDemoHasNoDues) {
  ManualClock early{Timestamp{std::chrono::seconds{1'770'000'000}}};  // February 2026
  accounts::AccountsService accounts(*db_, hasher_, early);
  membership::MembershipService membership(*db_, hasher_, early);
  ASSERT_TRUE(seed_demo(*db_, accounts, membership, early));
  EXPECT_EQ(count("SELECT COUNT(*) FROM members"), 62);
  EXPECT_EQ(count("SELECT COUNT(*) FROM dues_schedules"), 0)
      << "payments are never dated after today";
}

INSTANTIATE_TEST_SUITE_P(Backends, DemoSeedTest, ::testing::ValuesIn(testing::test_backends()),
                         BackendName());

}  // namespace
}  // namespace xiehui::demo
