#pragma once
// How long a write transaction that lost a conflict waits before it runs again.

#include <chrono>

namespace xiehui::db {

/// Attempts of one write transaction on MariaDB before a conflict is reported as unavailable.
/// Under Galera every transaction that touches a hot row (a class's seats, the audit chain's
/// head) on another node at the same time fails certification at commit; most of 200 parallel
/// sign-ups over three nodes lost at least once, so four quick attempts were not enough.
inline constexpr int kMaxWriteAttempts = 12;

/// The pause before attempt `attempt` (2, 3, …) of a transaction: "full jitter", a uniformly
/// random point in [0, min(cap, base·2^(attempt−2))], `unit` being a uniform draw from [0, 1).
/// Randomness spreads the losers of one conflict apart so they do not collide again; the cap
/// keeps the whole run of attempts under about a second.
std::chrono::microseconds retry_backoff(
    int attempt, double unit, std::chrono::microseconds base = std::chrono::milliseconds(1),
    std::chrono::microseconds cap = std::chrono::milliseconds(128));

}  // namespace xiehui::db
