#pragma once
// Accounts: users, their roles, and the member unit a member account belongs to.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/access.hpp"
#include "core/clock.hpp"

namespace xiehui::accounts {

using xiehui::parse_role;
using xiehui::Role;
using xiehui::to_string;

/// A stored user, without its password hash.
struct User {
  long long id = 0;
  std::string username;
  std::string display_name;
  std::vector<Role> roles;
  std::optional<long long> member_id;
  bool disabled = false;
  Timestamp created_at;
  std::string member_no;             ///< of member_id's unit, when it has one ("XH0001")
  std::string member_name;           ///< of member_id's unit, when it has one
  std::optional<std::string> email;  ///< where the user's own mail goes (a password reset)
  bool two_factor = false;  ///< signs in with a second factor (read with lists, not sessions)
};

/// What creating a user needs. The password is checked against the policy, then hashed.
struct NewUser {
  std::string username;
  std::string display_name;
  std::string password;
  std::vector<Role> roles;
  std::optional<long long> member_id;
  std::optional<std::string> email = {};
};

}  // namespace xiehui::accounts
