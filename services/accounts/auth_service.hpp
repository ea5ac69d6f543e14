#pragma once
// Signing in and out, resolving a session cookie or API token to a Principal, throttling
// failed logins, and personal API tokens.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/access.hpp"
#include "core/clock.hpp"
#include "core/db/database.hpp"
#include "core/error.hpp"
#include "services/accounts/accounts.hpp"
#include "services/accounts/credential_cache.hpp"
#include "services/accounts/password_hasher.hpp"
#include "services/accounts/throttle_rules.hpp"

namespace xiehui::accounts {

struct SessionPolicy {
  std::chrono::minutes idle_timeout{30};
  std::chrono::minutes absolute_timeout{12 * 60};
  /// last_seen_at is written at most this often, so a session check costs no write.
  std::chrono::seconds touch_interval{60};
  ThrottlePolicy per_user{5, std::chrono::minutes{15}, std::chrono::minutes{15}};
  ThrottlePolicy per_address{50, std::chrono::minutes{15}, std::chrono::minutes{15}};
  /// An address with a successful sign-in to an account this recently passes the account's
  /// lock (not its own per-address limit).
  std::chrono::hours known_address_for{90 * 24};
};

/// A successful login: the cookie token (shown once, stored hashed) and its CSRF token.
struct LoginResult {
  std::string token;
  std::string csrf_token;
  User user;
  bool two_factor_setup_required = false;  ///< the session may only set a second factor up
};

/// A personal API token as listed (never the secret).
struct ApiToken {
  long long id = 0;
  std::string name;
  Timestamp created_at;
  std::optional<Timestamp> last_used_at;
  bool revoked = false;
};

/// One of a user's signed-in sessions (a browser on a device).
struct ActiveSession {
  long long id = 0;
  Timestamp created_at;
  Timestamp last_seen_at;
  Timestamp expires_at;
  std::string address;
  std::string user_agent;
  bool current = false;  ///< the session making the request
};

class AuthService {
 public:
  /// With `credentials`, lookups of session and API tokens are remembered there for a moment
  /// (see CredentialCache); without, every request reads the database.
  AuthService(db::Database& db, PasswordHasher& hasher, const Clock& clock,
              SessionPolicy policy = {}, CredentialCache* credentials = nullptr);

  /// Checks throttling (rate_limited with the wait, even for a right password), then the
  /// password. Five failures lock the account for addresses that have not signed in to it
  /// recently (its owner's usual addresses still can), the owner and the admins get a notice,
  /// and each further lock-out lasts twice as long. An unknown user, a disabled user and a wrong
  /// password get the same unauthenticated answer. Audits the login or the failure.
  /// `throttle_address` is the key the per-address limit counts under (an IPv6 client's /64);
  /// empty means `address` itself, which is what sessions record and known addresses match.
  /// An account with two-factor sign-in needs `totp_code` too: without one, unauthenticated
  /// naming `totp_code` (the attempt is not counted); a wrong or used code counts as a failure.
  Result<LoginResult> login(std::string_view username, std::string_view password,
                            std::string_view address, std::string_view user_agent,
                            std::string_view throttle_address = {},
                            std::string_view totp_code = {});

  /// The principal of a live session token; unauthenticated when unknown, revoked, idle past
  /// the idle timeout, past the absolute timeout, or of a disabled user.
  Result<Principal> authenticate_session(std::string_view token, std::string_view address);
  /// The principal of a live API token (Authorization: Bearer).
  Result<Principal> authenticate_token(std::string_view token, std::string_view address);

  /// Ends the session of `token` server-side and audits it.
  Status logout(std::string_view token, const Principal& who);

  /// The caller's live sessions, newest first; `current_token` (the caller's cookie, if any)
  /// marks its own.
  Result<std::vector<ActiveSession>> list_sessions(const Principal& who,
                                                   std::string_view current_token);
  /// Ends one of the caller's sessions (not_found for another user's or an ended one); true
  /// when it was the session of `current_token` (the caller signed themselves out).
  Result<bool> end_session(const Principal& who, long long id, std::string_view current_token);

  /// The CSRF token that belongs to a session token (derived, so nothing more is stored).
  static std::string csrf_for(std::string_view session_token);

  /// Creates a personal API token for the caller; the secret is returned once.
  Result<std::pair<ApiToken, std::string>> create_token(const Principal& who,
                                                        std::string_view name);
  Result<std::vector<ApiToken>> list_tokens(const Principal& who);
  /// Revokes one of the caller's tokens (not_found for another user's).
  Status revoke_token(const Principal& who, long long id);

  /// Audits a refused request (permission denied) in its own transaction: the first refusal of
  /// the user on the route (its pattern, e.g. /api/members/{id}) in a minute writes an audit
  /// row, the others of that minute are counted in access_denials.
  void audit_refusal(const Principal& who, std::string_view method, std::string_view path,
                     std::string_view route);

  const SessionPolicy& policy() const { return policy_; }

 private:
  std::optional<Principal> remembered(CredentialKind kind, std::string_view hash,
                                      std::string_view address, Timestamp now) const;
  void remember(CredentialKind kind, std::string_view hash, const Principal& who, Timestamp now,
                Timestamp good_until, std::uint64_t generation);
  Result<Principal> principal_for(soci::session& s, long long user_id, std::string_view address);
  Result<std::optional<Timestamp>> reserve_attempt(std::string_view username,
                                                   std::string_view address,
                                                   std::string_view throttle_address,
                                                   Timestamp now);
  void release_address_attempt(soci::session& s, std::string_view address);
  void release_user_attempt(soci::session& s, std::string_view username);
  bool known_address(soci::session& s, std::string_view username, std::string_view address,
                     Timestamp now) const;
  void audit_failure(std::string_view username, std::string_view address, Timestamp now);
  void notify_lock(soci::session& s, const User& user, std::string_view address, Timestamp until,
                   Timestamp now);

  db::Database& db_;
  PasswordHasher& hasher_;
  const Clock& clock_;
  SessionPolicy policy_;
  CredentialCache* credentials_;
  std::string dummy_hash_;  // verified against for unknown users: equal time, equal answer
};

}  // namespace xiehui::accounts
