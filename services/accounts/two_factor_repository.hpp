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

/// The setting security.require_two_factor: staff and admins must sign in with a second factor.
bool required(soci::session& s);
void set_required(soci::session& s, bool on, Timestamp now);
/// Marks (or unmarks, `on` false) the live sessions of staff and admin accounts without a
/// confirmed second factor as able only to set one up; with `user_id`, that user's sessions.
void mark_sessions(soci::session& s, bool on, std::optional<long long> user_id = std::nullopt);

}  // namespace xiehui::accounts::two_factor_repository
