#include "services/accounts/throttle_rules.hpp"

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
  } else {
    next = *current;
    next.failures += 1;
  }
  if (next.failures >= policy.max_failures) next.locked_until = now + policy.lockout;
  return next;
}

std::optional<Timestamp> locked_until(const std::optional<session_repository::ThrottleRow>& row,
                                      Timestamp now) {
  if (row && row->locked_until && *row->locked_until > now) return row->locked_until;
  return std::nullopt;
}

}  // namespace xiehui::accounts
