// The pause between attempts of a write transaction that lost a conflict.
#include <gtest/gtest.h>

#include <cstdlib>

#include "core/db/retry_backoff.hpp"

namespace xiehui::db {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

TEST(RetryBackoff, FirstAttemptDoesNotWait) {
  EXPECT_EQ(retry_backoff(1, 0.99), microseconds(0));
  EXPECT_EQ(retry_backoff(0, 0.5), microseconds(0));
}

TEST(RetryBackoff, CeilingDoublesFromTheBaseUpToTheCap) {
  // unit just below 1: the ceiling itself (less a rounding microsecond).
  const double top = 0.999999;
  EXPECT_LE(std::abs(retry_backoff(2, top).count() - 1000), 1);
  EXPECT_LE(std::abs(retry_backoff(3, top).count() - 2000), 1);
  EXPECT_LE(std::abs(retry_backoff(4, top).count() - 4000), 1);
  EXPECT_LE(std::abs(retry_backoff(9, top).count() - 128000), 1);
  EXPECT_LE(std::abs(retry_backoff(10, top).count() - 256000), 1);
  EXPECT_LE(std::abs(retry_backoff(11, top).count() - 256000), 1) << "capped";
  EXPECT_LE(std::abs(retry_backoff(1000, top).count() - 256000), 1) << "no overflow";
}

TEST(RetryBackoff, JitterSpreadsOverTheWholeRange) {
  EXPECT_EQ(retry_backoff(5, 0.0), microseconds(0));
  EXPECT_EQ(retry_backoff(5, 0.5), microseconds(4000));
  EXPECT_EQ(retry_backoff(5, 0.25, milliseconds(2), milliseconds(10)), microseconds(2500));
  EXPECT_EQ(retry_backoff(5, 7.0), retry_backoff(5, 1.0)) << "a draw outside [0, 1) is clamped";
  EXPECT_EQ(retry_backoff(5, -1.0), microseconds(0));
}

TEST(RetryBackoff, AllAttemptsTogetherLastSecondsNotMinutes) {
  microseconds total{0};
  for (int attempt = 2; attempt <= kMaxWriteAttempts; ++attempt)
    total += retry_backoff(attempt, 1.0);
  EXPECT_LT(total, milliseconds(4000)) << "a request still answers within seconds";
  EXPECT_GT(total, milliseconds(2000)) << "long enough for a burst of conflicts to drain";
}

TEST(RetryBackoff, GaleraAttemptsTogetherStayWithinAnHttpClientsPatience) {
  microseconds total{0};
  for (int attempt = 2; attempt <= kMaxGaleraWriteAttempts; ++attempt)
    total += retry_backoff(attempt, 1.0);
  EXPECT_LT(total, milliseconds(11000)) << "at worst ~10 s, under the usual 30 s client timeout";
  EXPECT_GT(kMaxGaleraWriteAttempts, kMaxWriteAttempts);
}

}  // namespace
}  // namespace xiehui::db
