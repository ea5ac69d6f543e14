#pragma once
// The only SQL about two-factor secrets (user_totp).

#include <soci/soci.h>

#include <optional>
#include <string>

#include "core/clock.hpp"

namespace xiehui::accounts::two_factor_repository {

struct TotpRow {
  std::string secret;  ///< base32
  bool confirmed = false;
  std::optional<Timestamp> confirmed_at;
  long long last_step = 0;
};

/// The user's secret, row-locked on MariaDB when `lock` (a code check then stores its step).
std::optional<TotpRow> find(soci::session& s, long long user_id, bool lock);
/// A new pending secret, replacing any pending or confirmed one.
void put_pending(soci::session& s, long long user_id, const std::string& secret, Timestamp now);
void confirm(soci::session& s, long long user_id, long long step, Timestamp now);
void set_last_step(soci::session& s, long long user_id, long long step);
/// Removes the user's secret; true when there was one.
bool remove(soci::session& s, long long user_id);

}  // namespace xiehui::accounts::two_factor_repository
