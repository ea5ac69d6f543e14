#pragma once
// Two-factor sign-in with an authenticator app (TOTP, RFC 6238): a user enrols by scanning a
// secret and confirming one code from it; from then on a sign-in needs a current code too, and
// no code is accepted twice. An admin can take a user's second factor away (a lost phone).

#include <optional>
#include <string>
#include <string_view>

#include "core/access.hpp"
#include "core/clock.hpp"
#include "core/db/database.hpp"
#include "core/error.hpp"
#include "services/accounts/credential_cache.hpp"

namespace xiehui::accounts {

struct TwoFactorStatus {
  bool enabled = false;
  bool pending = false;  ///< a secret was handed out but no code from it confirmed yet
  std::optional<Timestamp> enabled_at;
};

/// What an authenticator app needs: the secret as text, the otpauth URI and its QR code.
struct TwoFactorSetup {
  std::string secret;
  std::string uri;
  std::string qr_svg;
};

class TwoFactorService {
 public:
  TwoFactorService(db::Database& db, const Clock& clock, CredentialCache* credentials = nullptr)
      : db_(db), clock_(clock), credentials_(credentials) {}

  Result<TwoFactorStatus> status(const Principal& who);
  /// A new secret for the caller, pending until confirmed; conflict when one is enabled already
  /// (disable it first).
  Result<TwoFactorSetup> begin(const Principal& who);
  /// Enables the pending secret with a code from it (400 naming `code` otherwise).
  Status confirm(const Principal& who, std::string_view code);
  /// Turns the caller's second factor off; needs a current code (400 naming `code`).
  Status disable(const Principal& who, std::string_view code);
  /// An admin removes another user's second factor and ends the user's sessions and tokens
  /// (conflict for the admin's own: that takes a code, see disable).
  Status reset(const Principal& admin, long long user_id);

  /// The setting: staff and admins must sign in with a second factor.
  Result<bool> required();
  /// Turns the requirement on or off (settings.manage). On: the live sessions of staff and
  /// admins without a second factor may from now on only set one up. Audited.
  Result<bool> set_required(const Principal& admin, bool on);

 private:
  db::Database& db_;
  const Clock& clock_;
  CredentialCache* credentials_;
};

/// Whether the user signs in with a second factor (read in the login's own session).
bool two_factor_enabled(soci::session& s, long long user_id);

/// Inside the login's transaction: whether `code` is a current code of the user's enabled
/// secret not used before; an accepted code's step is stored, so it is refused next time.
bool accept_two_factor_code(soci::session& s, long long user_id, std::string_view code,
                            Timestamp now);

}  // namespace xiehui::accounts
