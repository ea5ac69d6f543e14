#pragma once
// Account use cases: creating and managing users, passwords, and the initial administrator.
// Every change is audited in its own transaction; disabling a user, changing its roles or unit
// or its password ends that user's sessions and API tokens at once.

#include <optional>
#include <string>
#include <vector>

#include "core/access.hpp"
#include "core/clock.hpp"
#include "core/db/database.hpp"
#include "core/error.hpp"
#include "services/accounts/accounts.hpp"
#include "services/accounts/credential_cache.hpp"
#include "services/accounts/password_hasher.hpp"

namespace xiehui::accounts {

struct AccountsPolicy {
  std::size_t min_password_length = 10;
};

/// Fields an admin may change; absent fields stay as they are.
struct UserPatch {
  std::optional<std::string> display_name;
  std::optional<std::vector<Role>> roles;
  std::optional<bool> disabled;
  std::optional<std::optional<long long>> member_id;
  std::optional<std::optional<std::string>> email;  ///< set: new address or none
};

/// One page of users.
struct UserPage {
  std::vector<User> items;
  long long total = 0;
};

/// The actor of changes made from the command line.
Principal command_line_actor();

class AccountsService {
 public:
  /// `credentials`: the lookups to forget when a user's password, roles, unit or state change.
  AccountsService(db::Database& db, PasswordHasher& hasher, const Clock& clock,
                  AccountsPolicy policy = {}, CredentialCache* credentials = nullptr)
      : db_(db), hasher_(hasher), clock_(clock), policy_(policy), credentials_(credentials) {}

  /// Validates (invalid_argument naming fields), hashes and stores a user. A taken username is
  /// already_exists naming "username".
  Result<User> create_user(NewUser user, const Principal& actor);

  Result<UserPage> list_users(std::string_view q, int page, int page_size);
  Result<User> get_user(long long id);

  /// Changes a user, validating only the fields the patch sets. Refuses (conflict) to disable or
  /// demote the last active admin.
  Result<User> update_user(long long id, const UserPatch& patch, const Principal& actor);

  /// Sets a password. A user changing its own password gives the current one (admins too); an
  /// admin (users.manage) resets another user's without it. Ends the user's sessions and API
  /// tokens.
  Status set_password(long long id, std::string_view password,
                      const std::optional<std::string>& current_password, const Principal& actor);

  /// When no active admin exists, creates user "admin" with `password`, or with a generated
  /// one that is returned so the caller can show it once. nullopt when an admin existed (or
  /// another process created one meanwhile).
  Result<std::optional<std::string>> ensure_initial_admin(std::optional<std::string> password);

 private:
  db::Database& db_;
  PasswordHasher& hasher_;
  const Clock& clock_;
  AccountsPolicy policy_;
  CredentialCache* credentials_;
};

/// A random password of 20 characters from an unambiguous alphabet.
std::string generate_password();

}  // namespace xiehui::accounts
