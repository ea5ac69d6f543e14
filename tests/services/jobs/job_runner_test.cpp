// Background jobs seen from another server process, on every backend: two JobRunners on two
// Database pools of one database stand for two processes. The progress of a running job and
// its outcome are read through the other one; a job whose process stopped beating is failed by
// the other one; a job that still beats is not.

#include "services/jobs/job_runner.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include "core/db/migrator.hpp"
#include "core/time.hpp"
#include "services/jobs/job_repository.hpp"
#include "tests/support/test_database.hpp"

namespace xiehui::jobs {
namespace {

using namespace std::chrono_literals;
using testing::BackendName;
using testing::TestDatabase;

template <class F>
bool eventually(F&& ok, std::chrono::milliseconds limit = 10s) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (ok()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return ok();
}

class JobRunnerTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    for (auto* pool : {&db_a_, &db_b_}) {
      auto db = db::Database::open(test_db_.connection_string(), 3);
      ASSERT_TRUE(db.has_value()) << db.error().message.en;
      *pool = std::move(*db);
    }
    ASSERT_TRUE(db::migrate(*db_a_, db::embedded_migrations(db_a_->dialect()), clock_));
    auto id = db_a_->with_transaction([&](soci::session& s) -> Result<long long> {
      const std::string at = format_db_timestamp(clock_.now());
      s << "INSERT INTO users (username, display_name, password_hash, created_at, updated_at) "
           "VALUES ('job.owner', 'job.owner', 'x', :a, :b)",
          soci::use(at), soci::use(at);
      long long user = 0;
      s.get_last_insert_id("users", user);
      return user;
    });
    ASSERT_TRUE(id.has_value());
    owner_.user_id = *id;
    owner_.username = "job.owner";
  }

  static constexpr JobTiming kFast{20ms, 1000ms};
  SystemClock clock_;
  TestDatabase test_db_{GetParam()};
  std::unique_ptr<db::Database> db_a_, db_b_;
  Principal owner_;
};

TEST_P(JobRunnerTest, AnotherProcessSeesTheProgressAndTheOutcome) {
  JobRunner a(*db_a_, clock_, kFast);
  JobRunner b(*db_b_, clock_, kFast);
  std::atomic<bool> release{false};
  auto id = a.submit("test", owner_, [&](JobProgress& progress) {
    progress.report(3, 10);
    while (!release.load()) std::this_thread::sleep_for(5ms);
    progress.report(10, 10);
    return JobOutcome{true, R"({"done":10})"};
  });
  ASSERT_TRUE(id.has_value()) << id.error().message.en;
  EXPECT_TRUE(eventually([&] {
    auto j = b.get(*id, owner_);
    return j && j->status == "running" && j->done == 3 && j->total == 10;
  })) << "the other process shows the running job's progress from its heartbeat";
  // Well past `silent`: a job that keeps beating is never taken for dead.
  std::this_thread::sleep_for(1500ms);
  auto j = b.get(*id, owner_);
  ASSERT_TRUE(j.has_value());
  EXPECT_EQ(j->status, "running");
  release = true;
  EXPECT_TRUE(eventually([&] {
    auto done = b.get(*id, owner_);
    return done && done->status == "succeeded" && done->done == 10 &&
           done->result == R"({"done":10})";
  }));
  Principal stranger;
  stranger.user_id = owner_.user_id + 1000;
  EXPECT_FALSE(b.get(*id, stranger).has_value()) << "only its owner reads a job";
}

TEST_P(JobRunnerTest, AJobWhoseProcessDiedIsFailedByAnother) {
  // A process queued a job, beat once, then died: its row stays "running" with an old heartbeat.
  auto id = db_a_->with_transaction([&](soci::session& s) -> Result<long long> {
    const Timestamp then = clock_.now() - 5min;
    const long long job = job_repository::insert_job(s, "member_import", owner_.user_id, then);
    job_repository::beat(s, job, 40, 100, then);
    s << "UPDATE jobs SET status = 'running' WHERE id = :id", soci::use(job);
    return job;
  });
  ASSERT_TRUE(id.has_value());
  JobRunner b(*db_b_, clock_, kFast);
  auto j = b.get(*id, owner_);
  ASSERT_TRUE(j.has_value()) << j.error().message.en;
  EXPECT_EQ(j->status, "failed");
  EXPECT_NE(j->result.find("服务进程已停止"), std::string::npos) << j->result;
  EXPECT_EQ(j->done, 40) << "its last progress is kept";
  EXPECT_EQ(j->total, 100);
}

INSTANTIATE_TEST_SUITE_P(Backends, JobRunnerTest, ::testing::ValuesIn(testing::test_backends()),
                         BackendName());

}  // namespace
}  // namespace xiehui::jobs
