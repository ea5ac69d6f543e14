#include "services/audit/audit_service.hpp"

#include "services/audit/audit_repository.hpp"

namespace xiehui::audit {

Result<AuditPage> AuditService::list(const AuditFilter& filter, int page, int page_size) {
  return db_.with_session([&](soci::session& s) -> Result<AuditPage> {
    AuditPage out;
    out.total = audit_repository::count(s, filter);
    out.items = audit_repository::list(s, filter, page_size, (page - 1) * page_size);
    return out;
  });
}

Result<AuditVerification> AuditService::verify() {
  return db_.with_session(
      [](soci::session& s) -> Result<AuditVerification> { return verify_audit_chain(s); });
}

}  // namespace xiehui::audit
