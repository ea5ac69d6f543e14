#include "core/access.hpp"

namespace xiehui {

std::string_view to_string(Permission p) {
  switch (p) {
    case Permission::metrics_read:
      return "metrics.read";
    case Permission::members_read_all:
      return "members.read_all";
    case Permission::members_write:
      return "members.write";
    case Permission::dues_record_payment:
      return "dues.record_payment";
    case Permission::reports_read:
      return "reports.read";
    case Permission::users_manage:
      return "users.manage";
    case Permission::audit_read:
      return "audit.read";
  }
  return "unknown";
}

}  // namespace xiehui
