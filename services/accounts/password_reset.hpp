#pragma once
// A forgotten password: a one-time link by e-mail. The token is random, stored only as its
// SHA-256, lives 30 minutes and dies with its first use or the next new password. The request
// answers the same whether or not the name or address exists; requests are limited per client
// address (429) and, silently, per account (3 mails an hour).

#include <chrono>
#include <string>

#include "core/clock.hpp"
#include "core/db/database.hpp"
#include "core/error.hpp"
#include "services/accounts/credential_cache.hpp"
#include "services/accounts/password_hasher.hpp"

namespace xiehui::accounts {

struct PasswordResetPolicy {
  std::size_t min_password_length = 10;
  int per_address_per_hour = 10;
  int per_account_per_hour = 3;
  std::chrono::minutes lifetime{30};
  /// The base of the link (the configured public_url): never the request's Host header, which
  /// an attacker could point at a site of theirs to catch the token.
  std::string base_url;
};

class PasswordResetService {
 public:
  /// `credentials`: the lookups to forget when a reset ends the user's sessions.
  PasswordResetService(db::Database& db, PasswordHasher& hasher, const Clock& clock,
                       PasswordResetPolicy policy, CredentialCache* credentials = nullptr)
      : db_(db), hasher_(hasher), clock_(clock), policy_(policy), credentials_(credentials) {}

  /// Mails a reset link (policy base_url + "/reset-password?token=…") to the account's e-mail when
  /// the name or address is an enabled account with one; otherwise does nothing. Fails only
  /// when the address is over its limit (rate_limited) or on a database error.
  Status request(const std::string& username_or_email, const std::string& address);

  /// The base of reset links; only before serving.
  void set_base_url(std::string url) { policy_.base_url = std::move(url); }

  /// Sets the password of the token's account, spends its tokens, ends its sessions and lifts
  /// a sign-in lock. A wrong, used or expired token names the field "token".
  Status confirm(const std::string& token, const std::string& password);

 private:
  db::Database& db_;
  PasswordHasher& hasher_;
  const Clock& clock_;
  PasswordResetPolicy policy_;
  CredentialCache* credentials_;
};

}  // namespace xiehui::accounts
