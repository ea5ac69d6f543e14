#include "services/accounts/throttle_rules.hpp"

#include <algorithm>

namespace xiehui::accounts {

session_repository::ThrottleRow after_failure(
    const std::optional<session_repository::ThrottleRow>& current, Timestamp now,
    const ThrottlePolicy& policy) {
  session_repository::ThrottleRow next;
  const bool fresh = !current || now >= current->window_start + policy.window ||
                     (current->locked_until && now >= *current->locked_until);
  if (fresh) {
    next.failures = 1;
    next.window_start = now;
    next.lockouts = current ? current->lockouts : 0;
  } else {
    next = *current;
    next.failures += 1;
  }
  // Failures while the key is locked (a known address passing an account's lock) are counted
  // but neither lengthen the lock nor add a lock-out.
  const bool locked_now = current && current->locked_until && now < *current->locked_until;
  if (!locked_now && next.failures >= policy.max_failures) {
    next.lockouts += 1;
    next.locked_until = now + lockout_length(next.lockouts, policy);
  }
  return next;
}

std::string user_throttle_key(std::string_view username) { return "user:" + std::string(username); }

std::string address_throttle_key(std::string_view address) {
  return "addr:" + std::string(address);
}

std::chrono::minutes lockout_length(int n, const ThrottlePolicy& policy) {
  auto length = policy.lockout;
  for (int i = 1; i < n && length < policy.max_lockout; ++i) length *= 2;
  return std::min(length, policy.max_lockout);
}

std::optional<Timestamp> locked_until(const std::optional<session_repository::ThrottleRow>& row,
                                      Timestamp now) {
  if (row && row->locked_until && *row->locked_until > now) return row->locked_until;
  return std::nullopt;
}

}  // namespace xiehui::accounts
