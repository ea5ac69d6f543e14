#pragma once
// Roles, permissions and the one table granting permissions to roles. Routes declare an Access,
// so a route without a declared permission does not compile; the router checks it before any
// handler runs. Row-level rules (a member sees only its own unit) live in services.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace xiehui {

/// Who a user is to the association (DESIGN.md "Who uses it").
enum class Role : std::uint8_t { admin, staff, leader, member };

inline constexpr Role kAllRoles[] = {Role::admin, Role::staff, Role::leader, Role::member};

std::string_view to_string(Role role);
std::optional<Role> parse_role(std::string_view name);

/// Something a caller may be allowed to do.
enum class Permission : std::uint8_t {
  users_manage,         ///< accounts and roles
  audit_read,           ///< the audit log
  settings_manage,      ///< system settings
  directory_read,       ///< other units' public directory fields
  members_read_all,     ///< every field of every unit
  members_write,        ///< change any unit
  own_unit_manage,      ///< a member: its own unit's data and contacts
  applications_read,    ///< the queue of applications to join
  applications_review,  ///< approve or reject applications
  dues_manage,          ///< schedules, bill runs
  dues_record_payment,  ///< record payments and refunds
  dues_read_own,        ///< a member: its own invoices
  training_manage,      ///< courses, classes, rosters, check-in
  training_enroll,      ///< sign people up
  visits_manage,
  visits_apply,
  meetings_manage,
  meetings_rsvp,
  rooms_book,
  reports_read,
  people_manage,  ///< subject requests: find, export, erase one person's data
};

inline constexpr Permission kAllPermissions[] = {
    Permission::users_manage,    Permission::audit_read,          Permission::settings_manage,
    Permission::directory_read,  Permission::members_read_all,    Permission::members_write,
    Permission::own_unit_manage, Permission::applications_read,   Permission::applications_review,
    Permission::dues_manage,     Permission::dues_record_payment, Permission::dues_read_own,
    Permission::training_manage, Permission::training_enroll,     Permission::visits_manage,
    Permission::visits_apply,    Permission::meetings_manage,     Permission::meetings_rsvp,
    Permission::rooms_book,      Permission::reports_read,        Permission::people_manage};

/// The permission's API name ("members.read_all").
std::string_view to_string(Permission p);

/// The permissions granted to a role: THE role → permission table.
std::span<const Permission> permissions_of(Role role);

/// True when any of `roles` grants `p`.
bool grants(std::span<const Role> roles, Permission p);

/// An authenticated caller.
struct Principal {
  long long user_id = 0;
  std::string username;
  std::string display_name;
  std::vector<Role> roles;
  std::optional<long long> member_id;  ///< the unit of a member account
  std::string address;                 ///< the client's address, for the audit log
  bool via_api_token = false;
  /// A staff or admin session opened without a second factor while one is required: it may
  /// only set one up (the router refuses the rest).
  bool needs_two_factor = false;

  bool can(Permission p) const { return grants(roles, p); }
  bool has_role(Role r) const;
};

/// What a route requires: nothing (public), any signed-in caller, or a permission (or either
/// of two, where two roles reach the same endpoint for different reasons: staff change any
/// unit, a member its own).
class Access {
 public:
  enum class Kind : std::uint8_t { public_route, signed_in, permission };

  static constexpr Access public_route() { return Access(Kind::public_route, {}, {}); }
  static constexpr Access signed_in() { return Access(Kind::signed_in, {}, {}); }
  static constexpr Access requires_permission(Permission p) {
    return Access(Kind::permission, p, p);
  }
  static constexpr Access requires_any(Permission p, Permission q) {
    return Access(Kind::permission, p, q);
  }

  constexpr Kind kind() const { return kind_; }
  constexpr bool is_public() const { return kind_ == Kind::public_route; }
  /// The permission a Kind::permission route needs (the first, with requires_any).
  constexpr Permission permission() const { return permission_; }
  /// The other permission that also opens the route (the same one unless requires_any).
  constexpr Permission alternative() const { return alternative_; }
  /// True when `principal` (nullptr: anonymous) may call the route.
  bool allows(const Principal* principal) const;

 private:
  constexpr Access(Kind kind, Permission p, Permission q)
      : kind_(kind), permission_(p), alternative_(q) {}
  Kind kind_;
  Permission permission_;
  Permission alternative_;
};

}  // namespace xiehui
