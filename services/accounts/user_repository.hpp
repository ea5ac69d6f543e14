#pragma once
// The only SQL about users and their roles.

#include <soci/soci.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/accounts/accounts.hpp"

namespace xiehui::accounts::user_repository {

/// Inserts the user (username already normalised) with its roles; returns the new id.
long long insert(soci::session& s, const NewUser& user, std::string_view password_hash,
                 Timestamp now);

std::optional<User> find_by_id(soci::session& s, long long id);

/// The user columns read_user_at reads (users as u, members as m, then the roles as one
/// comma-separated column), for a query that finds a user through another table: signing in by
/// a session or API token costs one query instead of three.
extern const char* const kJoinedUserColumns;
/// The user whose kJoinedUserColumns start at column `first` of `r`.
User read_user_at(const soci::row& r, std::size_t first);
/// The user with this normalised username, with roles.
/// The user, its row locked on MariaDB: a locking read sees the latest committed row whatever
/// the transaction's snapshot, so a read-modify-write cannot undo a parallel change.
std::optional<User> lock_by_id(soci::session& s, long long id);
std::optional<User> find_by_username(soci::session& s, std::string_view username);

/// A user with the stored password hash, for login.
struct Credentials {
  User user;
  std::string password_hash;
};
std::optional<Credentials> find_credentials(soci::session& s, std::string_view username);

/// One page of users ordered by username; `q` matches username or display name.
std::vector<User> list(soci::session& s, std::string_view q, int limit, int offset);
long long count(soci::session& s, std::string_view q);

void update_email(soci::session& s, long long id, const std::optional<std::string>& email);
void update_profile(soci::session& s, long long id, std::string_view display_name, bool disabled,
                    std::optional<long long> member_id, Timestamp now);
void replace_roles(soci::session& s, long long id, const std::vector<Role>& roles);
void update_password_hash(soci::session& s, long long id, std::string_view hash, Timestamp now);

/// Active (not disabled) admins, locking their rows on MariaDB so that concurrent demotions
/// cannot both pass the last-admin check.
std::vector<long long> lock_active_admins(soci::session& s);
/// The same without locking.
std::vector<long long> active_admins(soci::session& s);

/// Users holding the admin role who are not disabled.
long long count_active_admins(soci::session& s);

/// A notice addressed to one user (not to a unit), e.g. "your account was locked".
void insert_user_notice(soci::session& s, long long user_id, const std::string& kind,
                        const std::string& message, Timestamp now);

}  // namespace xiehui::accounts::user_repository
