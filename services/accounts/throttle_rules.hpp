#pragma once
// Pure rules of login throttling: a window of failures per key, then a lock-out.

#include <chrono>
#include <optional>

#include "services/accounts/session_repository.hpp"

namespace xiehui::accounts {

struct ThrottlePolicy {
  int max_failures = 5;
  std::chrono::minutes window{15};
  std::chrono::minutes lockout{15};
};

/// The counter after one more failure at `now`: a new window when the old one has passed,
/// locked for `lockout` once `max_failures` is reached.
session_repository::ThrottleRow after_failure(
    const std::optional<session_repository::ThrottleRow>& current, Timestamp now,
    const ThrottlePolicy& policy);

/// Until when the key is locked, or nullopt when it is free at `now`.
std::optional<Timestamp> locked_until(const std::optional<session_repository::ThrottleRow>& row,
                                      Timestamp now);

}  // namespace xiehui::accounts
