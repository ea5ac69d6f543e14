#pragma once
// Permissions name what a route needs; roles are granted permissions in one table (issue:
// accounts). Routes declare an Access, so a route without a declared permission does not compile.

#include <cstdint>
#include <string_view>

namespace xiehui {

/// Something a caller may be allowed to do.
enum class Permission : std::uint8_t {
  metrics_read,
  members_read_all,
  members_write,
  dues_record_payment,
  reports_read,
  users_manage,
  audit_read,
};

/// The permission's API name ("members.read_all").
std::string_view to_string(Permission p);

/// What a route requires: nothing (public), or a signed-in caller holding one permission.
class Access {
 public:
  static constexpr Access public_route() { return Access(false, Permission::metrics_read); }
  static constexpr Access requires_permission(Permission p) { return Access(true, p); }

  constexpr bool is_public() const { return !restricted_; }
  constexpr Permission permission() const { return permission_; }

 private:
  constexpr Access(bool restricted, Permission p) : restricted_(restricted), permission_(p) {}
  bool restricted_;
  Permission permission_;
};

}  // namespace xiehui
