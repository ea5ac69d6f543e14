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

}  // namespace xiehui::jobs::job_repository
