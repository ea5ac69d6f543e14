#include "services/training/training_repository.hpp"

#include <map>

#include "core/db/rows.hpp"
#include "core/db/sql.hpp"
#include "core/time.hpp"
#include "services/notifications/notification_repository.hpp"
#include "services/places/charge_repository.hpp"

namespace xiehui::training::training_repository {
namespace {

using db::rows::join_lines;
using db::rows::split_lines;

Timestamp ts(const soci::row& r, std::size_t i) {
  return parse_db_timestamp(r.get<std::string>(i)).value_or(Timestamp{});
}

std::optional<Timestamp> nullable_ts(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) != soci::i_ok) return std::nullopt;
  return parse_db_timestamp(r.get<std::string>(i));
}

std::string nullable_text(const soci::row& r, std::size_t i) {
  return r.get_indicator(i) == soci::i_ok ? r.get<std::string>(i) : std::string();
}

constexpr const char* kClassColumns =
    "SELECT c.id, c.course_id, co.title, c.title, c.starts_at, c.ends_at, c.venue, c.capacity, "
    "c.per_member_quota, c.fee_fen, c.signup_deadline, c.status, c.min_attendance_percent, "
    "c.confirmed_count, c.waitlisted_count, c.next_waitlist_seq FROM classes c "
    "JOIN courses co ON co.id = c.course_id ";

TrainingClass read_class(const soci::row& r) {
  TrainingClass c;
  c.id = db::get_int64(r, 0);
  c.course_id = db::get_int64(r, 1);
  c.course_title = r.get<std::string>(2);
  c.title = r.get<std::string>(3);
  c.starts_at = ts(r, 4);
  c.ends_at = ts(r, 5);
  c.venue = r.get<std::string>(6);
  c.capacity = static_cast<int>(db::get_int64(r, 7));
  if (r.get_indicator(8) == soci::i_ok) c.per_member_quota = static_cast<int>(db::get_int64(r, 8));
  c.fee_fen = db::get_int64(r, 9);
  c.signup_deadline = ts(r, 10);
  c.status = r.get<std::string>(11);
  c.min_attendance_percent = static_cast<int>(db::get_int64(r, 12));
  c.confirmed = static_cast<int>(db::get_int64(r, 13));
  c.waitlisted = static_cast<int>(db::get_int64(r, 14));
  c.next_waitlist_seq = db::get_int64(r, 15);
  return c;
}

constexpr const char* kEnrollmentColumns =
    "SELECT id, class_id, member_id, org_name, attendee_name, attendee_title, mobile, email, "
    "lodging, status, waitlist_seq, fee_fen, checkin_token, certificate_no, certificate_code, "
    "created_at, promoted_at, cancelled_at, consent_version FROM enrollments ";

Enrollment read_enrollment(const soci::row& r) {
  Enrollment e;
  e.id = db::get_int64(r, 0);
  e.class_id = db::get_int64(r, 1);
  if (r.get_indicator(2) == soci::i_ok) e.member_id = db::get_int64(r, 2);
  e.org_name = r.get<std::string>(3);
  e.attendee = {r.get<std::string>(4), r.get<std::string>(5), r.get<std::string>(6),
                r.get<std::string>(7), r.get<std::string>(8)};
  e.status = r.get<std::string>(9);
  if (r.get_indicator(10) == soci::i_ok) e.waitlist_seq = db::get_int64(r, 10);
  e.fee_fen = db::get_int64(r, 11);
  e.checkin_token = r.get<std::string>(12);
  e.certificate_no = nullable_text(r, 13);
  e.certificate_code = nullable_text(r, 14);
  e.created_at = ts(r, 15);
  e.promoted_at = nullable_ts(r, 16);
  e.cancelled_at = nullable_ts(r, 17);
  e.consent_version = db::get_int64(r, 18);
  return e;
}

std::vector<Enrollment> read_enrollments(soci::rowset<soci::row>& rows) {
  std::vector<Enrollment> out;
  for (const soci::row& r : rows) out.push_back(read_enrollment(r));
  return out;
}

// Fills waitlist positions: one read of each class's waitlist order, positions counted in C++.
void fill_positions(soci::session& s, std::vector<Enrollment>& list) {
  std::map<long long, std::map<long long, int>> by_class;  // class → seq → position
  for (auto& e : list) {
    if (e.status != "waitlisted" || !e.waitlist_seq) continue;
    auto [it, fresh] = by_class.try_emplace(e.class_id);
    if (fresh) {
      soci::rowset<soci::row> rows =
          (s.prepare << "SELECT waitlist_seq FROM enrollments WHERE class_id = :c AND "
                        "status = 'waitlisted' ORDER BY waitlist_seq",
           soci::use(e.class_id));
      int position = 0;
      for (const soci::row& r : rows) it->second.emplace(db::get_int64(r, 0), ++position);
    }
    const auto pos = it->second.find(*e.waitlist_seq);
    e.waitlist_position = pos == it->second.end() ? 0 : pos->second;
  }
}

}  // namespace

long long insert_course(soci::session& s, const Course& c, Timestamp now) {
  const std::string at = format_db_timestamp(now), topics = join_lines(c.topics);
  s << "INSERT INTO courses (title, description, topics, created_at, updated_at) "
       "VALUES (:t, :d, :p, :c, :u)",
      soci::use(c.title), soci::use(c.description), soci::use(topics), soci::use(at), soci::use(at);
  long long id = 0;
  s.get_last_insert_id("courses", id);
  return id;
}

void update_course(soci::session& s, const Course& c, Timestamp now) {
  const std::string at = format_db_timestamp(now), topics = join_lines(c.topics);
  s << "UPDATE courses SET title = :t, description = :d, topics = :p, updated_at = :u "
       "WHERE id = :id",
      soci::use(c.title), soci::use(c.description), soci::use(topics), soci::use(at),
      soci::use(c.id);
}

std::optional<Course> find_course(soci::session& s, long long id) {
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT id, title, description, topics FROM courses WHERE id = :id",
       soci::use(id));
  auto it = rows.begin();
  if (it == rows.end()) return std::nullopt;
  return Course{db::get_int64(*it, 0), it->get<std::string>(1), it->get<std::string>(2),
                split_lines(it->get<std::string>(3))};
}

std::vector<Course> list_courses(soci::session& s) {
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT id, title, description, topics FROM courses ORDER BY id DESC");
  std::vector<Course> out;
  for (const soci::row& r : rows) {
    out.push_back({db::get_int64(r, 0), r.get<std::string>(1), r.get<std::string>(2),
                   split_lines(r.get<std::string>(3))});
  }
  return out;
}

long long insert_class(soci::session& s, const TrainingClass& c, Timestamp now) {
  const std::string at = format_db_timestamp(now), starts = format_db_timestamp(c.starts_at),
                    ends = format_db_timestamp(c.ends_at),
                    deadline = format_db_timestamp(c.signup_deadline);
  int quota = c.per_member_quota.value_or(0);
  soci::indicator quota_ind = c.per_member_quota ? soci::i_ok : soci::i_null;
  s << "INSERT INTO classes (course_id, title, starts_at, ends_at, venue, capacity, "
       "per_member_quota, fee_fen, signup_deadline, status, min_attendance_percent, "
       "confirmed_count, waitlisted_count, next_waitlist_seq, created_at, updated_at) VALUES "
       "(:co, :t, :s, :e, :v, :cap, :q, :f, :d, :st, :m, 0, 0, 1, :c, :u)",
      soci::use(c.course_id), soci::use(c.title), soci::use(starts), soci::use(ends),
      soci::use(c.venue), soci::use(c.capacity), soci::use(quota, quota_ind), soci::use(c.fee_fen),
      soci::use(deadline), soci::use(c.status), soci::use(c.min_attendance_percent), soci::use(at),
      soci::use(at);
  long long id = 0;
  s.get_last_insert_id("classes", id);
  return id;
}

void update_class(soci::session& s, const TrainingClass& c, Timestamp now) {
  const std::string at = format_db_timestamp(now), starts = format_db_timestamp(c.starts_at),
                    ends = format_db_timestamp(c.ends_at),
                    deadline = format_db_timestamp(c.signup_deadline);
  int quota = c.per_member_quota.value_or(0);
  soci::indicator quota_ind = c.per_member_quota ? soci::i_ok : soci::i_null;
  s << "UPDATE classes SET title = :t, starts_at = :s, ends_at = :e, venue = :v, capacity = :cap, "
       "per_member_quota = :q, fee_fen = :f, signup_deadline = :d, status = :st, "
       "min_attendance_percent = :m, confirmed_count = :cc, waitlisted_count = :wc, "
       "next_waitlist_seq = :ns, updated_at = :u WHERE id = :id",
      soci::use(c.title), soci::use(starts), soci::use(ends), soci::use(c.venue),
      soci::use(c.capacity), soci::use(quota, quota_ind), soci::use(c.fee_fen), soci::use(deadline),
      soci::use(c.status), soci::use(c.min_attendance_percent), soci::use(c.confirmed),
      soci::use(c.waitlisted), soci::use(c.next_waitlist_seq), soci::use(at), soci::use(c.id);
}

std::optional<TrainingClass> find_class(soci::session& s, long long id, bool lock) {
  if (lock && s.get_backend_name() == "mysql") {
    // The class row alone: FOR UPDATE on the join would lock the course row as well and queue
    // every sign-up of every class of the course behind one another. The plain read that
    // follows comes after the lock, so it sees current data.
    long long locked = 0;
    s << "SELECT id FROM classes WHERE id = :id FOR UPDATE", soci::use(id), soci::into(locked);
    if (!s.got_data()) return std::nullopt;
  }
  soci::rowset<soci::row> rows =
      (s.prepare << std::string(kClassColumns) + "WHERE c.id = :id", soci::use(id));
  auto it = rows.begin();
  if (it == rows.end()) return std::nullopt;
  return read_class(*it);
}

std::vector<TrainingClass> list_classes(soci::session& s, const std::string& status,
                                        std::optional<long long> course_id, bool with_seats) {
  long long course = course_id.value_or(0);
  const int seats = with_seats ? 1 : 0;
  soci::rowset<soci::row> rows =
      (s.prepare << std::string(kClassColumns) +
                        "WHERE (:s1 = '' OR c.status = :s2) AND (:c1 = 0 OR c.course_id = :c2) "
                        "AND (:w = 0 OR c.confirmed_count < c.capacity) "
                        "ORDER BY c.starts_at, c.id",
       soci::use(status), soci::use(status), soci::use(course), soci::use(course),
       soci::use(seats));
  std::vector<TrainingClass> out;
  for (const soci::row& r : rows) out.push_back(read_class(r));
  return out;
}

int places_held(soci::session& s, long long class_id, long long member_id) {
  long long n = 0;
  s << "SELECT COUNT(*) FROM enrollments WHERE class_id = :c AND member_id = :m "
       "AND status IN ('confirmed', 'waitlisted')",
      soci::use(class_id), soci::use(member_id), soci::into(n);
  return static_cast<int>(n);
}

bool mobile_holds_place(soci::session& s, long long class_id, const std::string& mobile) {
  long long n = 0;
  s << "SELECT COUNT(*) FROM enrollments WHERE class_id = :c AND active_mobile = :m",
      soci::use(class_id), soci::use(mobile), soci::into(n);
  return n > 0;
}

long long insert_enrollment(soci::session& s, const Enrollment& e, long long enrolled_by,
                            Timestamp now) {
  const std::string at = format_db_timestamp(now);
  long long member = e.member_id.value_or(0), seq = e.waitlist_seq.value_or(0), by = enrolled_by;
  soci::indicator member_ind = e.member_id ? soci::i_ok : soci::i_null;
  soci::indicator seq_ind = e.waitlist_seq ? soci::i_ok : soci::i_null;
  soci::indicator by_ind = enrolled_by ? soci::i_ok : soci::i_null;
  s << "INSERT INTO enrollments (class_id, member_id, org_name, attendee_name, attendee_title, "
       "mobile, email, lodging, status, waitlist_seq, active_mobile, fee_fen, checkin_token, "
       "enrolled_by, created_at, consent_version) VALUES (:c, :m, :o, :n, :t, :mo, :e, :l, :s, :q, "
       ":am, :f, :tk, :by, :at, :cv)",
      soci::use(e.class_id), soci::use(member, member_ind), soci::use(e.org_name),
      soci::use(e.attendee.name), soci::use(e.attendee.title), soci::use(e.attendee.mobile),
      soci::use(e.attendee.email), soci::use(e.attendee.lodging), soci::use(e.status),
      soci::use(seq, seq_ind), soci::use(e.attendee.mobile), soci::use(e.fee_fen),
      soci::use(e.checkin_token), soci::use(by, by_ind), soci::use(at),
      soci::use(e.consent_version);
  long long id = 0;
  s.get_last_insert_id("enrollments", id);
  return id;
}

std::optional<Enrollment> find_enrollment(soci::session& s, long long id) {
  soci::rowset<soci::row> rows =
      (s.prepare << std::string(kEnrollmentColumns) + "WHERE id = :id", soci::use(id));
  auto it = rows.begin();
  if (it == rows.end()) return std::nullopt;
  Enrollment e = read_enrollment(*it);
  if (e.status == "waitlisted" && e.waitlist_seq) {
    e.waitlist_position = waitlist_position(s, e.class_id, *e.waitlist_seq);
  }
  return e;
}

std::optional<Enrollment> find_enrollment_by_token(soci::session& s, const std::string& token) {
  soci::rowset<soci::row> rows =
      (s.prepare << std::string(kEnrollmentColumns) + "WHERE checkin_token = :t", soci::use(token));
  auto it = rows.begin();
  if (it == rows.end()) return std::nullopt;
  return read_enrollment(*it);
}

std::optional<Enrollment> find_enrollment_by_certificate(soci::session& s,
                                                         const std::string& code) {
  soci::rowset<soci::row> rows =
      (s.prepare << std::string(kEnrollmentColumns) + "WHERE certificate_code = :c",
       soci::use(code));
  auto it = rows.begin();
  if (it == rows.end()) return std::nullopt;
  return read_enrollment(*it);
}

std::optional<Enrollment> first_waitlisted(soci::session& s, long long class_id) {
  soci::rowset<soci::row> rows =
      (s.prepare << std::string(kEnrollmentColumns) +
                        "WHERE class_id = :c AND status = 'waitlisted' ORDER BY waitlist_seq "
                        "LIMIT 1",
       soci::use(class_id));
  auto it = rows.begin();
  if (it == rows.end()) return std::nullopt;
  return read_enrollment(*it);
}

void confirm_enrollment(soci::session& s, long long id, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  s << "UPDATE enrollments SET status = 'confirmed', waitlist_seq = NULL, promoted_at = :at "
       "WHERE id = :id",
      soci::use(at), soci::use(id);
}

void cancel_enrollment(soci::session& s, long long id, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  s << "UPDATE enrollments SET status = 'cancelled', waitlist_seq = NULL, active_mobile = NULL, "
       "cancelled_at = :at WHERE id = :id",
      soci::use(at), soci::use(id);
}

void set_certificate(soci::session& s, long long id, const std::string& number,
                     const std::string& code) {
  s << "UPDATE enrollments SET certificate_no = :n, certificate_code = :c WHERE id = :id",
      soci::use(number), soci::use(code), soci::use(id);
}

std::vector<Enrollment> class_enrollments(soci::session& s, long long class_id,
                                          std::optional<long long> member_id) {
  long long member = member_id.value_or(0);
  soci::rowset<soci::row> rows =
      (s.prepare << std::string(kEnrollmentColumns) +
                        "WHERE class_id = :c AND (:m1 = 0 OR member_id = :m2) ORDER BY "
                        "CASE status WHEN 'confirmed' THEN 0 WHEN 'waitlisted' THEN 1 ELSE 2 END, "
                        "waitlist_seq, id",
       soci::use(class_id), soci::use(member), soci::use(member));
  auto out = read_enrollments(rows);
  // Positions count the whole class's waitlist, not just the unit's part of it.
  fill_positions(s, out);
  return out;
}

std::vector<Enrollment> member_enrollments(soci::session& s, long long member_id) {
  soci::rowset<soci::row> rows =
      (s.prepare << std::string(kEnrollmentColumns) + "WHERE member_id = :m ORDER BY id DESC",
       soci::use(member_id));
  auto out = read_enrollments(rows);
  fill_positions(s, out);
  return out;
}

int waitlist_position(soci::session& s, long long class_id, long long seq) {
  long long n = 0;
  s << "SELECT COUNT(*) FROM enrollments WHERE class_id = :c AND status = 'waitlisted' "
       "AND waitlist_seq <= :q",
      soci::use(class_id), soci::use(seq), soci::into(n);
  return static_cast<int>(n);
}

bool insert_attendance(soci::session& s, const Attendance& a, long long checked_by) {
  long long n = 0;
  s << "SELECT COUNT(*) FROM attendance WHERE enrollment_id = :e AND day = :d AND half = :h",
      soci::use(a.enrollment_id), soci::use(a.day), soci::use(a.half), soci::into(n);
  if (n > 0) return false;
  // Two scans of one pass at once can both see none: the unique index keeps one, and the
  // service reports the other as already checked in.
  const std::string at = format_db_timestamp(a.checked_at);
  long long by = checked_by;
  soci::indicator by_ind = checked_by ? soci::i_ok : soci::i_null;
  s << "INSERT INTO attendance (enrollment_id, day, half, checked_at, checked_by) "
       "VALUES (:e, :d, :h, :at, :by)",
      soci::use(a.enrollment_id), soci::use(a.day), soci::use(a.half), soci::use(at),
      soci::use(by, by_ind);
  return true;
}

/// The class's places still held (confirmed or waitlisted).
std::vector<Enrollment> held_places(soci::session& s, long long class_id) {
  soci::rowset<soci::row> rows =
      (s.prepare << std::string(kEnrollmentColumns) +
                        "WHERE class_id = :c AND status IN ('confirmed', 'waitlisted')",
       soci::use(class_id));
  return read_enrollments(rows);
}

bool delete_attendance(soci::session& s, long long enrollment_id, const std::string& day,
                       const std::string& half) {
  soci::statement st =
      (s.prepare << "DELETE FROM attendance WHERE enrollment_id = :e AND day = :d AND half = :h",
       soci::use(enrollment_id), soci::use(day), soci::use(half));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

std::vector<Attendance> class_attendance(soci::session& s, long long class_id) {
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT a.enrollment_id, a.day, a.half, a.checked_at FROM attendance a "
                    "JOIN enrollments e ON e.id = a.enrollment_id WHERE e.class_id = :c "
                    "ORDER BY a.day, a.half, a.enrollment_id",
       soci::use(class_id));
  std::vector<Attendance> out;
  for (const soci::row& r : rows) {
    out.push_back({db::get_int64(r, 0), r.get<std::string>(1), r.get<std::string>(2), ts(r, 3)});
  }
  return out;
}

void insert_charge(soci::session& s, const Enrollment& e, Timestamp now) {
  places::charge_repository::record(s, {"training", e.id, e.member_id, e.org_name, e.fee_fen}, now);
}

void void_charge(soci::session& s, long long enrollment_id, Timestamp now) {
  places::charge_repository::void_open(s, "training", enrollment_id, now);
}

long long open_charges_fen(soci::session& s, long long member_id) {
  long long sum = 0;
  soci::indicator ind = soci::i_null;
  s << "SELECT SUM(amount_fen) FROM charges WHERE member_id = :m AND status = 'open'",
      soci::use(member_id), soci::into(sum, ind);
  return ind == soci::i_ok ? sum : 0;
}

void insert_notification(soci::session& s, std::optional<long long> member_id,
                         const std::string& kind, const std::string& message,
                         long long enrollment_id, Timestamp now, const std::string& message_en,
                         long long class_id) {
  notifications::notify(s,
                        {member_id, std::nullopt, kind, message, "enrollment", enrollment_id,
                         message_en, "/training/classes/" + std::to_string(class_id)},
                        now);
}

}  // namespace xiehui::training::training_repository
