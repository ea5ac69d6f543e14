#pragma once
// Reading and verifying the audit log (writing happens in core/audit.hpp, inside each
// business transaction).

#include <optional>
#include <string>
#include <vector>

#include "core/audit.hpp"
#include "core/db/database.hpp"
#include "core/error.hpp"

namespace xiehui::audit {

/// Filters of the audit list; empty fields do not filter.
struct AuditFilter {
  std::string entity_type;
  std::string entity_id;
  std::string actor;  ///< username
  std::string action;
  /// Only the access log: views and exports of personal data and subject requests (the actions
  /// personal.* and person.*).
  bool access_log = false;
  std::optional<Timestamp> from;  ///< inclusive
  std::optional<Timestamp> to;    ///< exclusive
};

struct AuditPage {
  std::vector<AuditRecord> items;  ///< newest first
  long long total = 0;
};

class AuditService {
 public:
  explicit AuditService(db::Database& db) : db_(db) {}

  Result<AuditPage> list(const AuditFilter& filter, int page, int page_size);
  /// Walks the whole chain (see verify_audit_chain).
  Result<AuditVerification> verify();

 private:
  db::Database& db_;
};

}  // namespace xiehui::audit
