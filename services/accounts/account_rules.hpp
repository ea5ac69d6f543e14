#pragma once
// Pure rules for accounts: usernames, display names, passwords, role combinations.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "services/accounts/accounts.hpp"

namespace xiehui::accounts {

inline constexpr std::size_t kMaxPasswordLength = 128;

/// Lower-cases and trims a username as it is stored and looked up.
std::string normalise_username(std::string_view username);

/// Field errors for a new user (fields "username", "display_name", "password", "roles",
/// "member_id"); empty when the user may be created. `username` must be normalised.
std::vector<FieldError> check_new_user(const NewUser& user, std::size_t min_password_length);

/// Field errors for a display name (1–100 characters).
std::vector<FieldError> check_display_name(std::string_view name);

/// Field errors for a role set: at least one role; a member account has only that role and
/// exactly one unit; other accounts have no unit.
std::vector<FieldError> check_roles(const std::vector<Role>& roles,
                                    const std::optional<long long>& member_id);

/// Field errors for a password: length `min_length`..128 code points, not the username, not on
/// the built-in list of the most common passwords. Any characters are allowed.
std::vector<FieldError> check_password(std::string_view username, std::string_view password,
                                       std::size_t min_length);

/// Number of Unicode code points in valid UTF-8 (invalid bytes count one each).
std::size_t utf8_length(std::string_view s);

/// Adds "应为 min–max 个字符" for `field` to `errors` unless `value` has min..max characters: the
/// one length rule every form's text fields share.
void check_length(std::vector<FieldError>& errors, std::string_view value, const std::string& field,
                  std::size_t min, std::size_t max);

}  // namespace xiehui::accounts
