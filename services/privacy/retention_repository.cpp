#include "services/privacy/retention_repository.hpp"

#include <fmt/format.h>

#include <map>

#include "core/db/rows.hpp"
#include "services/privacy/privacy.hpp"

namespace xiehui::privacy::retention_repository {
namespace {

namespace rows = db::rows;

// Each kind: the rows past their time that still hold the person (WHERE, `:cut` the cutoff as
// stored: a timestamp, or a date for visits), and what anonymising them sets (`:e` the
// placeholder). Held places keep their unique key as x<id>, which no real number can take.
struct Kind {
  const char* kind;
  const char* table;
  const char* where;
  const char* set;
  bool by_date;
};

constexpr Kind kKinds[] = {
    {"enrollment", "enrollments",
     "mobile <> :e AND class_id IN (SELECT id FROM classes WHERE ends_at < :cut)",
     "mobile = :e, email = '', lodging = '', active_mobile = CASE WHEN active_mobile IS NULL "
     "THEN NULL ELSE {slot} END",
     false},
    {"visit_delegate", "visit_delegates",
     "mobile <> :e AND visit_id IN (SELECT id FROM visits WHERE ends_on < :cut)",
     "name = :e, title = '', mobile = :e, dietary = '', active_mobile = CASE WHEN active_mobile "
     "IS NULL THEN NULL ELSE {slot} END",
     true},
    {"meeting_attendee", "meeting_rsvp_attendees",
     "mobile <> :e AND meeting_id IN (SELECT id FROM meetings WHERE ends_at < :cut)",
     "name = :e, title = '', mobile = :e", false},
    {"rejected_application", "applications",
     "status = 'rejected' AND contact_mobile <> :e AND decided_at < :cut",
     "contact_name = :e, contact_title = '', contact_mobile = :e, contact_email = '', "
     "address_ip = ''",
     false},
    {"outbox", "outbox",
     "status IN ('sent', 'dead') AND recipient <> :e AND recipient NOT LIKE '已删除#%' AND "
     "created_at < :cut",
     "recipient = {tagged}, recipient_name = :e, subject = :e, body_text = :e, body_html = :e, "
     "last_error = NULL",
     false},
};

const Kind* find_kind(const std::string& kind) {
  for (const Kind& k : kKinds) {
    if (kind == k.kind) return &k;
  }
  return nullptr;
}

int read_int(const std::map<std::string, std::string>& m, const std::string& key, int fallback) {
  const auto it = m.find(key);
  if (it == m.end()) return fallback;
  try {
    return std::stoi(it->second);
  } catch (const std::exception&) {
    return fallback;
  }
}

}  // namespace

RetentionSettings settings(soci::session& s) {
  std::map<std::string, std::string> m;
  soci::rowset<soci::row> found =
      s.prepare << "SELECT name, value FROM settings WHERE name LIKE 'retention.%'";
  for (const soci::row& r : found) m[rows::text(r, 0)] = rows::text(r, 1);
  RetentionSettings out;
  out.enrollment_years = read_int(m, "retention.enrollment_years", out.enrollment_years);
  out.visit_delegate_years =
      read_int(m, "retention.visit_delegate_years", out.visit_delegate_years);
  out.meeting_attendee_years =
      read_int(m, "retention.meeting_attendee_years", out.meeting_attendee_years);
  out.rejected_application_years =
      read_int(m, "retention.rejected_application_years", out.rejected_application_years);
  out.outbox_days = read_int(m, "retention.outbox_days", out.outbox_days);
  out.daily = read_int(m, "retention.daily", 0) != 0;
  return out;
}

void save_settings(soci::session& s, const RetentionSettings& r, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  const std::pair<const char*, int> values[] = {
      {"retention.enrollment_years", r.enrollment_years},
      {"retention.visit_delegate_years", r.visit_delegate_years},
      {"retention.meeting_attendee_years", r.meeting_attendee_years},
      {"retention.rejected_application_years", r.rejected_application_years},
      {"retention.outbox_days", r.outbox_days},
      {"retention.daily", r.daily ? 1 : 0},
  };
  for (const auto& [name, value] : values) {
    const std::string key = name, text = std::to_string(value);
    s << "DELETE FROM settings WHERE name = :n", soci::use(key);
    s << "INSERT INTO settings (name, value, updated_at) VALUES (:n, :v, :at)", soci::use(key),
        soci::use(text), soci::use(at);
  }
}

long long sweep(soci::session& s, const std::string& kind, Timestamp before, bool dry) {
  const Kind* k = find_kind(kind);
  if (!k) return 0;
  const std::string erased = kErased;
  const std::string cut =
      k->by_date ? format_date(shanghai_date(before)) : format_db_timestamp(before);
  if (dry) {
    long long n = 0;
    s << fmt::format("SELECT COUNT(*) FROM {} WHERE {}", k->table, k->where),
        soci::use(erased, "e"), soci::use(cut, "cut"), soci::into(n);
    return n;
  }
  const bool mysql = rows::is_mysql(s);
  const std::string set =
      fmt::format(fmt::runtime(k->set), fmt::arg("slot", mysql ? "CONCAT('x', id)" : "'x' || id"),
                  fmt::arg("tagged", mysql ? "CONCAT(:e, '#', id)" : ":e || '#' || id"));
  soci::statement st =
      (s.prepare << fmt::format("UPDATE {} SET {} WHERE {}", k->table, set, k->where),
       soci::use(erased, "e"), soci::use(cut, "cut"));
  st.execute(true);
  return st.get_affected_rows();
}

// The report is one line per kind: kind, label, cutoff and count, tab-separated (none of them
// holds a tab or a line break).
long long insert_run(soci::session& s, const RetentionRun& run, std::optional<long long> actor_id) {
  std::vector<std::string> lines;
  for (const auto& i : run.items) {
    lines.push_back(fmt::format("{}\t{}\t{}\t{}", i.kind, i.label, i.cutoff, i.records));
  }
  const std::string report = rows::join_lines(lines);
  const std::string at = format_db_timestamp(run.ran_at);
  const int dry = run.dry_run ? 1 : 0;
  rows::NullableId actor(actor_id);
  s << "INSERT INTO retention_runs (ran_at, dry_run, actor_id, actor_name, total, report) VALUES "
       "(:at, :d, :a, :n, :t, :r)",
      soci::use(at), soci::use(dry), soci::use(actor.value, actor.ind), soci::use(run.actor),
      soci::use(run.total), soci::use(report);
  return db::last_insert_id(s, "retention_runs");
}

std::vector<RetentionRun> runs(soci::session& s, int limit) {
  return rows::query(
      s,
      "SELECT id, ran_at, dry_run, actor_name, total, report FROM retention_runs ORDER BY id DESC "
      "LIMIT :lim",
      [](const soci::row& r) {
        RetentionRun run;
        run.id = db::get_int64(r, 0);
        run.ran_at = rows::ts(r, 1);
        run.dry_run = db::get_int64(r, 2) != 0;
        run.actor = rows::text(r, 3);
        run.total = db::get_int64(r, 4);
        for (const std::string& line : rows::split_lines(rows::text(r, 5))) {
          std::vector<std::string> f;
          std::size_t start = 0;
          for (std::size_t tab; (tab = line.find('\t', start)) != std::string::npos;
               start = tab + 1) {
            f.push_back(line.substr(start, tab - start));
          }
          f.push_back(line.substr(start));
          if (f.size() == 4) run.items.push_back({f[0], f[1], f[2], std::stoll(f[3])});
        }
        return run;
      },
      soci::use(limit));
}

}  // namespace xiehui::privacy::retention_repository
