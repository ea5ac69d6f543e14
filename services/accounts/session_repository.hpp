#pragma once
// The only SQL about login sessions, API tokens and login throttling.

#include <soci/soci.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "services/accounts/accounts.hpp"

namespace xiehui::accounts::session_repository {

struct SessionRow {
  long long id = 0;
  long long user_id = 0;
  Timestamp last_seen_at;
  Timestamp expires_at;
  bool revoked = false;
  bool needs_two_factor = false;
};

void insert_session(soci::session& s, std::string_view token_hash, long long user_id, Timestamp now,
                    Timestamp expires_at, std::string_view address, std::string_view user_agent,
                    bool needs_two_factor = false);
std::optional<SessionRow> find_session(soci::session& s, std::string_view token_hash);
void touch_session(soci::session& s, long long id, Timestamp now);

/// A live session as its owner sees it in the list of their sessions.
struct LiveSession {
  long long id = 0;
  std::string token_hash;
  Timestamp created_at;
  Timestamp last_seen_at;
  Timestamp expires_at;
  std::string address;
  std::string user_agent;
};
/// The user's sessions not revoked, not expired and seen since `idle_since`, newest first.
std::vector<LiveSession> live_sessions(soci::session& s, long long user_id, Timestamp now,
                                       Timestamp idle_since);
/// The owner of session `id`, if it is not revoked.
std::optional<long long> live_session_owner(soci::session& s, long long id);
void revoke_session(soci::session& s, long long id, Timestamp now);
/// Whether the user signed in successfully from `address` since `since` (a session was made).
bool signed_in_from(soci::session& s, long long user_id, std::string_view address, Timestamp since);
/// Revokes every live session of the user; returns how many.
long long revoke_user_sessions(soci::session& s, long long user_id, Timestamp now);
/// Revokes every live API token of the user; returns how many.
long long revoke_user_tokens(soci::session& s, long long user_id, Timestamp now);
/// Ends everything that signs the user in (sessions and API tokens): called whenever the
/// user's password, roles, unit or enabled state changes, so no credential outlives the change.
void end_user_access(soci::session& s, long long user_id, Timestamp now);

struct TokenRow {
  long long id = 0;
  long long user_id = 0;
  std::string name;
  Timestamp created_at;
  std::optional<Timestamp> last_used_at;
  bool revoked = false;
};

/// A session or API token with its user and the user's roles, read in one query (every
/// signed-in request starts with this).
struct SessionWithUser {
  SessionRow session;
  User user;
};
std::optional<SessionWithUser> find_session_with_user(soci::session& s,
                                                      std::string_view token_hash);
struct TokenWithUser {
  TokenRow token;
  User user;
};
std::optional<TokenWithUser> find_token_with_user(soci::session& s, std::string_view token_hash);

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
  int lockouts = 0;  ///< lock-outs in a row: each one lasts twice as long as the one before
};

/// How long a counter row outlives its window: longer than every window kept in
/// login_throttle (sign-ins 15 min, applications 1 h).
inline constexpr std::chrono::hours kThrottleRetention{2};

/// Creates an empty counter row for `key` unless one exists. Run outside a transaction: once
/// the rows exist, locking them takes record locks only, never the gap locks on missing keys
/// that make concurrent first attempts deadlock on MariaDB. Creating a row also deletes the
/// rows whose window and lock ended kThrottleRetention ago, so the table holds only live
/// counters however many names an attacker tries.
void ensure_throttle(soci::session& s, std::string_view key, Timestamp now);
/// Deletes the counter of `key` (an admin's password reset lifts the account's lock).
void delete_throttle(soci::session& s, std::string_view key);
/// Rows in login_throttle (for tests and metrics).
long long count_throttles(soci::session& s);
/// The counter row for `key`, locked on MariaDB for the read-then-write that follows.
std::optional<ThrottleRow> lock_throttle(soci::session& s, std::string_view key);
std::optional<ThrottleRow> find_throttle(soci::session& s, std::string_view key);
void insert_throttle(soci::session& s, std::string_view key, const ThrottleRow& row);
/// Writes the counter of `key`, inserting it when a sweep removed it meanwhile.
void update_throttle(soci::session& s, std::string_view key, const ThrottleRow& row);

/// Counts one refused request of `user_id` on `route` in the minute starting at `minute`;
/// true when it is the first of that minute (the caller then writes the audit row). Also
/// deletes counters older than a day when it starts a new one. Run outside a transaction
/// (each statement on its own): no gap locks held between the insert and the update.
bool count_denial(soci::session& s, long long user_id, std::string_view route, Timestamp minute);
/// How many refusals were counted for the user on the route in that minute (0 when none).
long long denials_in(soci::session& s, long long user_id, std::string_view route, Timestamp minute);

}  // namespace xiehui::accounts::session_repository
