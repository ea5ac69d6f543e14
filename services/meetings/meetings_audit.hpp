#pragma once
// The audit row every meetings write appends in its own transaction, and who the actor is.

#include <soci/soci.h>

#include <optional>
#include <string>

#include "core/access.hpp"
#include "core/audit.hpp"

namespace xiehui::meetings {

inline void audit(soci::session& s, const Principal& who, const char* action, const char* entity,
                  long long id, std::string summary, Timestamp now) {
  audit_as(s, who, action, entity, id, std::move(summary), now);
}

/// Staff: meetings.manage. Leaders read every meeting (reports.read) without changing them.
inline bool is_staff(const Principal& p) { return p.can(Permission::meetings_manage); }
inline bool sees_all_meetings(const Principal& p) {
  return is_staff(p) || p.can(Permission::reports_read);
}

}  // namespace xiehui::meetings
