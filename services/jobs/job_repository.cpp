#include "services/jobs/job_repository.hpp"

#include "core/db/sql.hpp"
#include "core/time.hpp"

namespace xiehui::jobs::job_repository {

long long insert_job(soci::session& s, const std::string& kind, std::optional<long long> created_by,
                     Timestamp now) {
  const std::string at = format_db_timestamp(now);
  long long user = created_by.value_or(0);
  soci::indicator user_ind = created_by ? soci::i_ok : soci::i_null;
  s << "INSERT INTO jobs (kind, status, total_count, done_count, result, created_by, created_at, "
       "updated_at, heartbeat_at) VALUES (:k, 'queued', 0, 0, '', :u, :c, :m, :h)",
      soci::use(kind), soci::use(user, user_ind), soci::use(at), soci::use(at), soci::use(at);
  long long id = 0;
  s.get_last_insert_id("jobs", id);
  return id;
}

void update_job(soci::session& s, const JobRecord& job, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  const long long total = job.total, done = job.done;
  s << "UPDATE jobs SET status = :s, total_count = :t, done_count = :d, result = :r, "
       "updated_at = :at, heartbeat_at = :h WHERE id = :id",
      soci::use(job.status), soci::use(total), soci::use(done), soci::use(job.result),
      soci::use(at), soci::use(at), soci::use(job.id);
}

void beat(soci::session& s, long long id, long long done, long long total, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  s << "UPDATE jobs SET total_count = :t, done_count = :d, heartbeat_at = :h "
       "WHERE id = :id AND status IN ('queued', 'running')",
      soci::use(total), soci::use(done), soci::use(at), soci::use(id);
}

long long fail_silent_jobs(soci::session& s, Timestamp cutoff, const std::string& result,
                           Timestamp now) {
  const std::string before = format_db_timestamp(cutoff), at = format_db_timestamp(now);
  soci::statement st = (s.prepare << "UPDATE jobs SET status = 'failed', result = :r, "
                                     "updated_at = :at WHERE status IN ('queued', 'running') "
                                     "AND COALESCE(heartbeat_at, updated_at) < :cutoff",
                        soci::use(result), soci::use(at), soci::use(before));
  st.execute(true);
  return st.get_affected_rows();
}

std::optional<JobRecord> find_job(soci::session& s, long long id) {
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT id, kind, status, total_count, done_count, result, created_by, "
                    "created_at, updated_at FROM jobs WHERE id = :id",
       soci::use(id));
  auto it = rows.begin();
  if (it == rows.end()) return std::nullopt;
  const soci::row& r = *it;
  JobRecord j;
  j.id = db::get_int64(r, 0);
  j.kind = r.get<std::string>(1);
  j.status = r.get<std::string>(2);
  j.total = db::get_int64(r, 3);
  j.done = db::get_int64(r, 4);
  j.result = r.get<std::string>(5);
  if (r.get_indicator(6) == soci::i_ok) j.created_by = db::get_int64(r, 6);
  j.created_at = parse_db_timestamp(r.get<std::string>(7)).value_or(Timestamp{});
  j.updated_at = parse_db_timestamp(r.get<std::string>(8)).value_or(Timestamp{});
  return j;
}

}  // namespace xiehui::jobs::job_repository
