#pragma once
// What a restore is checked by: a fingerprint of each table whose rows a restore must bring back
// exactly (the report aggregates, and the records they are made from).

#include <soci/soci.h>

#include <string>
#include <vector>

namespace xiehui::services::backup_repository {

struct TableFingerprint {
  std::string table;
  long long rows = 0;
  std::string sha256;  ///< of the rows' values, in an order that does not depend on storage
};

/// The fingerprints of the report tables and of members, invoices, payments, enrolments,
/// delegates and bookings, in that order.
std::vector<TableFingerprint> fingerprints(soci::session& s);

}  // namespace xiehui::services::backup_repository
