#include "services/accounts/accounts_service.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "core/db/migrator.hpp"
#include "services/accounts/user_repository.hpp"
#include "tests/support/test_database.hpp"

namespace xiehui::accounts {
namespace {

using testing::BackendName;
using testing::TestDatabase;

// Fast hashing parameters keep the suite quick; the production parameters are checked below.
HashParams fast() { return {1, 8 * 1024}; }

class AccountsServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto db = db::Database::open(test_db_.connection_string(), 4);
    ASSERT_TRUE(db.has_value());
    db_ = std::move(*db);
    ASSERT_TRUE(db::migrate(*db_, db::embedded_migrations(db_->dialect()), clock_));
    service_ = std::make_unique<AccountsService>(*db_, hasher_, clock_);
  }

  std::optional<std::string> stored_hash(const std::string& username) {
    auto h = db_->with_session([&](soci::session& s) -> Result<std::string> {
      std::string hash;
      s << "SELECT password_hash FROM users WHERE username = :u", soci::use(username),
          soci::into(hash);
      return hash;
    });
    return h ? std::optional(*h) : std::nullopt;
  }

  TestDatabase test_db_{GetParam(), TestDatabase::Schema::migrated};
  ManualClock clock_{Timestamp{std::chrono::seconds{1'790'000'000}}};
  PasswordHasher hasher_{fast()};
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<AccountsService> service_;
};

TEST_P(AccountsServiceTest, CreatesAUserWithNormalisedNameAndHashedPassword) {
  auto u = service_->create_user({"Wang.Mishu", "王秘书", "Correct-Horse-9", {Role::staff}, {}},
                                 command_line_actor());
  ASSERT_TRUE(u.has_value()) << u.error().message.en;
  EXPECT_EQ(u->username, "wang.mishu");
  EXPECT_EQ(u->display_name, "王秘书");
  EXPECT_EQ(u->roles, std::vector<Role>{Role::staff});
  EXPECT_EQ(u->created_at, clock_.now());
  const auto hash = stored_hash("wang.mishu");
  ASSERT_TRUE(hash.has_value());
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u);
  EXPECT_EQ(hash->find("Correct-Horse-9"), std::string::npos);
  EXPECT_TRUE(hasher_.verify(*hash, "Correct-Horse-9"));
  EXPECT_FALSE(hasher_.verify(*hash, "correct-horse-9"));
}

TEST_P(AccountsServiceTest, RejectsInvalidInputWritingNothing) {
  auto u = service_->create_user({"x", "", "short", {}, {}}, command_line_actor());
  ASSERT_FALSE(u.has_value());
  EXPECT_EQ(u.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(u.error().fields.size(), 4u);
  auto users = db_->with_session([](soci::session& s) -> Result<int> {
    int n = -1;
    s << "SELECT COUNT(*) FROM users", soci::into(n);
    return n;
  });
  EXPECT_EQ(users.value_or(-1), 0);
}

TEST_P(AccountsServiceTest, ATakenUsernameIsAlreadyExists) {
  ASSERT_TRUE(service_->create_user({"lihua", "李华", "Correct-Horse-9", {Role::leader}, {}},
                                    command_line_actor()));
  auto again = service_->create_user({"LiHua", "李二", "Correct-Horse-9", {Role::staff}, {}},
                                     command_line_actor());
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::already_exists);
  ASSERT_EQ(again.error().fields.size(), 1u);
  EXPECT_EQ(again.error().fields[0].field, "username");
}

TEST_P(AccountsServiceTest, ParallelCreationOfOneUsernameMakesOneUser) {
  std::atomic<int> ok{0}, taken{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      auto r = service_->create_user({"same", "同名", "Correct-Horse-9", {Role::staff}, {}},
                                     command_line_actor());
      if (r)
        ++ok;
      else if (r.error().code == ErrorCode::already_exists)
        ++taken;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(taken.load(), 7);
}

TEST_P(AccountsServiceTest, InitialAdminIsCreatedOnceWithAGeneratedPassword) {
  auto first = service_->ensure_initial_admin(std::nullopt);
  ASSERT_TRUE(first.has_value());
  ASSERT_TRUE(first->has_value()) << "a generated password is returned to be shown";
  EXPECT_EQ((*first)->size(), 20u);
  EXPECT_TRUE(hasher_.verify(*stored_hash("admin"), **first));
  auto second = service_->ensure_initial_admin(std::nullopt);
  ASSERT_TRUE(second.has_value());
  EXPECT_FALSE(second->has_value()) << "an admin exists: nothing created, nothing shown";
}

TEST_P(AccountsServiceTest, InitialAdminTakesTheGivenPassword) {
  auto r = service_->ensure_initial_admin("Given-Admin-Pass-1");
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(r->has_value()) << "a given password is not echoed";
  EXPECT_TRUE(hasher_.verify(*stored_hash("admin"), "Given-Admin-Pass-1"));
  auto weak = AccountsService(*db_, hasher_, clock_).ensure_initial_admin("admin");
  EXPECT_TRUE(weak.has_value()) << "an admin exists already, so the weak password is not used";
}

TEST_P(AccountsServiceTest, AWeakInitialAdminPasswordIsRefused) {
  auto r = service_->ensure_initial_admin("password");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
}

INSTANTIATE_TEST_SUITE_P(Backends, AccountsServiceTest,
                         ::testing::ValuesIn(testing::test_backends()), BackendName());

TEST(PasswordHasher, ProductionParametersMeetOwaspMinimum) {
  PasswordHasher hasher;
  const std::string h = hasher.hash("Correct-Horse-9");
  EXPECT_NE(h.find("m=19456"), std::string::npos) << h;
  EXPECT_NE(h.find("t=2"), std::string::npos) << h;
  EXPECT_FALSE(hasher.needs_rehash(h));
  PasswordHasher weak(fast());
  EXPECT_TRUE(hasher.needs_rehash(weak.hash("Correct-Horse-9"))) << "weaker hashes get upgraded";
}

}  // namespace
}  // namespace xiehui::accounts
