#pragma once
// The SQL of retention: its settings (retention.* in the settings table), counting and
// anonymising each kind of record past its time, and the runs' record.

#include <soci/soci.h>

#include <vector>

#include "services/privacy/retention.hpp"

namespace xiehui::privacy::retention_repository {

RetentionSettings settings(soci::session& s);
void save_settings(soci::session& s, const RetentionSettings& r, Timestamp now);

/// The records of `kind` whose purpose ended before `before` and that still hold personal
/// data: counted (`dry`) or anonymised. Returns how many.
long long sweep(soci::session& s, const std::string& kind, Timestamp before, bool dry);

long long insert_run(soci::session& s, const RetentionRun& run, std::optional<long long> actor_id);
/// The last `limit` runs, newest first.
std::vector<RetentionRun> runs(soci::session& s, int limit);

}  // namespace xiehui::privacy::retention_repository
