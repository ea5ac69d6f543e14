#pragma once
// The only SQL about background jobs.

#include <soci/soci.h>

#include <optional>
#include <string>

#include "services/jobs/job_runner.hpp"

namespace xiehui::jobs::job_repository {

long long insert_job(soci::session& s, const std::string& kind, std::optional<long long> created_by,
                     Timestamp now);
void update_job(soci::session& s, const JobRecord& job, Timestamp now);
std::optional<JobRecord> find_job(soci::session& s, long long id);
/// A live job's progress and its process's heartbeat (only while it is queued or running).
void beat(soci::session& s, long long id, long long done, long long total, Timestamp now);
/// Fails every queued or running job whose last heartbeat is before `cutoff` (its process died)
/// with `result`; returns how many.
long long fail_silent_jobs(soci::session& s, Timestamp cutoff, const std::string& result,
                           Timestamp now);

}  // namespace xiehui::jobs::job_repository
