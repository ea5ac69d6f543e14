// CredentialCache: how long a lookup is remembered, what forgets it, and that a lookup begun
// before a forget is not remembered.
#include "services/accounts/credential_cache.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace xiehui::accounts {
namespace {

using namespace std::chrono_literals;

constexpr CredentialKind kS = CredentialKind::session;
const Timestamp t0 = Timestamp(std::chrono::sys_days(std::chrono::year(2026) / 12 / 5));

Principal staff() {
  Principal p;
  p.user_id = 7;
  p.username = "mishu";
  p.display_name = "秘书处小王";
  p.roles = {Role::staff};
  p.address = "10.0.0.1";
  return p;
}

TEST(CredentialCache, RemembersForTheTtlAndNotLonger) {
  CredentialCache cache(1000ms);
  cache.remember(kS, "h1", staff(), t0, Timestamp::max(), cache.generation());
  auto hit = cache.find(kS, "h1", t0 + 999ms);
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->username, "mishu");
  EXPECT_EQ(hit->roles, std::vector<Role>{Role::staff});
  EXPECT_EQ(hit->address, "") << "the address is each request's own";
  EXPECT_FALSE(cache.find(kS, "h1", t0 + 1000ms));
  EXPECT_FALSE(cache.find(kS, "h2", t0)) << "another credential";
}

TEST(CredentialCache, NeverPastTheCredentialsOwnEnd) {
  CredentialCache cache(1000ms);
  cache.remember(kS, "h1", staff(), t0, t0 + 300ms, cache.generation());
  EXPECT_TRUE(cache.find(kS, "h1", t0 + 299ms));
  EXPECT_FALSE(cache.find(kS, "h1", t0 + 300ms))
      << "the session's idle or absolute end comes first";
  cache.remember(kS, "h2", staff(), t0, t0, cache.generation());
  EXPECT_FALSE(cache.find(kS, "h2", t0)) << "already over: not remembered";
}

TEST(CredentialCache, ASessionIsNeverTakenForAnApiTokenOrTheOtherWay) {
  CredentialCache cache(1000ms);
  cache.remember(CredentialKind::api_token, "h1", staff(), t0, Timestamp::max(),
                 cache.generation());
  EXPECT_FALSE(cache.find(CredentialKind::session, "h1", t0));
  EXPECT_TRUE(cache.find(CredentialKind::api_token, "h1", t0));
}

TEST(CredentialCache, ForgetAllDropsEverything) {
  CredentialCache cache(1000ms);
  cache.remember(kS, "h1", staff(), t0, Timestamp::max(), cache.generation());
  cache.remember(kS, "h2", staff(), t0, Timestamp::max(), cache.generation());
  cache.forget_all();
  EXPECT_FALSE(cache.find(kS, "h1", t0));
  EXPECT_FALSE(cache.find(kS, "h2", t0));
  EXPECT_EQ(cache.size(), 0u);
}

TEST(CredentialCache, ALookupBegunBeforeAForgetIsNotRemembered) {
  CredentialCache cache(1000ms);
  const auto before = cache.generation();
  cache.forget_all();  // a sign-out commits while the lookup reads the old row
  cache.remember(kS, "h1", staff(), t0, Timestamp::max(), before);
  EXPECT_FALSE(cache.find(kS, "h1", t0));
  cache.remember(kS, "h1", staff(), t0, Timestamp::max(), cache.generation());
  EXPECT_TRUE(cache.find(kS, "h1", t0));
}

TEST(CredentialCache, ZeroTtlRemembersNothing) {
  CredentialCache cache(0ms);
  cache.remember(kS, "h1", staff(), t0, Timestamp::max(), cache.generation());
  EXPECT_FALSE(cache.find(kS, "h1", t0));
  EXPECT_EQ(cache.size(), 0u);
}

TEST(CredentialCache, StaysWithinItsCapacity) {
  CredentialCache cache(1000ms, 3);
  for (int i = 0; i < 3; ++i) {
    cache.remember(kS, "old" + std::to_string(i), staff(), t0, Timestamp::max(),
                   cache.generation());
  }
  // Later, when the first three are over: they make room.
  cache.remember(kS, "new", staff(), t0 + 2s, Timestamp::max(), cache.generation());
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_TRUE(cache.find(kS, "new", t0 + 2s));
  // All still good and the cache full: it starts over rather than grow.
  cache.remember(kS, "a", staff(), t0 + 2s, Timestamp::max(), cache.generation());
  cache.remember(kS, "b", staff(), t0 + 2s, Timestamp::max(), cache.generation());
  cache.remember(kS, "c", staff(), t0 + 2s, Timestamp::max(), cache.generation());
  EXPECT_LE(cache.size(), 3u);
  EXPECT_TRUE(cache.find(kS, "c", t0 + 2s));
}

}  // namespace
}  // namespace xiehui::accounts
