#pragma once
// The SQL of password resets: who a name or address belongs to, the hashed one-time tokens, and
// the counts that throttle requests.

#include <soci/soci.h>

#include <optional>
#include <string>

#include "core/clock.hpp"

namespace xiehui::accounts::password_reset_repository {

struct ResetUser {
  long long id = 0;
  std::string username;
  std::string display_name;
  std::string email;
};

/// The enabled user with this username, or else the one enabled user with this e-mail (an
/// address two accounts share names neither: the mail could not say which one is meant).
std::optional<ResetUser> find_user(soci::session& s, const std::string& username_or_email);

long long requests_for_user_since(soci::session& s, long long user_id, Timestamp t);

void insert_token(soci::session& s, long long user_id, const std::string& token_hash,
                  const std::string& address, Timestamp now, Timestamp expires);

/// The user of an unused, unexpired token, its row locked (the token is spent in this
/// transaction).
std::optional<long long> lock_token_user(soci::session& s, const std::string& token_hash,
                                         Timestamp now);
/// Spends every open token of the user: one new password ends all outstanding links.
void spend_tokens(soci::session& s, long long user_id, Timestamp now);

}  // namespace xiehui::accounts::password_reset_repository
