#pragma once
// How long a write transaction that lost a conflict waits before it runs again.

#include <chrono>

namespace xiehui::db {

/// Attempts of one write transaction on MariaDB before a conflict is reported as unavailable.
/// On Galera any two write transactions of different nodes at the same moment conflict (they
/// all write the cluster's write token), and the later one runs again. 200 sign-ups at once over
/// three nodes took ~2 s to drain: with 4 quick attempts 152 were answered 503, with 12 attempts
/// (pauses capped at 128 ms, ≤ 0.64 s in all) 23; these 20 allow ~3.3 s.
inline constexpr int kMaxWriteAttempts = 20;
/// On a Galera node conflicts are the normal path under load, not an accident: 16 clients
/// paying at once over three nodes lost 1–2 payments in 200 after 20 attempts. 48 allow ~10 s
/// at most (~5 s typical), which only a burst far above the association's traffic reaches.
inline constexpr int kMaxGaleraWriteAttempts = 48;

/// The pause before attempt `attempt` (2, 3, …) of a transaction: "full jitter", a uniformly
/// random point in [0, min(cap, base·2^(attempt−2))], `unit` being a uniform draw from [0, 1).
/// Randomness spreads the losers of one conflict apart so they do not collide again; the cap
/// bounds one pause, so a burst drains at the rate the cluster commits.
std::chrono::microseconds retry_backoff(
    int attempt, double unit, std::chrono::microseconds base = std::chrono::milliseconds(1),
    std::chrono::microseconds cap = std::chrono::milliseconds(256));

}  // namespace xiehui::db
