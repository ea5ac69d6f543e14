// The SQL of a visit's records after the decisions: rooming, check-ins, the report and its
// files, and units' participation (declared in visit_repository.hpp).

#include "core/db/rows.hpp"
#include "core/db/sql.hpp"
#include "core/time.hpp"
#include "services/visits/visit_repository.hpp"

namespace xiehui::visits::visit_repository {

using namespace db::rows;  // NOLINT(google-build-using-namespace): the shared row readers

void save_rooms(soci::session& s, long long visit_id, const std::vector<Room>& rooms) {
  s << "UPDATE visit_delegates SET room_no = NULL WHERE visit_id = :v", soci::use(visit_id);
  int no = 1;
  for (const Room& r : rooms) {
    for (long long id : r.delegates) {
      s << "UPDATE visit_delegates SET room_no = :n WHERE id = :id AND visit_id = :v",
          soci::use(no), soci::use(id), soci::use(visit_id);
    }
    ++no;
  }
}

std::vector<Room> saved_rooms(soci::session& s, long long visit_id) {
  auto rows = query(
      s,
      "SELECT room_no, id FROM visit_delegates WHERE visit_id = :v AND status = 'approved' AND "
      "room_no IS NOT NULL ORDER BY room_no, id",
      [](const soci::row& r) { return std::pair(as_int(r, 0), db::get_int64(r, 1)); },
      soci::use(visit_id));
  std::vector<Room> out;
  int current = -1;
  for (const auto& [no, id] : rows) {
    if (no != current) out.emplace_back();
    current = no;
    out.back().delegates.push_back(id);
  }
  return out;
}

void set_rooming_saved(soci::session& s, long long visit_id, bool saved) {
  int flag = saved ? 1 : 0;
  s << "UPDATE visits SET rooming_saved = :f WHERE id = :id", soci::use(flag), soci::use(visit_id);
}

bool insert_check_in(soci::session& s, const CheckIn& c, std::optional<long long> by,
                     Timestamp now) {
  long long n = 0;
  s << "SELECT COUNT(*) FROM visit_attendance WHERE delegate_id = :d AND day = :day AND "
       "half = :h",
      soci::use(c.delegate_id), soci::use(c.day), soci::use(c.half), soci::into(n);
  if (n > 0) return false;
  const std::string at = format_db_timestamp(now);
  NullableId checker(by);
  s << "INSERT INTO visit_attendance (delegate_id, day, half, checked_at, checked_by) VALUES "
       "(:d, :day, :h, :at, :by)",
      soci::use(c.delegate_id), soci::use(c.day), soci::use(c.half), soci::use(at),
      soci::use(checker.value, checker.ind);
  return true;
}

bool delete_check_in(soci::session& s, const CheckIn& c) {
  soci::statement st = (s.prepare << "DELETE FROM visit_attendance WHERE delegate_id = :d AND "
                                     "day = :day AND half = :h",
                        soci::use(c.delegate_id), soci::use(c.day), soci::use(c.half));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

std::vector<CheckIn> check_ins(soci::session& s, long long visit_id) {
  return query(
      s,
      "SELECT a.delegate_id, a.day, a.half FROM visit_attendance a JOIN visit_delegates d ON "
      "d.id = a.delegate_id WHERE d.visit_id = :v ORDER BY a.delegate_id, a.day, a.half",
      [](const soci::row& r) {
        return CheckIn{db::get_int64(r, 0), text(r, 1), text(r, 2)};
      },
      soci::use(visit_id));
}

void save_report(soci::session& s, long long visit_id, const std::string& text_value,
                 std::optional<Timestamp> published_at, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  std::string published = published_at ? format_db_timestamp(*published_at) : "";
  soci::indicator published_ind = published_at ? soci::i_ok : soci::i_null;
  s << "UPDATE visits SET report_text = :t, report_published_at = :p, version = version + 1, "
       "updated_at = :u WHERE id = :id",
      soci::use(text_value), soci::use(published, published_ind), soci::use(at),
      soci::use(visit_id);
}

namespace {
ReportFile read_file(const soci::row& r) {
  ReportFile f;
  f.id = db::get_int64(r, 0);
  f.visit_id = db::get_int64(r, 1);
  f.filename = text(r, 2);
  f.content_type = text(r, 3);
  f.size = db::get_int64(r, 4);
  f.sha256 = text(r, 5);
  f.stored_name = text(r, 6);
  f.uploaded_at = ts(r, 7);
  return f;
}
constexpr const char* kFileColumns =
    "SELECT id, visit_id, filename, content_type, size_bytes, sha256, stored_name, uploaded_at "
    "FROM visit_report_files WHERE deleted_at IS NULL AND visit_id = :v";
}  // namespace

long long insert_report_file(soci::session& s, const ReportFile& f, std::optional<long long> by,
                             Timestamp now) {
  const std::string at = format_db_timestamp(now);
  NullableId uploader(by);
  s << "INSERT INTO visit_report_files (visit_id, filename, content_type, size_bytes, sha256, "
       "stored_name, uploaded_by, uploaded_at) VALUES (:v, :f, :c, :s, :h, :n, :by, :at)",
      soci::use(f.visit_id), soci::use(f.filename), soci::use(f.content_type), soci::use(f.size),
      soci::use(f.sha256), soci::use(f.stored_name), soci::use(uploader.value, uploader.ind),
      soci::use(at);
  return db::last_insert_id(s, "visit_report_files");
}

std::optional<ReportFile> find_report_file(soci::session& s, long long visit_id, long long id) {
  auto found = query(s, std::string(kFileColumns) + " AND id = :id", read_file, soci::use(visit_id),
                     soci::use(id));
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::vector<ReportFile> report_files(soci::session& s, long long visit_id) {
  return query(s, std::string(kFileColumns) + " ORDER BY id", read_file, soci::use(visit_id));
}

void delete_report_file(soci::session& s, long long id, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  s << "UPDATE visit_report_files SET deleted_at = :at WHERE id = :id", soci::use(at),
      soci::use(id);
}

std::vector<Participation> participation(soci::session& s, int year,
                                         std::optional<long long> member_id) {
  const std::string first = std::to_string(year) + "-01-01", last = std::to_string(year) + "-12-31";
  const long long member = member_id.value_or(0);
  return query(
      s,
      "SELECT d.member_id, m.name, COUNT(DISTINCT d.visit_id), COUNT(*), "
      "COALESCE(SUM((SELECT COUNT(*) FROM visit_attendance a WHERE a.delegate_id = d.id)), 0) "
      "FROM visit_delegates d JOIN visits v ON v.id = d.visit_id JOIN members m ON "
      "m.id = d.member_id WHERE d.status = 'approved' AND v.status IN ('confirmed', 'completed') "
      "AND v.starts_on >= :f AND v.starts_on <= :l AND (:m = 0 OR d.member_id = :m2) "
      "GROUP BY d.member_id, m.name, m.sort_key ORDER BY m.sort_key",
      [](const soci::row& r) {
        return Participation{db::get_int64(r, 0), text(r, 1), as_int(r, 2), as_int(r, 3),
                             as_int(r, 4)};
      },
      soci::use(first), soci::use(last), soci::use(member), soci::use(member));
}

}  // namespace xiehui::visits::visit_repository
