#pragma once
// Backups made by the server on a daily clock, and the check that a restored database is the one
// that was backed up: its audit chain verifies and its reports and records equal the source's.
// SQLite is copied with its online backup API; MariaDB is dumped by mariadb-dump
// (--single-transaction: a consistent snapshot without locking the writers).

#include <string>
#include <vector>

#include "core/audit.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/db/database.hpp"
#include "core/error.hpp"
#include "services/system/backup_repository.hpp"

namespace xiehui::services {

struct RestoreCheck {
  AuditVerification audit;
  std::vector<backup_repository::TableFingerprint> restored;
  std::vector<std::string> differing;  ///< tables whose rows differ from the source's
  bool ok() const { return audit.ok && differing.empty(); }
};

/// Verifies `restored`'s audit chain and compares its fingerprints with `source`'s.
Result<RestoreCheck> check_restore(db::Database& restored, db::Database& source);

/// The file a day's backup is written to: DIR/xiehui-YYYY-MM-DD.db (SQLite) or .sql (MariaDB).
std::string backup_file_name(const std::string& dir, const std::string& date, db::Dialect dialect);

/// The backups in `dir` beyond the newest `keep` (by the date in their names), oldest last.
std::vector<std::string> backups_to_prune(const std::vector<std::string>& names, int keep);

class BackupService {
 public:
  BackupService(db::Database& db, const Clock& clock, BackupConfig config)
      : db_(db), clock_(clock), config_(std::move(config)) {}

  /// Writes today's backup if it is due (from config.hour, Shanghai) and no process has made it
  /// yet, then deletes the backups beyond config.keep. Returns 1 when it wrote one, 0 otherwise.
  Result<int> run_due();
  /// Writes a backup for `date` into config.dir now; returns its path.
  Result<std::string> write_backup(const std::string& date);

 private:
  db::Database& db_;
  const Clock& clock_;
  BackupConfig config_;
};

}  // namespace xiehui::services
