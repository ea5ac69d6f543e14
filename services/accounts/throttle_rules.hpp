#pragma once
// Pure rules of login throttling: a window of failures per key, then a lock-out.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "services/accounts/session_repository.hpp"

namespace xiehui::accounts {

struct ThrottlePolicy {
  int max_failures = 5;
  std::chrono::minutes window{15};
  std::chrono::minutes lockout{15};
  /// Each lock-out of a key that is locked again lasts twice the one before, up to this.
  std::chrono::minutes max_lockout{24 * 60};
};

/// The counter after one more failure at `now`: a new window when the old one has passed,
/// locked once `max_failures` is reached — for `lockout` the first time, twice as long each
/// further time (lockouts counts them; a success or the row's expiry starts over).
session_repository::ThrottleRow after_failure(
    const std::optional<session_repository::ThrottleRow>& current, Timestamp now,
    const ThrottlePolicy& policy);

/// The login_throttle keys of a username and of a client address.
std::string user_throttle_key(std::string_view username);
std::string address_throttle_key(std::string_view address);

/// How long the n-th lock-out in a row lasts (n >= 1).
std::chrono::minutes lockout_length(int n, const ThrottlePolicy& policy);

/// Until when the key is locked, or nullopt when it is free at `now`.
std::optional<Timestamp> locked_until(const std::optional<session_repository::ThrottleRow>& row,
                                      Timestamp now);

}  // namespace xiehui::accounts
