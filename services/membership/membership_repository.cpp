#include "services/membership/membership_repository.hpp"

#include <fmt/format.h>

#include "core/db/sql.hpp"
#include "core/db/where.hpp"
#include "core/time.hpp"

namespace xiehui::membership::membership_repository {
namespace {

constexpr const char* kApplicationColumns =
    "SELECT id, status, name, short_name, uscc, org_type, org_level, city_code, address, "
    "contact_name, contact_title, contact_mobile, contact_email, user_id, member_id, "
    "decision_reason, submitted_at, decided_at, consent_version FROM applications ";

Application read_application(const soci::row& r) {
  Application a;
  a.id = db::get_int64(r, 0);
  a.status = r.get<std::string>(1);
  a.org = {r.get<std::string>(2), r.get<std::string>(3), r.get<std::string>(4),
           r.get<std::string>(5), r.get<std::string>(6), r.get<std::string>(7),
           r.get<std::string>(8)};
  a.contact = {r.get<std::string>(9), r.get<std::string>(10), r.get<std::string>(11),
               r.get<std::string>(12)};
  a.user_id = db::get_int64(r, 13);
  if (r.get_indicator(14) == soci::i_ok) a.member_id = db::get_int64(r, 14);
  a.decision_reason = r.get<std::string>(15);
  a.submitted_at = parse_db_timestamp(r.get<std::string>(16)).value_or(Timestamp{});
  if (r.get_indicator(17) == soci::i_ok) a.decided_at = parse_db_timestamp(r.get<std::string>(17));
  a.consent_version = db::get_int64(r, 18);
  return a;
}

constexpr const char* kMemberColumns =
    "SELECT id, member_no, name, short_name, uscc, org_type, org_level, city_code, address, tier, "
    "status, joined_on, sort_key FROM members";

Member read_member(const soci::row& r) {
  Member m;
  m.id = db::get_int64(r, 0);
  m.member_no = r.get<std::string>(1);
  m.org = {r.get<std::string>(2), r.get<std::string>(3), r.get<std::string>(4),
           r.get<std::string>(5), r.get<std::string>(6), r.get<std::string>(7),
           r.get<std::string>(8)};
  m.tier = r.get<std::string>(9);
  m.status = r.get<std::string>(10);
  m.joined_on = r.get<std::string>(11);
  m.sort_key = r.get<std::string>(12);
  return m;
}

db::Where member_where(const MemberFilter& f) {
  db::Where w;
  if (f.q_matches_number) {
    w.add_contains({"name", "short_name", "member_no"}, f.q);
  } else {
    w.add_contains({"name", "short_name"}, f.q);
  }
  w.add("city_code", " = ", f.city_code);
  w.add("org_type", " = ", f.type);
  w.add("org_level", " = ", f.level);
  w.add("tier", " = ", f.tier);
  w.add("status", " = ", f.status);
  return w;
}

}  // namespace

void update_member(soci::session& s, const Member& m, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  s << "UPDATE members SET name = :n, short_name = :sn, org_type = :t, org_level = :l, "
       "city_code = :c, address = :a, sort_key = :k, updated_at = :at WHERE id = :id",
      soci::use(m.org.name), soci::use(m.org.short_name), soci::use(m.org.type),
      soci::use(m.org.level), soci::use(m.org.city_code), soci::use(m.org.address),
      soci::use(m.sort_key), soci::use(at), soci::use(m.id);
}

void set_member_status(soci::session& s, long long id, const std::string& status, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  // left_on dates a unit's leaving for the reports' leaves by year; a unit let back in has none.
  const std::string today = format_date(shanghai_date(now));
  s << "UPDATE members SET status = :st, updated_at = :at, left_on = CASE WHEN :st2 IN "
       "('withdrawn', 'expelled') THEN COALESCE(left_on, :d) ELSE NULL END WHERE id = :id",
      soci::use(status), soci::use(at), soci::use(status), soci::use(today), soci::use(id);
}

long long count_all_members(soci::session& s) {
  return db::scalar(s, "SELECT COUNT(*) FROM members");
}

std::optional<Member> find_member(soci::session& s, long long id, bool lock) {
  soci::rowset<soci::row> rows = (s.prepare << std::string(kMemberColumns) + " WHERE id = :id" +
                                                   (lock ? db::for_update(s) : ""),
                                  soci::use(id));
  auto it = rows.begin();
  if (it == rows.end()) return std::nullopt;
  return read_member(*it);
}

void insert_status_change(soci::session& s, long long member_id, const StatusChange& c,
                          std::optional<long long> actor_id) {
  const std::string at = format_db_timestamp(c.changed_at);
  long long actor = actor_id.value_or(0);
  soci::indicator actor_ind = actor_id ? soci::i_ok : soci::i_null;
  s << "INSERT INTO member_status_history (member_id, from_status, to_status, reason, actor_id, "
       "actor_name, changed_at) VALUES (:m, :f, :t, :r, :a, :an, :at)",
      soci::use(member_id), soci::use(c.from_status), soci::use(c.to_status), soci::use(c.reason),
      soci::use(actor, actor_ind), soci::use(c.actor_name), soci::use(at);
}

std::vector<StatusChange> status_history(soci::session& s, long long member_id) {
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT from_status, to_status, reason, actor_name, changed_at FROM "
                    "member_status_history WHERE member_id = :m ORDER BY changed_at, id",
       soci::use(member_id));
  std::vector<StatusChange> out;
  for (const soci::row& r : rows) {
    out.push_back({r.get<std::string>(0), r.get<std::string>(1), r.get<std::string>(2),
                   r.get<std::string>(3),
                   parse_db_timestamp(r.get<std::string>(4)).value_or(Timestamp{})});
  }
  return out;
}

namespace {

constexpr const char* kContactColumns =
    "SELECT id, member_id, contact_role, name, title, mobile, email FROM member_contacts ";

MemberContact read_contact(const soci::row& r) {
  return {db::get_int64(r, 0), db::get_int64(r, 1), r.get<std::string>(2),
          Contact{r.get<std::string>(3), r.get<std::string>(4), r.get<std::string>(5),
                  r.get<std::string>(6)}};
}

}  // namespace

std::vector<MemberContact> list_contacts(soci::session& s, long long member_id) {
  // The representative first, then by when they were added.
  soci::rowset<soci::row> rows =
      (s.prepare << std::string(kContactColumns) +
                        "WHERE member_id = :m ORDER BY CASE contact_role WHEN 'representative' "
                        "THEN 0 ELSE 1 END, id",
       soci::use(member_id));
  std::vector<MemberContact> out;
  for (const soci::row& r : rows) out.push_back(read_contact(r));
  return out;
}

std::optional<MemberContact> find_contact(soci::session& s, long long id) {
  soci::rowset<soci::row> rows =
      (s.prepare << std::string(kContactColumns) + "WHERE id = :id", soci::use(id));
  auto it = rows.begin();
  if (it == rows.end()) return std::nullopt;
  return read_contact(*it);
}

long long insert_contact(soci::session& s, const MemberContact& c, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  s << "INSERT INTO member_contacts (member_id, contact_role, name, title, mobile, email, "
       "created_at, updated_at) VALUES (:m, :r, :n, :t, :mo, :e, :at, :at2)",
      soci::use(c.member_id), soci::use(c.role), soci::use(c.person.name),
      soci::use(c.person.title), soci::use(c.person.mobile), soci::use(c.person.email),
      soci::use(at), soci::use(at);
  long long id = 0;
  s.get_last_insert_id("member_contacts", id);
  return id;
}

void update_contact(soci::session& s, const MemberContact& c, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  s << "UPDATE member_contacts SET contact_role = :r, name = :n, title = :t, mobile = :mo, "
       "email = :e, updated_at = :at WHERE id = :id",
      soci::use(c.role), soci::use(c.person.name), soci::use(c.person.title),
      soci::use(c.person.mobile), soci::use(c.person.email), soci::use(at), soci::use(c.id);
}

void delete_contact(soci::session& s, long long id) {
  s << "DELETE FROM member_contacts WHERE id = :id", soci::use(id);
}

void demote_representatives(soci::session& s, long long member_id, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  s << "UPDATE member_contacts SET contact_role = 'liaison', updated_at = :at "
       "WHERE member_id = :m AND contact_role = 'representative'",
      soci::use(at), soci::use(member_id);
}

std::map<long long, Contact> representatives(soci::session& s) {
  std::map<long long, Contact> out;
  soci::rowset<soci::row> rows =
      (s.prepare << kContactColumns + std::string("WHERE contact_role = 'representative'"));
  for (const soci::row& r : rows) {
    const MemberContact c = read_contact(r);
    out.emplace(c.member_id, c.person);
  }
  return out;
}

std::vector<Member> list_members(soci::session& s, const MemberFilter& filter, int limit,
                                 int offset) {
  const db::Where w = member_where(filter);
  const std::string order =
      filter.sort == "joined" ? " ORDER BY joined_on DESC, id DESC" : " ORDER BY sort_key, id";
  soci::row row;
  soci::statement st(s);
  st.exchange(soci::into(row));
  w.bind(st);
  st.exchange(soci::use(limit));
  st.exchange(soci::use(offset));
  // The page's ids come from the (sort_key, id) index alone; only those 20 rows are read in
  // full. Reading whole rows up to a deep OFFSET cost MariaDB ~50 ms at page 400 of 500.
  // (A join, not "id IN (…)": MariaDB turned that into a scan of the whole table.)
  db::prepare(st, std::string(kMemberColumns) + " JOIN (SELECT id AS page_id FROM members" +
                      w.sql() + order + " LIMIT :lim OFFSET :off) AS page ON id = page.page_id" +
                      order);
  st.execute(false);
  std::vector<Member> out;
  while (st.fetch()) out.push_back(read_member(row));
  return out;
}

long long count_members(soci::session& s, const MemberFilter& filter) {
  const db::Where w = member_where(filter);
  long long n = 0;
  soci::indicator ind = soci::i_null;
  soci::statement st(s);
  st.exchange(soci::into(n, ind));
  w.bind(st);
  // Without a text search every condition is a column of report_member_counts, which the
  // triggers keep in step with members (ReportService::check_aggregates proves it): summing its
  // few hundred rows replaces counting every unit, which InnoDB does entry by entry on each page
  // of the directory (~80% of a page of 50 on MariaDB was the server counting 10,000 units).
  db::prepare(st, (filter.q.empty() ? "SELECT SUM(members) FROM report_member_counts"
                                    : "SELECT COUNT(*) FROM members") +
                      w.sql());
  st.execute(true);
  return ind == soci::i_ok ? n : 0;
}

bool uscc_is_member(soci::session& s, const std::string& uscc) {
  int n = 0;
  s << "SELECT COUNT(*) FROM members WHERE uscc = :u", soci::use(uscc), soci::into(n);
  return n > 0;
}

bool uscc_is_pending(soci::session& s, const std::string& uscc) {
  int n = 0;
  // Locking on MariaDB: of two applications for one code submitted together, the second waits
  // for the first (or deadlocks with it and is run again) and then sees it pending.
  s << std::string("SELECT COUNT(*) FROM applications WHERE uscc = :u AND status = 'pending'") +
           db::for_update(s),
      soci::use(uscc), soci::into(n);
  return n > 0;
}

long long insert_application(soci::session& s, const ApplicationInput& in, long long user_id,
                             Timestamp now, const std::string& ip) {
  const std::string at = format_db_timestamp(now);
  const long long consent = in.consent_version.value_or(0);
  s << "INSERT INTO applications (status, name, short_name, uscc, org_type, org_level, city_code, "
       "address, contact_name, contact_title, contact_mobile, contact_email, user_id, "
       "decision_reason, submitted_at, address_ip, consent_version) VALUES ('pending', :n, :sn, "
       ":u, :t, :l, :c, :a, :cn, :ct, :cm, :ce, :uid, '', :at, :ip, :cv)",
      soci::use(in.org.name), soci::use(in.org.short_name), soci::use(in.org.uscc),
      soci::use(in.org.type), soci::use(in.org.level), soci::use(in.org.city_code),
      soci::use(in.org.address), soci::use(in.contact.name), soci::use(in.contact.title),
      soci::use(in.contact.mobile), soci::use(in.contact.email), soci::use(user_id), soci::use(at),
      soci::use(ip), soci::use(consent);
  long long id = 0;
  s.get_last_insert_id("applications", id);
  return id;
}

std::optional<Application> find_application(soci::session& s, long long id, bool lock) {
  soci::rowset<soci::row> rows = (s.prepare << std::string(kApplicationColumns) + "WHERE id = :id" +
                                                   (lock ? db::for_update(s) : ""),
                                  soci::use(id));
  auto it = rows.begin();
  if (it == rows.end()) return std::nullopt;
  return read_application(*it);
}

std::vector<Application> list_applications(soci::session& s, const std::string& status, int limit,
                                           int offset) {
  soci::rowset<soci::row> rows =
      (s.prepare << std::string(kApplicationColumns) +
                        "WHERE (:s1 = '' OR status = :s2) ORDER BY submitted_at, id "
                        "LIMIT :lim OFFSET :off",
       soci::use(status), soci::use(status), soci::use(limit), soci::use(offset));
  std::vector<Application> out;
  for (const soci::row& r : rows) out.push_back(read_application(r));
  return out;
}

long long count_applications(soci::session& s, const std::string& status) {
  long long n = 0;
  s << "SELECT COUNT(*) FROM applications WHERE (:s1 = '' OR status = :s2)", soci::use(status),
      soci::use(status), soci::into(n);
  return n;
}

void decide_application(soci::session& s, long long id, const std::string& status,
                        const std::string& reason, long long decided_by,
                        std::optional<long long> member_id, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  long long member = member_id.value_or(0);
  soci::indicator member_ind = member_id ? soci::i_ok : soci::i_null;
  s << "UPDATE applications SET status = :st, decision_reason = :r, decided_by = :by, "
       "decided_at = :at, member_id = :m WHERE id = :id",
      soci::use(status), soci::use(reason), soci::use(decided_by), soci::use(at),
      soci::use(member, member_ind), soci::use(id);
}

std::pair<long long, std::string> insert_member(soci::session& s, const Organisation& org,
                                                const std::string& tier,
                                                const std::string& joined_on,
                                                const std::string& sort_key, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  const std::string placeholder = "~" + org.uscc;  // unique until the number replaces it
  s << "INSERT INTO members (member_no, name, short_name, uscc, org_type, org_level, city_code, "
       "address, tier, status, joined_on, sort_key, created_at, updated_at) VALUES (:no, :n, :sn, "
       ":u, :t, :l, :c, :a, :tier, 'active', :j, :k, :at, :at2)",
      soci::use(placeholder), soci::use(org.name), soci::use(org.short_name), soci::use(org.uscc),
      soci::use(org.type), soci::use(org.level), soci::use(org.city_code), soci::use(org.address),
      soci::use(tier), soci::use(joined_on), soci::use(sort_key), soci::use(at), soci::use(at);
  long long id = 0;
  s.get_last_insert_id("members", id);
  const std::string member_no = fmt::format("XH{:04}", id);
  s << "UPDATE members SET member_no = :no WHERE id = :id", soci::use(member_no), soci::use(id);
  return {id, member_no};
}

std::optional<Member> find_member_by_uscc(soci::session& s, const std::string& uscc, bool lock) {
  soci::rowset<soci::row> rows = (s.prepare << std::string(kMemberColumns) + " WHERE uscc = :u" +
                                                   (lock ? db::for_update(s) : ""),
                                  soci::use(uscc));
  auto it = rows.begin();
  if (it == rows.end()) return std::nullopt;
  return read_member(*it);
}

void set_member_tier(soci::session& s, long long id, const std::string& tier, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  s << "UPDATE members SET tier = :t, updated_at = :at WHERE id = :id", soci::use(tier),
      soci::use(at), soci::use(id);
}

std::optional<MemberContact> representative(soci::session& s, long long member_id) {
  soci::rowset<soci::row> rows =
      (s.prepare << kContactColumns +
                        std::string("WHERE member_id = :m AND contact_role = 'representative' "
                                    "ORDER BY id"),
       soci::use(member_id));
  auto it = rows.begin();
  if (it == rows.end()) return std::nullopt;
  return read_contact(*it);
}

std::vector<Application> applications_of_user(soci::session& s, long long user_id) {
  soci::rowset<soci::row> rows =
      (s.prepare << std::string(kApplicationColumns) +
                        "WHERE user_id = :u ORDER BY submitted_at DESC, id DESC",
       soci::use(user_id));
  std::vector<Application> out;
  for (const soci::row& r : rows) out.push_back(read_application(r));
  return out;
}

void insert_history(soci::session& s, long long member_id, const HistoryEntry& e,
                    std::optional<long long> actor_id) {
  const std::string at = format_db_timestamp(e.changed_at);
  long long actor = actor_id.value_or(0);
  soci::indicator actor_ind = actor_id ? soci::i_ok : soci::i_null;
  s << "INSERT INTO member_history (member_id, kind, from_value, to_value, effective_on, reason, "
       "actor_id, actor_name, changed_at) VALUES (:m, :k, :f, :t, :e, :r, :a, :an, :at)",
      soci::use(member_id), soci::use(e.kind), soci::use(e.from_value), soci::use(e.to_value),
      soci::use(e.effective_on), soci::use(e.reason), soci::use(actor, actor_ind),
      soci::use(e.actor_name), soci::use(at);
}

std::vector<HistoryEntry> member_history(soci::session& s, long long member_id) {
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT kind, from_value, to_value, effective_on, reason, actor_name, "
                    "changed_at FROM member_history WHERE member_id = :m "
                    "ORDER BY changed_at DESC, id DESC",
       soci::use(member_id));
  std::vector<HistoryEntry> out;
  for (const soci::row& r : rows) {
    out.push_back({r.get<std::string>(0), r.get<std::string>(1), r.get<std::string>(2),
                   r.get<std::string>(3), r.get<std::string>(4), r.get<std::string>(5),
                   parse_db_timestamp(r.get<std::string>(6)).value_or(Timestamp{})});
  }
  return out;
}

std::optional<std::string> certificate_code(soci::session& s, long long member_id, int year) {
  std::string code;
  soci::indicator ind = soci::i_null;
  s << "SELECT code FROM member_certificates WHERE member_id = :m AND cert_year = :y",
      soci::use(member_id), soci::use(year), soci::into(code, ind);
  if (!s.got_data() || ind != soci::i_ok) return std::nullopt;
  return code;
}

void insert_certificate(soci::session& s, long long member_id, int year, const std::string& code,
                        Timestamp now) {
  const std::string at = format_db_timestamp(now);
  s << "INSERT INTO member_certificates (member_id, cert_year, code, issued_at) "
       "VALUES (:m, :y, :c, :at)",
      soci::use(member_id), soci::use(year), soci::use(code), soci::use(at);
}

std::optional<std::pair<long long, int>> find_certificate(soci::session& s,
                                                          const std::string& code) {
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT member_id, cert_year FROM member_certificates WHERE code = :c",
       soci::use(code));
  auto it = rows.begin();
  if (it == rows.end()) return std::nullopt;
  return std::pair<long long, int>(db::get_int64(*it, 0), static_cast<int>(db::get_int64(*it, 1)));
}

}  // namespace xiehui::membership::membership_repository
