#pragma once
// Bulk import of member units from a spreadsheet. A dry run reports what would happen and every
// bad row; a real run writes all valid rows in one transaction (or none), keyed by the credit
// code, so importing the same file again updates instead of duplicating.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/access.hpp"
#include "core/clock.hpp"
#include "core/db/database.hpp"
#include "core/error.hpp"
#include "services/membership/import_rules.hpp"

namespace xiehui::membership {

struct ImportReport {
  bool dry_run = true;
  long rows = 0;  ///< data rows in the file
  long created = 0;
  long updated = 0;
  long unchanged = 0;
  std::vector<ImportError> errors;  ///< bad cells of skipped rows, the first 1000
  long error_count = 0;             ///< all bad cells
  long error_rows = 0;              ///< rows skipped
};

/// Called now and then with the rows handled so far and the rows in all.
using ImportProgress = std::function<void(long done, long total)>;

class MemberImportService {
 public:
  MemberImportService(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  /// Imports `file` (.xlsx, or CSV in UTF-8 or GBK). invalid_argument when the file cannot be
  /// read at all; otherwise a report in which bad rows are listed and skipped. Needs
  /// members.write. New units are active members numbered like approved ones; existing units
  /// get the file's name, type, level, city, address, tier (recorded in their history) and
  /// representative. Each unit created or changed gets an audit row, the import one more.
  Result<ImportReport> run(std::string_view file, bool dry_run, const Principal& actor,
                           const ImportProgress& progress = {});

  /// The template (.xlsx): the header row, and a sheet explaining the columns.
  Result<std::string> template_xlsx() const;

 private:
  db::Database& db_;
  const Clock& clock_;
};

}  // namespace xiehui::membership
