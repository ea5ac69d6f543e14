#pragma once
// Account use cases: creating users and the initial administrator.

#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/db/database.hpp"
#include "core/error.hpp"
#include "services/accounts/accounts.hpp"
#include "services/accounts/password_hasher.hpp"

namespace xiehui::accounts {

struct AccountsPolicy {
  std::size_t min_password_length = 10;
};

class AccountsService {
 public:
  AccountsService(db::Database& db, PasswordHasher& hasher, const Clock& clock,
                  AccountsPolicy policy = {})
      : db_(db), hasher_(hasher), clock_(clock), policy_(policy) {}

  /// Validates (invalid_argument naming fields), hashes and stores a user. A taken username is
  /// already_exists naming "username".
  Result<User> create_user(NewUser user);

  /// When no active admin exists, creates user "admin" with `password`, or with a generated
  /// one that is returned so the caller can show it once. nullopt when an admin existed (or
  /// another process created one meanwhile).
  Result<std::optional<std::string>> ensure_initial_admin(std::optional<std::string> password);

 private:
  db::Database& db_;
  PasswordHasher& hasher_;
  const Clock& clock_;
  AccountsPolicy policy_;
};

/// A random password of 20 characters from an unambiguous alphabet.
std::string generate_password();

}  // namespace xiehui::accounts
