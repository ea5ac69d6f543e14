#pragma once
// The only SQL about users and their roles.

#include <soci/soci.h>

#include <optional>
#include <string_view>

#include "services/accounts/accounts.hpp"

namespace xiehui::accounts::user_repository {

/// Inserts the user (username already normalised) with its roles; returns the new id.
long long insert(soci::session& s, const NewUser& user, std::string_view password_hash,
                 Timestamp now);

/// The user with this normalised username, with roles.
std::optional<User> find_by_username(soci::session& s, std::string_view username);

/// Users holding the admin role who are not disabled.
long long count_active_admins(soci::session& s);

}  // namespace xiehui::accounts::user_repository
