#pragma once
// The only SQL reading the audit log for lists.

#include <soci/soci.h>

#include <vector>

#include "services/audit/audit_service.hpp"

namespace xiehui::audit::audit_repository {

long long count(soci::session& s, const AuditFilter& filter);
/// Newest first.
std::vector<AuditRecord> list(soci::session& s, const AuditFilter& filter, int limit, int offset);

}  // namespace xiehui::audit::audit_repository
