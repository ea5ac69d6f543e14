// AuthService on every backend: login and logout, idle and absolute expiry on an injected clock,
// the last-seen refresh interval, sessions ended by password change, disabling and role removal,
// API tokens, login throttling and its reset, the audit rows of sign-ins, the last-admin rule
// and the upgrade of weak password hashes.

#include "services/accounts/auth_service.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <latch>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/audit.hpp"
#include "core/crypto.hpp"
#include "core/db/migrator.hpp"
#include "core/time.hpp"
#include "services/accounts/accounts_service.hpp"
#include "services/accounts/user_repository.hpp"
#include "tests/support/test_database.hpp"

namespace xiehui::accounts {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;
using testing::BackendName;
using testing::TestDatabase;

constexpr const char* kPassword = "Correct-Horse-9";
constexpr const char* kAddress = "192.0.2.10";
constexpr const char* kAgent = "gtest";

// Fast hashing parameters keep the suite quick; the upgrade test uses the production ones.
HashParams fast() { return {1, 8 * 1024}; }

UserPatch disabled(bool value) {
  UserPatch p;
  p.disabled = value;
  return p;
}

UserPatch with_roles(std::vector<Role> roles) {
  UserPatch p;
  p.roles = std::move(roles);
  return p;
}

UserPatch renamed(std::string name) {
  UserPatch p;
  p.display_name = std::move(name);
  return p;
}

Principal principal_of(const User& u, std::string address = kAddress) {
  Principal p;
  p.user_id = u.id;
  p.username = u.username;
  p.display_name = u.display_name;
  p.roles = u.roles;
  p.member_id = u.member_id;
  p.address = std::move(address);
  return p;
}

struct AuditRow {
  std::string action;
  std::optional<long long> actor_id;
  std::string actor_name;
  std::string address;
  std::string entity_id;
  std::string summary;
};

class AuthServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto db = db::Database::open(test_db_.connection_string(), 4);
    ASSERT_TRUE(db.has_value()) << db.error().message.en;
    db_ = std::move(*db);
    ASSERT_TRUE(db::migrate(*db_, db::embedded_migrations(db_->dialect()), clock_));
    // With a credential cache, as the server runs: every test below that ends a session also
    // shows that the change is not hidden by a remembered lookup.
    accounts_ =
        std::make_unique<AccountsService>(*db_, hasher_, clock_, AccountsPolicy{}, &credentials_);
    auth_ = std::make_unique<AuthService>(*db_, hasher_, clock_, SessionPolicy{}, &credentials_);
  }

  User make_user(const std::string& username, std::vector<Role> roles,
                 std::optional<long long> member_id = std::nullopt) {
    auto u = accounts_->create_user(
        {username, "用户 " + username, kPassword, std::move(roles), member_id},
        command_line_actor());
    EXPECT_TRUE(u.has_value()) << (u ? "" : u.error().message.en);
    return u.value_or(User{});
  }

  LoginResult must_login(const std::string& username, const std::string& password = kPassword,
                         const std::string& address = kAddress) {
    auto r = auth_->login(username, password, address, kAgent);
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message.en);
    return r.value_or(LoginResult{});
  }

  bool session_alive(const std::string& token) {
    return auth_->authenticate_session(token, kAddress).has_value();
  }

  // The stored last_seen_at of the session of `token`, as text.
  std::string last_seen(const std::string& token) {
    const std::string hash = sha256_hex(token);
    auto r = db_->with_session([&](soci::session& s) -> Result<std::string> {
      std::string at;
      s << "SELECT last_seen_at FROM sessions WHERE token_hash = :h", soci::use(hash),
          soci::into(at);
      return at;
    });
    EXPECT_TRUE(r.has_value());
    return r.value_or("<error>");
  }

  std::string stored_hash(const std::string& username) {
    auto r = db_->with_session([&](soci::session& s) -> Result<std::string> {
      std::string hash;
      s << "SELECT password_hash FROM users WHERE username = :u", soci::use(username),
          soci::into(hash);
      return hash;
    });
    EXPECT_TRUE(r.has_value());
    return r.value_or("<error>");
  }

  long long count(const std::string& sql) {
    auto r = db_->with_session([&](soci::session& s) -> Result<long long> {
      int n = -1;
      s << sql, soci::into(n);
      return n;
    });
    EXPECT_TRUE(r.has_value()) << sql;
    return r.value_or(-1);
  }

  // A bare member unit for moving member accounts between units.
  long long add_unit(const std::string& no) {
    // Named: SOCI reads bound values when the statement runs, after temporaries are gone.
    const std::string name = "单位" + no, uscc = "USCC" + no;
    auto r = db_->with_session([&](soci::session& s) -> Result<long long> {
      s << "INSERT INTO members (member_no, name, short_name, uscc, org_type, org_level, "
           "city_code, address, tier, status, joined_on, sort_key, created_at, updated_at) "
           "VALUES (:no, :name, '', :uscc, 'zone', 'national', '430100', '', 'member', "
           "'active', '2020-01-01', :sk, '2020-01-01 00:00:00.000000', "
           "'2020-01-01 00:00:00.000000')",
          soci::use(no), soci::use(name), soci::use(uscc), soci::use(no);
      long long id = 0;
      s.get_last_insert_id("members", id);
      return id;
    });
    EXPECT_TRUE(r.has_value());
    return r.value_or(0);
  }

  std::vector<AuditRow> audit_rows() {
    auto r = db_->with_session([&](soci::session& s) -> Result<std::vector<AuditRow>> {
      std::vector<AuditRow> out;
      soci::rowset<soci::row> rows =
          (s.prepare << std::string("SELECT ") + kAuditColumns + " FROM audit_log ORDER BY id");
      for (const soci::row& row : rows) {
        const AuditRecord rec = read_audit_record(row);
        out.push_back({rec.entry.action, rec.entry.actor_id, rec.entry.actor_name,
                       rec.entry.address, rec.entry.entity_id, rec.entry.summary});
      }
      return out;
    });
    EXPECT_TRUE(r.has_value());
    return r.value_or(std::vector<AuditRow>{});
  }

  TestDatabase test_db_{GetParam(), TestDatabase::Schema::migrated};
  ManualClock clock_{Timestamp{seconds{1'790'000'000}}};
  PasswordHasher hasher_{fast()};
  CredentialCache credentials_{std::chrono::seconds(1)};
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<AccountsService> accounts_;
  std::unique_ptr<AuthService> auth_;
};

// ---- login and logout ----

TEST_P(AuthServiceTest, LoginReturnsAFreshTokenAndItsCsrfToken) {
  const User u = make_user("wang.mishu", {Role::staff});
  const LoginResult first = must_login("Wang.Mishu");  // usernames are case-insensitive
  EXPECT_EQ(first.token.size(), 43u) << "256 random bits, base64url";
  EXPECT_FALSE(first.csrf_token.empty());
  EXPECT_NE(first.csrf_token, first.token);
  EXPECT_EQ(first.csrf_token, AuthService::csrf_for(first.token));
  EXPECT_EQ(first.user.id, u.id);
  EXPECT_EQ(first.user.username, "wang.mishu");

  auto p = auth_->authenticate_session(first.token, kAddress);
  ASSERT_TRUE(p.has_value()) << p.error().message.en;
  EXPECT_EQ(p->user_id, u.id);
  EXPECT_EQ(p->username, "wang.mishu");
  EXPECT_EQ(p->roles, std::vector<Role>{Role::staff});
  EXPECT_FALSE(p->via_api_token);

  // Only the hash of the token is stored.
  EXPECT_EQ(
      count("SELECT COUNT(*) FROM sessions WHERE token_hash = '" + sha256_hex(first.token) + "'"),
      1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM sessions WHERE token_hash = '" + first.token + "'"), 0);

  // Every login makes a new token (no fixation); both sessions live on their own.
  const LoginResult second = must_login("wang.mishu");
  EXPECT_NE(second.token, first.token);
  EXPECT_NE(second.csrf_token, first.csrf_token);
  EXPECT_TRUE(session_alive(first.token));
  EXPECT_TRUE(session_alive(second.token));
  EXPECT_FALSE(session_alive("not-a-token"));
  EXPECT_FALSE(session_alive(""));
}

TEST_P(AuthServiceTest, WrongPasswordUnknownUserAndDisabledUserGetTheSameAnswer) {
  make_user("lihua", {Role::leader});
  const User off = make_user("zhao.off", {Role::staff});
  ASSERT_TRUE(accounts_->update_user(off.id, disabled(true), command_line_actor()));

  auto wrong = auth_->login("lihua", "Wrong-Horse-99", kAddress, kAgent);
  auto unknown = auth_->login("nobody.here", kPassword, kAddress, kAgent);
  auto disabled = auth_->login("zhao.off", kPassword, kAddress, kAgent);
  ASSERT_FALSE(wrong.has_value());
  ASSERT_FALSE(unknown.has_value());
  ASSERT_FALSE(disabled.has_value()) << "a disabled user cannot sign in, even with its password";
  for (const auto* r : {&wrong, &unknown, &disabled}) {
    EXPECT_EQ(r->error().code, ErrorCode::unauthenticated);
    EXPECT_EQ(r->error().message.zh, wrong.error().message.zh);
    EXPECT_EQ(r->error().message.en, wrong.error().message.en);
    EXPECT_TRUE(r->error().fields.empty());
  }
}

TEST_P(AuthServiceTest, LogoutEndsTheSession) {
  make_user("chen", {Role::staff});
  const LoginResult a = must_login("chen");
  const LoginResult b = must_login("chen");
  auto p = auth_->authenticate_session(a.token, kAddress);
  ASSERT_TRUE(p.has_value());
  ASSERT_TRUE(auth_->logout(a.token, *p));
  auto after = auth_->authenticate_session(a.token, kAddress);
  ASSERT_FALSE(after.has_value());
  EXPECT_EQ(after.error().code, ErrorCode::unauthenticated);
  EXPECT_TRUE(session_alive(b.token)) << "logout ends only that session";
}

TEST_P(AuthServiceTest, AnotherProcessSeesASignOutWithinTheCacheTime) {
  make_user("two", {Role::staff});
  const LoginResult a = must_login("two");
  // A second server process on the same database: its own cache.
  CredentialCache other_cache(seconds(1));
  AuthService other(*db_, hasher_, clock_, SessionPolicy{}, &other_cache);
  auto p = other.authenticate_session(a.token, kAddress);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->address, kAddress);
  ASSERT_TRUE(auth_->logout(a.token, *p));
  EXPECT_FALSE(session_alive(a.token)) << "at once in the process that signed out";
  EXPECT_TRUE(other.authenticate_session(a.token, "192.0.2.99").has_value())
      << "the other process still remembers it, for at most a second";
  clock_.advance(seconds(1));
  EXPECT_FALSE(other.authenticate_session(a.token, kAddress).has_value());
}

TEST_P(AuthServiceTest, ARememberedLookupCarriesEachRequestsAddress) {
  make_user("addr", {Role::staff});
  const LoginResult a = must_login("addr");
  ASSERT_TRUE(auth_->authenticate_session(a.token, "192.0.2.1").has_value());
  auto again = auth_->authenticate_session(a.token, "192.0.2.2");
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->address, "192.0.2.2");
  EXPECT_EQ(again->username, "addr");
  EXPECT_GE(credentials_.size(), 1u);
}

// ---- expiry ----

TEST_P(AuthServiceTest, AnIdleSessionExpires) {
  make_user("idle", {Role::staff});
  const LoginResult kept = must_login("idle");
  const LoginResult left = must_login("idle");
  clock_.advance(minutes{29});
  EXPECT_TRUE(session_alive(kept.token)) << "29 minutes idle is within the 30-minute limit";
  clock_.advance(minutes{1} + seconds{1});
  EXPECT_FALSE(session_alive(left.token)) << "30 minutes and a second idle";
  EXPECT_TRUE(session_alive(kept.token)) << "used a minute ago";
  clock_.advance(minutes{30});
  EXPECT_FALSE(session_alive(kept.token)) << "idle for exactly the idle timeout";
}

TEST_P(AuthServiceTest, AnActiveSessionEndsAtTheAbsoluteTimeout) {
  make_user("busy", {Role::staff});
  const LoginResult s = must_login("busy");
  // Used every 20 minutes: never idle, but 12 hours after login it ends.
  for (int step = 1; step < 36; ++step) {
    clock_.advance(minutes{20});
    ASSERT_TRUE(session_alive(s.token)) << "after " << step * 20 << " minutes";
  }
  clock_.advance(minutes{20});  // 12 h after login
  auto r = auth_->authenticate_session(s.token, kAddress);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::unauthenticated);
  // Still dead a minute later (no later touch revived it).
  clock_.advance(minutes{1});
  EXPECT_FALSE(session_alive(s.token));
}

TEST_P(AuthServiceTest, LastSeenIsWrittenAtMostOncePerTouchInterval) {
  make_user("touch", {Role::staff});
  const Timestamp t0 = clock_.now();
  const LoginResult s = must_login("touch");
  EXPECT_EQ(last_seen(s.token), format_db_timestamp(t0));

  clock_.advance(seconds{30});
  ASSERT_TRUE(session_alive(s.token));
  EXPECT_EQ(last_seen(s.token), format_db_timestamp(t0)) << "30 s < touch interval: no write";

  clock_.advance(seconds{31});  // 61 s after login
  ASSERT_TRUE(session_alive(s.token));
  const Timestamp t1 = clock_.now();
  EXPECT_EQ(last_seen(s.token), format_db_timestamp(t1)) << "past the touch interval: refreshed";

  clock_.advance(seconds{10});
  ASSERT_TRUE(session_alive(s.token));
  EXPECT_EQ(last_seen(s.token), format_db_timestamp(t1)) << "10 s after the refresh: no write";
}

// ---- sessions ended by account changes ----

TEST_P(AuthServiceTest, ChangingThePasswordEndsTheUsersSessions) {
  const User u = make_user("pwchange", {Role::staff});
  make_user("bystander", {Role::staff});
  const LoginResult a = must_login("pwchange");
  const LoginResult b = must_login("pwchange");
  const LoginResult o = must_login("bystander");
  auto me = auth_->authenticate_session(a.token, kAddress);
  ASSERT_TRUE(me.has_value());

  ASSERT_TRUE(accounts_->set_password(u.id, "New-Horse-2026", std::string(kPassword), *me));
  EXPECT_FALSE(session_alive(a.token)) << "the session that changed the password ends too";
  EXPECT_FALSE(session_alive(b.token));
  EXPECT_TRUE(session_alive(o.token)) << "another user's session is untouched";
  EXPECT_FALSE(auth_->login("pwchange", kPassword, kAddress, kAgent).has_value());
  const LoginResult c = must_login("pwchange", "New-Horse-2026");

  // An admin's reset ends the sessions as well.
  const User admin = make_user("resetter", {Role::admin});
  ASSERT_TRUE(accounts_->set_password(u.id, "Reset-Horse-2026", std::nullopt, principal_of(admin)));
  EXPECT_FALSE(session_alive(c.token));
  EXPECT_TRUE(session_alive(o.token));
}

TEST_P(AuthServiceTest, DisablingAUserEndsItsSessionsAtOnce) {
  const User u = make_user("to.disable", {Role::staff});
  const LoginResult s = must_login("to.disable");
  ASSERT_TRUE(session_alive(s.token));
  auto r = accounts_->update_user(u.id, disabled(true), command_line_actor());
  ASSERT_TRUE(r.has_value()) << r.error().message.en;
  EXPECT_TRUE(r->disabled);
  EXPECT_FALSE(session_alive(s.token)) << "no clock movement needed";
  EXPECT_EQ(count("SELECT COUNT(*) FROM sessions WHERE user_id = " + std::to_string(u.id) +
                  " AND revoked_at IS NULL"),
            0)
      << "the sessions are revoked in the database, not just refused while disabled";
  // Enabling the user again does not bring the old session back.
  ASSERT_TRUE(accounts_->update_user(u.id, disabled(false), command_line_actor()));
  EXPECT_FALSE(session_alive(s.token));
  EXPECT_TRUE(session_alive(must_login("to.disable").token));
}

TEST_P(AuthServiceTest, RemovingARoleEndsTheUsersSessions) {
  const User u = make_user("two.hats", {Role::staff, Role::leader});
  const LoginResult s = must_login("two.hats");
  ASSERT_TRUE(accounts_->update_user(u.id, renamed("新名字"), command_line_actor()));
  EXPECT_TRUE(session_alive(s.token)) << "a new display name does not end the session";

  auto r = accounts_->update_user(u.id, with_roles({Role::leader}), command_line_actor());
  ASSERT_TRUE(r.has_value()) << r.error().message.en;
  EXPECT_EQ(r->roles, std::vector<Role>{Role::leader});
  EXPECT_FALSE(session_alive(s.token));
  auto p = auth_->authenticate_session(must_login("two.hats").token, kAddress);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->roles, std::vector<Role>{Role::leader});
  EXPECT_FALSE(p->can(Permission::dues_record_payment));
}

// ---- credentials end with every change of who the user is (review item 1) ----

TEST_P(AuthServiceTest, PasswordRoleUnitAndDisableChangesEndApiTokensToo) {
  const User admin = make_user("token.admin", {Role::admin});
  const User u = make_user("token.user", {Role::staff, Role::leader});
  const auto token = [&] {
    auto t = auth_->create_token(principal_of(u), "script");
    EXPECT_TRUE(t.has_value());
    return t ? t->second : std::string();
  };
  const auto alive = [&](const std::string& secret) {
    return auth_->authenticate_token(secret, kAddress).has_value();
  };

  std::string t = token();
  ASSERT_TRUE(alive(t));
  ASSERT_TRUE(
      accounts_->set_password(u.id, "Own-Change-2026", std::string(kPassword), principal_of(u)));
  EXPECT_FALSE(alive(t)) << "own password change";

  t = token();
  ASSERT_TRUE(accounts_->set_password(u.id, "Admin-Reset-2026", std::nullopt, principal_of(admin)));
  EXPECT_FALSE(alive(t)) << "admin's reset";

  t = token();
  ASSERT_TRUE(accounts_->update_user(u.id, renamed("只改名字"), command_line_actor()));
  EXPECT_TRUE(alive(t)) << "a new display name keeps the token";
  ASSERT_TRUE(
      accounts_->update_user(u.id, with_roles({Role::leader, Role::staff}), command_line_actor()));
  EXPECT_TRUE(alive(t)) << "the roles it has, sent in another order, are no change";
  ASSERT_TRUE(accounts_->update_user(u.id, with_roles({Role::staff, Role::leader, Role::admin}),
                                     command_line_actor()));
  EXPECT_FALSE(alive(t)) << "a role added";

  const long long unit_a = add_unit("XH9001"), unit_b = add_unit("XH9002");
  const User m = make_user("token.member", {Role::member}, unit_a);
  auto mt = auth_->create_token(principal_of(m), "member script");
  ASSERT_TRUE(mt.has_value());
  UserPatch move;
  move.member_id = std::optional<long long>(unit_b);
  ASSERT_TRUE(accounts_->update_user(m.id, move, command_line_actor()));
  EXPECT_FALSE(alive(mt->second)) << "moved to another unit";

  t = token();
  ASSERT_TRUE(accounts_->update_user(u.id, disabled(true), command_line_actor()));
  ASSERT_TRUE(accounts_->update_user(u.id, disabled(false), command_line_actor()));
  EXPECT_FALSE(alive(t)) << "disabled and enabled again";
  EXPECT_EQ(count("SELECT COUNT(*) FROM api_tokens WHERE revoked_at IS NULL AND user_id = " +
                  std::to_string(u.id)),
            0)
      << "revoked in the database, not only refused";
}

// ---- an applicant account (no roles) can be managed (review item 7) ----

TEST_P(AuthServiceTest, AnAccountWithoutRolesCanBeDisabledAndRenamed) {
  auto applicant = db_->with_transaction([&](soci::session& s) -> Result<long long> {
    return user_repository::insert(s, {"applicant.x", "申请人", {}, {}, {}},
                                   hasher_.hash(kPassword), clock_.now());
  });
  ASSERT_TRUE(applicant.has_value());
  auto off = accounts_->update_user(*applicant, disabled(true), command_line_actor());
  ASSERT_TRUE(off.has_value()) << off.error().message.en;
  EXPECT_TRUE(off->disabled);
  EXPECT_TRUE(off->roles.empty());
  auto named = accounts_->update_user(*applicant, renamed("新申请人"), command_line_actor());
  ASSERT_TRUE(named.has_value()) << named.error().message.en;
  EXPECT_EQ(named->display_name, "新申请人");
  // Sending the roles it has (none) changes nothing and is fine; what changes is validated.
  EXPECT_TRUE(accounts_->update_user(*applicant, with_roles({}), command_line_actor()));
  auto unnamed = accounts_->update_user(*applicant, renamed(""), command_line_actor());
  ASSERT_FALSE(unnamed.has_value());
  EXPECT_EQ(unnamed.error().fields.at(0).field, "display_name");
  UserPatch member_without_unit;
  member_without_unit.roles = std::vector<Role>{Role::member};
  auto half = accounts_->update_user(*applicant, member_without_unit, command_line_actor());
  ASSERT_FALSE(half.has_value());
  EXPECT_EQ(half.error().fields.at(0).field, "member_id");
}

// ---- API tokens ----

TEST_P(AuthServiceTest, ApiTokensCarryTheOwnersRolesAndCanBeRevokedOnlyByTheOwner) {
  const User owner = make_user("script.owner", {Role::staff});
  const User other = make_user("someone.else", {Role::admin});
  auto created = auth_->create_token(principal_of(owner), "nightly export");
  ASSERT_TRUE(created.has_value()) << created.error().message.en;
  const auto& [token, secret] = *created;
  EXPECT_EQ(token.name, "nightly export");
  EXPECT_FALSE(token.revoked);
  EXPECT_FALSE(secret.empty());
  EXPECT_EQ(
      count("SELECT COUNT(*) FROM api_tokens WHERE token_hash = '" + sha256_hex(secret) + "'"), 1)
      << "stored hashed";
  EXPECT_EQ(count("SELECT COUNT(*) FROM api_tokens WHERE token_hash = '" + secret + "'"), 0);

  auto p = auth_->authenticate_token(secret, "198.51.100.7");
  ASSERT_TRUE(p.has_value()) << p.error().message.en;
  EXPECT_EQ(p->user_id, owner.id);
  EXPECT_EQ(p->username, "script.owner");
  EXPECT_EQ(p->roles, std::vector<Role>{Role::staff});
  EXPECT_TRUE(p->via_api_token);
  EXPECT_EQ(p->address, "198.51.100.7");
  EXPECT_FALSE(auth_->authenticate_session(secret, kAddress).has_value())
      << "an API token is not a session token";
  EXPECT_FALSE(auth_->authenticate_token("xh_wrong", kAddress).has_value());

  auto theft = auth_->revoke_token(principal_of(other), token.id);
  ASSERT_FALSE(theft.has_value()) << "another user (even an admin) cannot revoke it";
  EXPECT_EQ(theft.error().code, ErrorCode::not_found);
  EXPECT_TRUE(auth_->authenticate_token(secret, kAddress).has_value());
  auto missing = auth_->revoke_token(principal_of(owner), token.id + 1000);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);

  ASSERT_TRUE(auth_->revoke_token(principal_of(owner), token.id));
  auto after = auth_->authenticate_token(secret, kAddress);
  ASSERT_FALSE(after.has_value());
  EXPECT_EQ(after.error().code, ErrorCode::unauthenticated);
  auto listed = auth_->list_tokens(principal_of(owner));
  ASSERT_TRUE(listed.has_value());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_TRUE((*listed)[0].revoked);
  auto others = auth_->list_tokens(principal_of(other));
  ASSERT_TRUE(others.has_value());
  EXPECT_TRUE(others->empty());
}

TEST_P(AuthServiceTest, ASessionTokenIsNotAnApiToken) {
  make_user("cookie.only", {Role::leader});
  const LoginResult s = must_login("cookie.only");
  EXPECT_FALSE(auth_->authenticate_token(s.token, kAddress).has_value());
}

// ---- throttling ----

TEST_P(AuthServiceTest, FiveFailuresLockTheUsernameEvenForTheRightPassword) {
  make_user("target", {Role::staff});
  for (int i = 1; i <= 5; ++i) {
    auto r = auth_->login("target", "Wrong-Horse-" + std::to_string(i), kAddress, kAgent);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::unauthenticated) << "failure " << i;
    clock_.advance(seconds{10});
  }
  auto locked = auth_->login("target", kPassword, kAddress, kAgent);
  ASSERT_FALSE(locked.has_value()) << "the right password does not get past the lock";
  EXPECT_EQ(locked.error().code, ErrorCode::rate_limited);
  auto elsewhere = auth_->login("target", kPassword, "203.0.113.99", kAgent);
  ASSERT_FALSE(elsewhere.has_value()) << "the lock is per username, whatever the address";
  EXPECT_EQ(elsewhere.error().code, ErrorCode::rate_limited);

  clock_.advance(minutes{14});
  auto still = auth_->login("target", kPassword, kAddress, kAgent);
  ASSERT_FALSE(still.has_value());
  EXPECT_EQ(still.error().code, ErrorCode::rate_limited);

  clock_.advance(minutes{1} + seconds{1});  // 15 min after the fifth failure
  auto again = auth_->login("target", kPassword, kAddress, kAgent);
  EXPECT_TRUE(again.has_value()) << "after the lockout the right password works again: "
                                 << (again ? "" : again.error().message.en);
}

TEST_P(AuthServiceTest, ParallelGuessesDoNotGetPastTheFailureLimit) {
  make_user("besieged", {Role::staff});
  // Production parameters: the password check takes as long as it does in a real attack.
  PasswordHasher production;
  AuthService strong(*db_, production, clock_);
  constexpr int kGuesses = 20;
  std::latch start(kGuesses);
  std::atomic<int> checked{0}, limited{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kGuesses; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      auto r = strong.login("besieged", "Wrong-Horse-" + std::to_string(i),
                            "198.51.100." + std::to_string(i), kAgent);
      if (!r && r.error().code == ErrorCode::unauthenticated) ++checked;
      if (!r && r.error().code == ErrorCode::rate_limited) ++limited;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(checked.load() + limited.load(), kGuesses);
  EXPECT_LE(checked.load(), 5) << "guesses sent at once must not multiply the 5 allowed per "
                                  "lock-out window; passwords checked: "
                               << checked.load() << ", refused as rate_limited: " << limited.load();
  auto after = strong.login("besieged", kPassword, kAddress, kAgent);
  ASSERT_FALSE(after.has_value());
  EXPECT_EQ(after.error().code, ErrorCode::rate_limited);
}

TEST_P(AuthServiceTest, AnUnknownUsernameIsThrottledLikeAKnownOne) {
  for (int i = 0; i < 5; ++i) {
    auto r = auth_->login("ghost", "Wrong-Horse-99", kAddress, kAgent);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::unauthenticated);
  }
  auto sixth = auth_->login("ghost", "Wrong-Horse-99", kAddress, kAgent);
  ASSERT_FALSE(sixth.has_value());
  EXPECT_EQ(sixth.error().code, ErrorCode::rate_limited)
      << "otherwise the 429 would tell which usernames exist";
}

TEST_P(AuthServiceTest, ASuccessfulLoginResetsThePerUserCounter) {
  make_user("forgetful", {Role::staff});
  for (int i = 0; i < 4; ++i) {
    ASSERT_FALSE(auth_->login("forgetful", "Wrong-Horse-99", kAddress, kAgent).has_value());
  }
  must_login("forgetful");
  EXPECT_EQ(count("SELECT COUNT(*) FROM login_throttle WHERE throttle_key = 'user:forgetful' "
                  "AND failures > 0"),
            0);
  for (int i = 0; i < 4; ++i) {
    auto r = auth_->login("forgetful", "Wrong-Horse-99", kAddress, kAgent);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::unauthenticated) << "failure " << i + 1 << " after reset";
  }
  auto r = auth_->login("forgetful", kPassword, kAddress, kAgent);
  EXPECT_TRUE(r.has_value()) << "4 + 4 failures with a success between is not a lock-out: "
                             << (r ? "" : r.error().message.en);
}

TEST_P(AuthServiceTest, ManyFailuresFromOneAddressLockThatAddress) {
  make_user("innocent", {Role::staff});
  const std::string attacker = "203.0.113.66";
  // 50 different usernames, one failure each: no per-user lock, only the per-address one.
  for (int i = 0; i < 50; ++i) {
    auto r = auth_->login("spray" + std::to_string(i), "Wrong-Horse-99", attacker, kAgent);
    ASSERT_FALSE(r.has_value());
    ASSERT_EQ(r.error().code, ErrorCode::unauthenticated) << "attempt " << i + 1;
  }
  auto blocked = auth_->login("innocent", kPassword, attacker, kAgent);
  ASSERT_FALSE(blocked.has_value());
  EXPECT_EQ(blocked.error().code, ErrorCode::rate_limited);
  EXPECT_TRUE(auth_->login("innocent", kPassword, "203.0.113.67", kAgent).has_value())
      << "another address is not affected";
}

TEST_P(AuthServiceTest, ALockedAddressAddsNoRowsAndStaleRowsExpire) {
  const std::string attacker = "203.0.113.77";
  for (int i = 0; i < 50; ++i) {
    ASSERT_FALSE(auth_->login("spray" + std::to_string(i), "Wrong-Horse-99", attacker, kAgent));
  }
  const long long rows = count("SELECT COUNT(*) FROM login_throttle");
  EXPECT_EQ(rows, 51) << "50 usernames and the address";
  for (int i = 0; i < 500; ++i) {
    auto r = auth_->login("random" + std::to_string(i), "Wrong-Horse-99", attacker, kAgent);
    ASSERT_FALSE(r.has_value());
    ASSERT_EQ(r.error().code, ErrorCode::rate_limited);
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM login_throttle"), rows)
      << "a throttled address writes no per-username rows";

  // Two hours after the window and the lock ended, a new counter sweeps the old ones away.
  clock_.advance(minutes{15} + session_repository::kThrottleRetention + seconds{1});
  ASSERT_FALSE(auth_->login("fresh.name", "Wrong-Horse-99", "198.51.100.1", kAgent));
  EXPECT_EQ(count("SELECT COUNT(*) FROM login_throttle"), 2)
      << "only the new address and username remain";
}

TEST_P(AuthServiceTest, TheAccountLockStopsStrangersButNotTheOwnersKnownAddress) {
  const User admin = make_user("watchful.admin", {Role::admin});
  const User owner = make_user("victim", {Role::staff});
  const std::string home = "192.0.2.44", attacker = "203.0.113.5", cafe = "198.51.100.9";
  must_login("victim", kPassword, home);  // the owner's usual address
  clock_.advance(minutes{1});
  for (int i = 0; i < 5; ++i) {
    ASSERT_FALSE(auth_->login("victim", "Wrong-Horse-" + std::to_string(i), attacker, kAgent));
  }
  auto stranger = auth_->login("victim", kPassword, cafe, kAgent);
  ASSERT_FALSE(stranger.has_value()) << "an address that never signed in meets the lock";
  EXPECT_EQ(stranger.error().code, ErrorCode::rate_limited);
  auto at_home = auth_->login("victim", kPassword, home, kAgent);
  EXPECT_TRUE(at_home.has_value()) << "the owner's known address passes the lock: "
                                   << (at_home ? "" : at_home.error().message.en);

  // The owner and the admins were told, once, and the lock is audited.
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE kind = 'account.locked' "
                  "AND user_id = " +
                  std::to_string(owner.id)),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE kind = 'account.locked' "
                  "AND user_id = " +
                  std::to_string(admin.id)),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'session.account_locked'"), 1);
}

TEST_P(AuthServiceTest, AKnownAddressHasItsOwnLimitAndItsTyposDoNotLengthenTheLock) {
  make_user("office.user", {Role::staff});
  const std::string office = "192.0.2.55", attacker = "203.0.113.15";
  must_login("office.user", kPassword, office);
  for (int i = 0; i < 5; ++i) {
    ASSERT_FALSE(auth_->login("office.user", "Wrong-Horse-99", attacker, kAgent));
  }
  // Five typos (or guesses from behind the office's NAT) use up the office's own allowance.
  for (int i = 0; i < 5; ++i) {
    auto r = auth_->login("office.user", "Wrong-Horse-98", office, kAgent);
    ASSERT_FALSE(r.has_value());
    ASSERT_EQ(r.error().code, ErrorCode::unauthenticated) << "typo " << i + 1;
  }
  auto sixth = auth_->login("office.user", kPassword, office, kAgent);
  ASSERT_FALSE(sixth.has_value());
  EXPECT_EQ(sixth.error().code, ErrorCode::rate_limited);
  // They did not lengthen the account's lock: 15 minutes after it began, strangers get in.
  clock_.advance(minutes{15} + seconds{1});
  EXPECT_TRUE(auth_->login("office.user", kPassword, "198.51.100.77", kAgent).has_value());
}

TEST_P(AuthServiceTest, AddressesCountUnderTheirThrottleKey) {
  make_user("v6.target", {Role::staff});
  // 50 addresses of one IPv6 /64, counted under one key.
  for (int i = 0; i < 50; ++i) {
    auto r = auth_->login("v6.target" + std::to_string(i), "Wrong-Horse-99",
                          "2001:db8:1:2::" + std::to_string(i + 1), kAgent, "2001:db8:1:2::/64");
    ASSERT_FALSE(r.has_value());
    ASSERT_EQ(r.error().code, ErrorCode::unauthenticated) << i;
  }
  auto r = auth_->login("v6.target", kPassword, "2001:db8:1:2::ffff", kAgent, "2001:db8:1:2::/64");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::rate_limited);
}

TEST_P(AuthServiceTest, EachFurtherLockOutLastsTwiceAsLong) {
  make_user("hammered", {Role::staff});
  const std::string attacker = "203.0.113.8";
  const auto five_failures = [&] {
    for (int i = 0; i < 5; ++i) {
      auto r = auth_->login("hammered", "Wrong-Horse-99", attacker, kAgent);
      ASSERT_FALSE(r.has_value());
      ASSERT_EQ(r.error().code, ErrorCode::unauthenticated);
    }
  };
  five_failures();
  clock_.advance(minutes{15} + seconds{1});
  five_failures();  // the first lock is over: five more guesses
  clock_.advance(minutes{15} + seconds{1});
  auto second = auth_->login("hammered", kPassword, attacker, kAgent);
  ASSERT_FALSE(second.has_value()) << "the second lock-out lasts 30 minutes";
  EXPECT_EQ(second.error().code, ErrorCode::rate_limited);
  clock_.advance(minutes{15});
  EXPECT_TRUE(auth_->login("hammered", kPassword, attacker, kAgent).has_value());
}

TEST_P(AuthServiceTest, AnAdminsPasswordResetLiftsTheLock) {
  const User admin = make_user("rescuer", {Role::admin});
  const User u = make_user("locked.out", {Role::staff});
  for (int i = 0; i < 5; ++i) {
    ASSERT_FALSE(auth_->login("locked.out", "Wrong-Horse-99", "203.0.113.9", kAgent));
  }
  ASSERT_FALSE(auth_->login("locked.out", kPassword, kAddress, kAgent).has_value());
  ASSERT_TRUE(accounts_->set_password(u.id, "Fresh-Start-2026", std::nullopt, principal_of(admin)));
  EXPECT_TRUE(auth_->login("locked.out", "Fresh-Start-2026", kAddress, kAgent).has_value());
}

TEST(LockoutLength, DoublesUpToTheCap) {
  const ThrottlePolicy p{5, minutes{15}, minutes{15}, minutes{24 * 60}};
  EXPECT_EQ(lockout_length(1, p), minutes{15});
  EXPECT_EQ(lockout_length(2, p), minutes{30});
  EXPECT_EQ(lockout_length(3, p), minutes{60});
  EXPECT_EQ(lockout_length(7, p), minutes{960});
  EXPECT_EQ(lockout_length(8, p), minutes{24 * 60});
  EXPECT_EQ(lockout_length(1000, p), minutes{24 * 60});
}

// ---- refused requests (review item 14) ----

TEST_P(AuthServiceTest, RefusalsWriteOneAuditRowPerUserRouteAndMinute) {
  const User m = make_user("prober", {Role::leader});
  const Principal p = principal_of(m);
  for (int i = 0; i < 40; ++i) {
    auth_->audit_refusal(p, "POST", "/api/members/" + std::to_string(i) + "/status",
                         "/api/members/{id}/status");
  }
  auth_->audit_refusal(p, "GET", "/api/users", "/api/users");
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied'"), 2)
      << "one row for each route, however many refusals";
  EXPECT_EQ(count("SELECT refusals FROM access_denials WHERE route = "
                  "'POST /api/members/{id}/status'"),
            40);
  clock_.advance(minutes{1});
  auth_->audit_refusal(p, "GET", "/api/users", "/api/users");
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied'"), 3)
      << "a new minute starts a new row";
}

// ---- audit ----

TEST_P(AuthServiceTest, LoginFailedLoginAndLogoutAreAudited) {
  const User u = make_user("audited", {Role::staff});
  const std::size_t before = audit_rows().size();  // user.create
  ASSERT_FALSE(auth_->login("audited", "Wrong-Horse-99", "192.0.2.1", kAgent).has_value());
  const LoginResult signed_in = must_login("audited", kPassword, "192.0.2.2");
  auto p = auth_->authenticate_session(signed_in.token, "192.0.2.3");
  ASSERT_TRUE(p.has_value());
  ASSERT_TRUE(auth_->logout(signed_in.token, *p));

  const auto rows = audit_rows();
  ASSERT_EQ(rows.size(), before + 3);
  const AuditRow& failed = rows[before];
  EXPECT_EQ(failed.action, "session.login_failed");
  EXPECT_EQ(failed.actor_id, std::nullopt);
  EXPECT_EQ(failed.actor_name, "audited");
  EXPECT_EQ(failed.address, "192.0.2.1");
  const AuditRow& login = rows[before + 1];
  EXPECT_EQ(login.action, "session.login");
  EXPECT_EQ(login.actor_id, u.id);
  EXPECT_EQ(login.actor_name, "audited");
  EXPECT_EQ(login.address, "192.0.2.2");
  EXPECT_EQ(login.entity_id, std::to_string(u.id));
  const AuditRow& logout = rows[before + 2];
  EXPECT_EQ(logout.action, "session.logout");
  EXPECT_EQ(logout.actor_id, u.id);
  EXPECT_EQ(logout.address, "192.0.2.3");
  for (const AuditRow& r : rows) {
    EXPECT_EQ(r.summary.find("Horse"), std::string::npos) << "no password in " << r.action;
    EXPECT_EQ(r.summary.find(signed_in.token), std::string::npos) << "no token in " << r.action;
  }
  auto verified = db_->with_session(
      [](soci::session& s) -> Result<AuditVerification> { return verify_audit_chain(s); });
  ASSERT_TRUE(verified.has_value());
  EXPECT_TRUE(verified->ok);
  EXPECT_EQ(verified->checked, static_cast<long long>(rows.size()));
}

// ---- the last active admin ----

TEST_P(AuthServiceTest, TheLastActiveAdminCannotBeDisabledOrDemoted) {
  const User boss = make_user("boss", {Role::admin});
  auto disable = accounts_->update_user(boss.id, disabled(true), command_line_actor());
  ASSERT_FALSE(disable.has_value());
  EXPECT_EQ(disable.error().code, ErrorCode::conflict);
  auto demote = accounts_->update_user(boss.id, with_roles({Role::staff}), command_line_actor());
  ASSERT_FALSE(demote.has_value());
  EXPECT_EQ(demote.error().code, ErrorCode::conflict);
  auto still = accounts_->get_user(boss.id);
  ASSERT_TRUE(still.has_value());
  EXPECT_FALSE(still->disabled);
  EXPECT_EQ(still->roles, std::vector<Role>{Role::admin});
  // Other changes to the last admin are fine.
  EXPECT_TRUE(accounts_->update_user(boss.id, renamed("老板"), command_line_actor()));

  const User deputy = make_user("deputy", {Role::admin});
  auto boss_off = accounts_->update_user(boss.id, disabled(true), command_line_actor());
  ASSERT_TRUE(boss_off.has_value()) << "another admin exists: " << boss_off.error().message.en;
  // Now deputy is the last active admin (boss is disabled and does not count).
  auto demote_deputy =
      accounts_->update_user(deputy.id, with_roles({Role::leader}), command_line_actor());
  ASSERT_FALSE(demote_deputy.has_value());
  EXPECT_EQ(demote_deputy.error().code, ErrorCode::conflict);
  ASSERT_TRUE(accounts_->update_user(boss.id, disabled(false), command_line_actor()));
  auto demoted =
      accounts_->update_user(deputy.id, with_roles({Role::leader}), command_line_actor());
  ASSERT_TRUE(demoted.has_value()) << demoted.error().message.en;
  EXPECT_EQ(demoted->roles, std::vector<Role>{Role::leader});
}

// ---- hash upgrade ----

TEST_P(AuthServiceTest, AWeakStoredHashIsUpgradedAtTheNextLogin) {
  make_user("old.timer", {Role::staff});  // hashed with the fast (weak) parameters
  const std::string weak = stored_hash("old.timer");
  PasswordHasher production;
  ASSERT_TRUE(production.needs_rehash(weak));

  AuthService strong(*db_, production, clock_);
  auto wrong = strong.login("old.timer", "Wrong-Horse-99", kAddress, kAgent);
  ASSERT_FALSE(wrong.has_value());
  EXPECT_EQ(stored_hash("old.timer"), weak) << "a failed login changes nothing";

  auto r = strong.login("old.timer", kPassword, kAddress, kAgent);
  ASSERT_TRUE(r.has_value()) << r.error().message.en;
  const std::string upgraded = stored_hash("old.timer");
  EXPECT_NE(upgraded, weak);
  EXPECT_NE(upgraded.find("$argon2id$"), std::string::npos) << upgraded;
  EXPECT_NE(upgraded.find("m=19456"), std::string::npos) << upgraded;
  EXPECT_NE(upgraded.find("t=2"), std::string::npos) << upgraded;
  EXPECT_FALSE(production.needs_rehash(upgraded));
  EXPECT_TRUE(production.verify(upgraded, kPassword));
  EXPECT_FALSE(production.verify(upgraded, "Wrong-Horse-99"));

  ASSERT_TRUE(strong.login("old.timer", kPassword, kAddress, kAgent).has_value());
  EXPECT_EQ(stored_hash("old.timer"), upgraded) << "a strong hash is not rehashed again";
}

INSTANTIATE_TEST_SUITE_P(Backends, AuthServiceTest, ::testing::ValuesIn(testing::test_backends()),
                         BackendName());

}  // namespace
}  // namespace xiehui::accounts
