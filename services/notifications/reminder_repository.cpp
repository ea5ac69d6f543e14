#include "services/notifications/reminder_repository.hpp"

#include "core/db/rows.hpp"
#include "core/time.hpp"

namespace xiehui::notifications::reminder_repository {
namespace {

namespace rows = db::rows;

std::vector<UnitPeople> group_by_unit(const std::vector<std::pair<long long, std::string>>& rs) {
  std::vector<UnitPeople> out;
  for (const auto& [member, name] : rs) {
    if (out.empty() || out.back().member_id != member) out.push_back({member, {}});
    out.back().names.push_back(name);
  }
  return out;
}

std::pair<long long, std::string> member_and_name(const soci::row& r) {
  return {db::get_int64(r, 0), r.get<std::string>(1)};
}

}  // namespace

bool claim_run(soci::session& s, const std::string& job, const std::string& key, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  soci::statement st =
      (s.prepare << std::string(rows::is_mysql(s) ? "INSERT IGNORE" : "INSERT OR IGNORE") +
                        " INTO scheduled_runs (job, due_key, claimed_at, items) VALUES (:j, :k, "
                        ":at, 0)",
       soci::use(job), soci::use(key), soci::use(at));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

void record_items(soci::session& s, const std::string& job, const std::string& key, int items) {
  s << "UPDATE scheduled_runs SET items = :n WHERE job = :j AND due_key = :k", soci::use(items),
      soci::use(job), soci::use(key);
}

void release_run(soci::session& s, const std::string& job, const std::string& key) {
  s << "DELETE FROM scheduled_runs WHERE job = :j AND due_key = :k", soci::use(job), soci::use(key);
}

std::vector<Upcoming> classes_starting(soci::session& s, Timestamp from, Timestamp to) {
  const std::string lo = format_db_timestamp(from), hi = format_db_timestamp(to);
  return rows::query(
      s,
      "SELECT c.id, co.title, c.title, c.starts_at FROM classes c JOIN courses co ON co.id = "
      "c.course_id WHERE c.status IN ('open', 'closed') AND c.starts_at >= :lo AND c.starts_at "
      "< :hi ORDER BY c.starts_at, c.id",
      [](const soci::row& r) {
        Upcoming u;
        u.id = db::get_int64(r, 0);
        u.title = r.get<std::string>(1) + " " + r.get<std::string>(2);
        u.starts = format_instant(rows::ts(r, 3));
        u.starts[10] = ' ';
        u.starts.resize(16);
        return u;
      },
      soci::use(lo), soci::use(hi));
}

std::vector<UnitPeople> class_units(soci::session& s, long long class_id) {
  return group_by_unit(rows::query(
      s,
      "SELECT member_id, attendee_name FROM enrollments WHERE class_id = :c AND status = "
      "'confirmed' AND member_id IS NOT NULL ORDER BY member_id, id",
      member_and_name, soci::use(class_id)));
}

std::vector<Upcoming> visits_starting(soci::session& s, const std::string& from,
                                      const std::string& to) {
  return rows::query(
      s,
      "SELECT id, title, starts_on FROM visits WHERE status IN ('open', 'closed', 'confirmed') "
      "AND starts_on >= :f AND starts_on <= :t ORDER BY starts_on, id",
      [](const soci::row& r) {
        return Upcoming{db::get_int64(r, 0), r.get<std::string>(1), r.get<std::string>(2)};
      },
      soci::use(from), soci::use(to));
}

std::vector<UnitPeople> visit_units(soci::session& s, long long visit_id) {
  return group_by_unit(rows::query(
      s,
      "SELECT member_id, name FROM visit_delegates WHERE visit_id = :v AND status = 'approved' "
      "ORDER BY member_id, id",
      member_and_name, soci::use(visit_id)));
}

std::vector<long long> meetings_closing(soci::session& s, Timestamp from, Timestamp to) {
  const std::string lo = format_db_timestamp(from), hi = format_db_timestamp(to);
  return rows::query(
      s,
      "SELECT id FROM meetings WHERE status = 'scheduled' AND rsvp_deadline > :lo AND "
      "rsvp_deadline <= :hi ORDER BY rsvp_deadline, id",
      [](const soci::row& r) { return db::get_int64(r, 0); }, soci::use(lo), soci::use(hi));
}

}  // namespace xiehui::notifications::reminder_repository
