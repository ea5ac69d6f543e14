#include "services/accounts/accounts.hpp"

namespace xiehui::accounts {

std::string_view to_string(Role role) {
  switch (role) {
    case Role::admin:
      return "admin";
    case Role::staff:
      return "staff";
    case Role::leader:
      return "leader";
    case Role::member:
      return "member";
  }
  return "member";
}

std::optional<Role> parse_role(std::string_view name) {
  for (Role r : {Role::admin, Role::staff, Role::leader, Role::member}) {
    if (to_string(r) == name) return r;
  }
  return std::nullopt;
}

}  // namespace xiehui::accounts
