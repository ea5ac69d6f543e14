#pragma once
// Retention: the settings, runs (dry or real) on demand, and the daily run.

#include <vector>

#include "core/access.hpp"
#include "core/clock.hpp"
#include "core/db/database.hpp"
#include "core/error.hpp"
#include "services/privacy/retention.hpp"

namespace xiehui::privacy {

class RetentionService {
 public:
  RetentionService(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  Result<RetentionSettings> settings();
  /// 400 naming each value out of range; audited.
  Result<RetentionSettings> save_settings(const Principal& who, const RetentionPatch& patch);

  /// Counts (dry) or anonymises every kind's records past their time, in one transaction, and
  /// records the run; audited as retention.run.
  Result<RetentionRun> run(const Principal& who, bool dry_run);
  /// The last 50 runs, newest first.
  Result<std::vector<RetentionRun>> runs();

  /// The scheduler's daily run: when on and past 03:00 (Asia/Shanghai), the first process to
  /// claim the day runs it. Returns the records anonymised (0 when not due or claimed).
  Result<int> run_due();

 private:
  Result<RetentionRun> run_in(soci::session& s, const Principal& who, bool dry_run, Timestamp now);

  db::Database& db_;
  const Clock& clock_;
};

}  // namespace xiehui::privacy
