// The daily retention run on every backend: off until the admin turns it on, not before 03:00
// (Asia/Shanghai), once a day however many processes ask, and a settings change is checked.

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "core/db/migrator.hpp"
#include "services/privacy/retention_service.hpp"
#include "tests/support/test_database.hpp"

namespace xiehui::privacy {
namespace {

using testing::TestDatabase;

Principal admin() {
  Principal p;
  p.user_id = 0;
  p.username = "retention-admin";
  p.address = "127.0.0.1";
  p.roles = {Role::admin};
  return p;
}

class RetentionServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto db = db::Database::open(test_db_.connection_string(), 4);
    ASSERT_TRUE(db.has_value());
    db_ = std::move(*db);
    ASSERT_TRUE(db::migrate(*db_, db::embedded_migrations(db_->dialect()), clock_));
  }

  TestDatabase test_db_{GetParam(), TestDatabase::Schema::empty};
  ManualClock clock_{*parse_instant("2026-12-06T02:30:00+08:00")};
  std::unique_ptr<db::Database> db_;
};

TEST_P(RetentionServiceTest, TheDailyRunRunsOnceADayAfterThreeWhenTurnedOn) {
  RetentionService a(*db_, clock_), b(*db_, clock_);
  EXPECT_EQ(a.run_due().value_or(-1), 0) << "off by default";
  RetentionPatch on;
  on.daily = true;
  ASSERT_TRUE(a.save_settings(admin(), on).has_value());
  EXPECT_EQ(a.run_due().value_or(-1), 0) << "not before 03:00";
  EXPECT_TRUE(a.runs()->empty());

  clock_.set(*parse_instant("2026-12-06T03:05:00+08:00"));
  // Two processes at once: one runs, the other finds the day claimed.
  std::atomic<int> anonymised{0}, failed{0};
  std::vector<std::thread> threads;
  for (RetentionService* service : {&a, &b}) {
    threads.emplace_back([&, service] {
      auto r = service->run_due();
      if (!r) ++failed;
      anonymised += r.value_or(0);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(anonymised.load(), 0) << "nothing is old in a new database";
  auto runs = a.runs();
  ASSERT_EQ(runs->size(), 1u);
  EXPECT_FALSE(runs->front().dry_run);
  EXPECT_EQ(runs->front().actor, "system");
  EXPECT_EQ(a.run_due().value_or(-1), 0) << "the day is done";

  clock_.set(*parse_instant("2026-12-07T03:00:00+08:00"));
  EXPECT_EQ(a.run_due().value_or(-1), 0) << "the next day runs again";
  EXPECT_EQ(a.runs()->size(), 2u);
}

TEST_P(RetentionServiceTest, SettingsOutOfRangeAreRefusedAndNothingChanges) {
  RetentionService service(*db_, clock_);
  RetentionPatch bad;
  bad.visit_delegate_years = 51;
  const auto refused = service.save_settings(admin(), bad);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().fields.at(0).field, "visit_delegate_years");
  EXPECT_EQ(service.settings()->visit_delegate_years, 3);
}

INSTANTIATE_TEST_SUITE_P(Backends, RetentionServiceTest,
                         ::testing::ValuesIn(testing::test_backends()), testing::BackendName());

}  // namespace
}  // namespace xiehui::privacy
