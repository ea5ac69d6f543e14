#pragma once
// Membership certificates: one per active unit and calendar year, with a public verification
// code that tells a reader only whether the certificate is genuine and still current.

#include <string>

#include "core/access.hpp"
#include "core/clock.hpp"
#include "core/db/database.hpp"
#include "core/error.hpp"
#include "services/membership/membership.hpp"

namespace xiehui::membership {

class CertificateService {
 public:
  CertificateService(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  /// This year's certificate of a unit, issued on first request (valid from the later of its
  /// joining date and 1 January, until 31 December). For members.read_all and the unit's own
  /// accounts (others: not_found); conflict when the unit is not active.
  Result<Certificate> certificate(long long member_id, const Principal& who);

  /// What the public verification page shows for `code`; not_found when no certificate has it.
  Result<Certificate> verify(const std::string& code);

 private:
  db::Database& db_;
  const Clock& clock_;
};

}  // namespace xiehui::membership
