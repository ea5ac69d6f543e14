#pragma once
// The only SQL about login sessions, API tokens and login throttling.

#include <soci/soci.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"

namespace xiehui::accounts::session_repository {

struct SessionRow {
  long long id = 0;
  long long user_id = 0;
  Timestamp last_seen_at;
  Timestamp expires_at;
  bool revoked = false;
};

void insert_session(soci::session& s, std::string_view token_hash, long long user_id, Timestamp now,
                    Timestamp expires_at, std::string_view address, std::string_view user_agent);
std::optional<SessionRow> find_session(soci::session& s, std::string_view token_hash);
void touch_session(soci::session& s, long long id, Timestamp now);
void revoke_session(soci::session& s, long long id, Timestamp now);
/// Revokes every live session of the user; returns how many.
long long revoke_user_sessions(soci::session& s, long long user_id, Timestamp now);

struct TokenRow {
  long long id = 0;
  long long user_id = 0;
  std::string name;
  Timestamp created_at;
  std::optional<Timestamp> last_used_at;
  bool revoked = false;
};

long long insert_token(soci::session& s, std::string_view token_hash, long long user_id,
                       std::string_view name, Timestamp now);
std::optional<TokenRow> find_token(soci::session& s, std::string_view token_hash);
std::optional<TokenRow> find_token_by_id(soci::session& s, long long id);
std::vector<TokenRow> list_tokens(soci::session& s, long long user_id);
void touch_token(soci::session& s, long long id, Timestamp now);
void revoke_token(soci::session& s, long long id, Timestamp now);

struct ThrottleRow {
  int failures = 0;
  Timestamp window_start;
  std::optional<Timestamp> locked_until;
};

/// Creates an empty counter row for `key` unless one exists. Run outside a transaction: once
/// the rows exist, locking them takes record locks only, never the gap locks on missing keys
/// that make concurrent first attempts deadlock on MariaDB.
void ensure_throttle(soci::session& s, std::string_view key, Timestamp now);
/// The counter row for `key`, locked on MariaDB for the read-then-write that follows.
std::optional<ThrottleRow> lock_throttle(soci::session& s, std::string_view key);
std::optional<ThrottleRow> find_throttle(soci::session& s, std::string_view key);
void insert_throttle(soci::session& s, std::string_view key, const ThrottleRow& row);
void update_throttle(soci::session& s, std::string_view key, const ThrottleRow& row);

}  // namespace xiehui::accounts::session_repository
