#pragma once
// Bulk import of member units from a spreadsheet. A dry run reports what would happen and every
// bad row; a real run writes all valid rows in one transaction (or none), keyed by the credit
// code, so importing the same file again updates instead of duplicating.

#include <atomic>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
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

/// What MemberImportService allows one process.
struct ImportPolicy {
  /// Imports one process reads and runs at once (a parse holds the whole sheet in memory);
  /// one more is refused, not queued. At least 1.
  std::size_t max_concurrent = 2;
};

/// One of the places MemberImportService::reserve hands out, given back when the slot is
/// destroyed (a move hands the place on). The service outlives its slots.
class ImportSlot {
 public:
  ImportSlot(ImportSlot&& other) noexcept : in_use_(std::exchange(other.in_use_, nullptr)) {}
  ImportSlot& operator=(ImportSlot&& other) noexcept {
    if (this != &other) {
      release();
      in_use_ = std::exchange(other.in_use_, nullptr);
    }
    return *this;
  }
  ~ImportSlot() { release(); }

 private:
  friend class MemberImportService;
  explicit ImportSlot(std::atomic<std::size_t>* in_use) : in_use_(in_use) {}
  void release() {
    if (in_use_) in_use_->fetch_sub(1, std::memory_order_release);
    in_use_ = nullptr;
  }
  std::atomic<std::size_t>* in_use_;
};

class MemberImportService {
 public:
  MemberImportService(db::Database& db, const Clock& clock, ImportPolicy policy = {})
      : db_(db), clock_(clock), policy_(policy) {}

  /// A place for one import, held until the slot is destroyed: rate_limited when
  /// `max_concurrent` imports are already in progress. Take it before the upload is parsed
  /// (and keep it while a queued job waits with the file).
  Result<ImportSlot> reserve();

  /// Imports `file` (.xlsx, or CSV in UTF-8 or GBK). invalid_argument when the file cannot be
  /// read at all; otherwise a report in which bad rows are listed and skipped. Needs
  /// members.write. New units are active members numbered like approved ones; existing units
  /// get the file's name, type, level, city, address, tier (recorded in their history) and
  /// representative. Each unit created or changed gets an audit row, the import one more.
  /// Takes a slot first: rate_limited (nothing read or written) when none is free.
  Result<ImportReport> run(std::string_view file, bool dry_run, const Principal& actor,
                           const ImportProgress& progress = {});
  /// The same under a slot the caller reserved.
  Result<ImportReport> run(const ImportSlot& slot, std::string_view file, bool dry_run,
                           const Principal& actor, const ImportProgress& progress = {});

  /// The template (.xlsx): the header row, and a sheet explaining the columns.
  Result<std::string> template_xlsx() const;

 private:
  db::Database& db_;
  const Clock& clock_;
  ImportPolicy policy_;
  std::atomic<std::size_t> in_use_{0};
};

}  // namespace xiehui::membership
