#include "services/privacy/privacy_repository.hpp"

#include <fmt/format.h>

#include <set>

#include "core/db/sql.hpp"
#include "core/db/where.hpp"
#include "core/personal_data.hpp"

namespace xiehui::privacy::privacy_repository {
namespace {

std::string text(const soci::row& row, std::size_t i) {
  return row.get_indicator(i) == soci::i_ok ? row.get<std::string>(i) : std::string();
}

// Each person table, as one SELECT giving the PersonRecord columns in order: ref, name, title,
// mobile, email, context, unit, status, recorded_at, certificate_no. `{}` is the WHERE column
// (the mobile or the name).
struct PersonTable {
  const char* kind;
  const char* mobile_column;
  const char* name_column;
  const char* select;
};

constexpr PersonTable kPersonTables[] = {
    {"member_contact", "mc.mobile", "mc.name",
     "SELECT mc.id, mc.name, mc.title, mc.mobile, mc.email, m.name, m.name, mc.contact_role, "
     "mc.updated_at, '' FROM member_contacts mc JOIN members m ON m.id = mc.member_id"},
    {"application", "a.contact_mobile", "a.contact_name",
     "SELECT a.id, a.contact_name, a.contact_title, a.contact_mobile, a.contact_email, a.name, "
     "a.name, a.status, a.submitted_at, '' FROM applications a"},
    {"enrollment", "e.mobile", "e.attendee_name",
     "SELECT e.id, e.attendee_name, e.attendee_title, e.mobile, e.email, CASE WHEN c.title <> "
     "'' THEN c.title ELSE co.title END, e.org_name, e.status, e.created_at, "
     "COALESCE(e.certificate_no, '') FROM enrollments e JOIN classes c ON c.id = e.class_id JOIN "
     "courses co ON co.id = c.course_id"},
    {"meeting_attendee", "ra.mobile", "ra.name",
     "SELECT ra.meeting_id, ra.name, ra.title, ra.mobile, '', mt.title, m.name, '', "
     "mt.starts_at, '', ra.member_id, ra.position FROM meeting_rsvp_attendees ra JOIN meetings "
     "mt ON mt.id = ra.meeting_id JOIN members m ON m.id = ra.member_id"},
    {"visit_delegate", "d.mobile", "d.name",
     "SELECT d.id, d.name, d.title, d.mobile, '', v.title, m.name, d.status, d.created_at, '' "
     "FROM visit_delegates d JOIN visits v ON v.id = d.visit_id JOIN members m ON m.id = "
     "d.member_id"},
};

PersonRecord read_record(const PersonTable& t, const soci::row& row) {
  PersonRecord r;
  r.kind = t.kind;
  r.ref = std::to_string(db::get_int64(row, 0));
  if (row.size() > 10) {
    r.ref += fmt::format(":{}:{}", db::get_int64(row, 10), db::get_int64(row, 11));
  }
  r.name = text(row, 1);
  r.title = text(row, 2);
  r.mobile = text(row, 3);
  r.email = text(row, 4);
  r.context = text(row, 5);
  r.unit = text(row, 6);
  r.status = text(row, 7);
  r.recorded_at = text(row, 8);
  r.certificate_no = text(row, 9);
  return r;
}

std::vector<long long> ids(soci::session& s, const std::string& sql, const std::string& value) {
  std::vector<long long> out;
  soci::row row;
  soci::statement st = (s.prepare << sql, soci::use(value), soci::into(row));
  st.execute();
  while (st.fetch()) out.push_back(db::get_int64(row, 0));
  return out;
}

long long run(soci::session& s, const std::string& sql, const std::string& a) {
  soci::statement st = (s.prepare << sql, soci::use(a, "a"));
  st.execute(true);
  return st.get_affected_rows();
}

long long run(soci::session& s, const std::string& sql, const std::string& a,
              const std::string& b) {
  soci::statement st = (s.prepare << sql, soci::use(a, "a"), soci::use(b, "b"));
  st.execute(true);
  return st.get_affected_rows();
}

std::string id_list(const std::vector<long long>& v, bool quoted = false) {
  std::string out;
  for (const long long id : v) {
    if (!out.empty()) out += ',';
    out += quoted ? fmt::format("'{}'", id) : std::to_string(id);
  }
  return out;
}

// A filter on (entity_type, entity_id) for the person's enrollments and delegate places; the
// audit log keeps entity_id as text (`quoted`), notifications as a number. Empty when none.
std::string linked_entities(const std::vector<long long>& enrollments,
                            const std::vector<long long>& delegates, bool quoted) {
  std::string out;
  if (!enrollments.empty()) {
    out = fmt::format("(entity_type = 'enrollment' AND entity_id IN ({}))",
                      id_list(enrollments, quoted));
  }
  if (!delegates.empty()) {
    out += fmt::format("{}(entity_type = 'visit_delegate' AND entity_id IN ({}))",
                       out.empty() ? "" : " OR ", id_list(delegates, quoted));
  }
  return out;
}

// Replaces `needle` in every personal text column outside the person tables (which erase_person
// rewrites whole) and the audit summaries (which keep a digest): messages, histories, notes,
// stored replies and job results quote it as text.
long long replace_everywhere(soci::session& s, const std::string& needle) {
  if (needle.empty()) return 0;
  const std::string erased = kErased;
  long long changed = 0;
  for (const PersonalColumn& c : personal_columns()) {
    if (c.kind != PersonalKind::free_text && c.kind != PersonalKind::name) continue;
    if (c.table == "audit_log" || c.table == "users") continue;
    changed += run(s,
                   fmt::format("UPDATE {0} SET {1} = REPLACE({1}, :a, :b) WHERE INSTR({1}, :a) > 0",
                               c.table, c.column),
                   needle, erased);
  }
  return changed;
}

}  // namespace

std::vector<PersonRecord> find_records(soci::session& s, const std::string& mobile,
                                       const std::string& name) {
  std::vector<PersonRecord> out;
  const std::string& key = mobile.empty() ? name : mobile;
  for (const PersonTable& t : kPersonTables) {
    const std::string sql =
        fmt::format("{} WHERE {} = :k", t.select, mobile.empty() ? t.name_column : t.mobile_column);
    soci::row row;
    soci::statement st = (s.prepare << sql, soci::use(key), soci::into(row));
    st.execute();
    while (st.fetch()) out.push_back(read_record(t, row));
  }
  return out;
}

std::vector<PersonMessage> find_messages(soci::session& s,
                                         const std::vector<std::string>& recipients) {
  std::vector<PersonMessage> out;
  for (const std::string& to : std::set<std::string>(recipients.begin(), recipients.end())) {
    if (to.empty()) continue;
    soci::row row;
    soci::statement st = (s.prepare << "SELECT id, channel, kind, subject, status, created_at "
                                       "FROM outbox WHERE recipient = :r ORDER BY id",
                          soci::use(to), soci::into(row));
    st.execute();
    while (st.fetch()) {
      out.push_back({db::get_int64(row, 0), text(row, 1), text(row, 2), text(row, 3), text(row, 4),
                     text(row, 5)});
    }
  }
  return out;
}

bool new_mobile_collides(soci::session& s, const std::string& mobile,
                         const std::string& new_mobile) {
  long long n = 0;
  s << "SELECT (SELECT COUNT(*) FROM enrollments a JOIN enrollments b ON b.class_id = a.class_id "
       "WHERE a.active_mobile = :m AND b.active_mobile = :n) + (SELECT COUNT(*) FROM "
       "visit_delegates a JOIN visit_delegates b ON b.visit_id = a.visit_id WHERE "
       "a.active_mobile = :m2 AND b.active_mobile = :n2)",
      soci::use(mobile), soci::use(new_mobile), soci::use(mobile), soci::use(new_mobile),
      soci::into(n);
  return n > 0;
}

long long correct_person(soci::session& s, const std::string& mobile, const PersonCorrection& c) {
  // Per person table: its name, title, mobile, e-mail (none: "") and held-place columns.
  struct Columns {
    const char *table, *name, *title, *mobile, *email, *active;
  };
  constexpr Columns kTables[] = {
      {"member_contacts", "name", "title", "mobile", "email", ""},
      {"applications", "contact_name", "contact_title", "contact_mobile", "contact_email", ""},
      {"enrollments", "attendee_name", "attendee_title", "mobile", "email", "active_mobile"},
      {"meeting_rsvp_attendees", "name", "title", "mobile", "", ""},
      {"visit_delegates", "name", "title", "mobile", "", "active_mobile"},
  };
  long long changed = 0;
  for (const Columns& t : kTables) {
    std::string set;
    std::vector<std::string> values;
    const auto assign = [&](const char* column, const std::string& value) {
      if (*column == '\0' || value.empty()) return;
      set += fmt::format("{}{} = :v{}", set.empty() ? "" : ", ", column, values.size());
      values.push_back(value);
    };
    assign(t.name, c.name);
    assign(t.title, c.title);
    assign(t.email, c.email);
    assign(t.mobile, c.new_mobile);
    if (*t.active != '\0' && !c.new_mobile.empty()) {
      // A held place follows the number; a released one (NULL, or x<id> after erasure) stays.
      set += fmt::format(", {0} = CASE WHEN {0} = :v{1} THEN :v{2} ELSE {0} END", t.active,
                         values.size(), values.size() + 1);
      values.push_back(mobile);
      values.push_back(c.new_mobile);
    }
    if (set.empty()) continue;
    soci::statement st(s);
    for (const std::string& v : values) st.exchange(soci::use(v));
    st.exchange(soci::use(mobile));
    const std::string sql = fmt::format("UPDATE {} SET {} WHERE {} = :m", t.table, set, t.mobile);
    db::prepare(st, sql);
    st.execute(true);
    changed += st.get_affected_rows();
  }
  return changed;
}

ErasureReport erase_person(soci::session& s, const std::string& mobile,
                           const std::vector<std::string>& names,
                           const std::vector<std::string>& emails,
                           std::vector<long long>& audit_ids) {
  ErasureReport report;
  const std::string erased = kErased;
  const auto enrollments = ids(s, "SELECT id FROM enrollments WHERE mobile = :m", mobile);
  const auto delegates = ids(s, "SELECT id FROM visit_delegates WHERE mobile = :m", mobile);
  const auto units = ids(s, "SELECT member_id FROM member_contacts WHERE mobile = :m", mobile);
  // An applicant's account was named after its contact: it takes the unit's name instead.
  report.other_rows += run(s,
                           "UPDATE users SET display_name = (SELECT a.name FROM applications a "
                           "WHERE a.user_id = users.id AND a.contact_mobile = :a ORDER BY a.id "
                           "LIMIT 1) WHERE id IN (SELECT user_id FROM applications WHERE "
                           "contact_mobile = :a AND contact_name = users.display_name)",
                           mobile);
  // An account whose notices went to the person's address gets none by e-mail any more.
  for (const std::string& email : emails) {
    report.other_rows += run(s, "UPDATE users SET email = NULL WHERE email = :a", email);
  }

  report.records += run(s,
                        "UPDATE member_contacts SET name = :b, title = '', mobile = :b, email = '' "
                        "WHERE mobile = :a",
                        mobile, erased);
  report.records += run(s,
                        "UPDATE applications SET contact_name = :b, contact_title = '', "
                        "contact_mobile = :b, contact_email = '' WHERE contact_mobile = :a",
                        mobile, erased);
  report.records += run(s,
                        "UPDATE meeting_rsvp_attendees SET name = :b, title = '', mobile = :b "
                        "WHERE mobile = :a",
                        mobile, erased);
  // A held place keeps holding it: its unique key becomes one no real number can take.
  const auto erase_places = [&](const char* table, const char* fields,
                                const std::vector<long long>& rows) {
    for (const long long id : rows) {
      const std::string slot = fmt::format("x{}", id);
      soci::statement st =
          (s.prepare << fmt::format("UPDATE {} SET {}, active_mobile = CASE WHEN active_mobile IS "
                                    "NULL THEN NULL ELSE :slot END WHERE id = :id",
                                    table, fields),
           soci::use(erased, "e"), soci::use(slot, "slot"), soci::use(id, "id"));
      st.execute(true);
      report.records += st.get_affected_rows();
    }
  };
  erase_places("enrollments",
               "attendee_name = :e, attendee_title = '', mobile = :e, email = '', lodging = ''",
               enrollments);
  erase_places("visit_delegates", "name = :e, title = '', mobile = :e, dietary = ''", delegates);

  // Messages to the person: the whole message goes, the row stays (delivery counts).
  std::vector<std::string> recipients = emails;
  recipients.push_back(mobile);
  for (const PersonMessage& m : find_messages(s, recipients)) {
    const std::string to = fmt::format("{}#{}", erased, m.id);
    soci::statement st =
        (s.prepare << "UPDATE outbox SET recipient = :to, recipient_name = :e, subject = :e, "
                      "body_text = :e, body_html = :e, last_error = NULL WHERE id = :id",
         soci::use(to, "to"), soci::use(erased, "e"), soci::use(m.id, "id"));
    st.execute(true);
    report.messages += st.get_affected_rows();
  }

  // Notices and audit rows about the person's records name them: replaced whole.
  const std::string notices = linked_entities(enrollments, delegates, false);
  if (!notices.empty()) {
    soci::statement st =
        (s.prepare << "UPDATE notifications SET message = :e, message_en = :e WHERE " + notices,
         soci::use(erased, "e"));
    st.execute(true);
    report.notifications += st.get_affected_rows();
  }
  std::set<long long> audit;
  for (const std::string& needle : recipients) {
    if (needle.empty()) continue;
    for (const long long id :
         ids(s, "SELECT id FROM audit_log WHERE INSTR(summary, :v) > 0", needle)) {
      audit.insert(id);
    }
  }
  if (const std::string rows = linked_entities(enrollments, delegates, true); !rows.empty()) {
    soci::rowset<soci::row> found = (s.prepare << "SELECT id FROM audit_log WHERE " + rows);
    for (const soci::row& r : found) audit.insert(db::get_int64(r, 0));
  }
  audit_ids.assign(audit.begin(), audit.end());

  // Copies as text elsewhere: the mobile and e-mail everywhere, the names in the histories of
  // the units the person was a contact of.
  for (const std::string& needle : recipients) report.other_rows += replace_everywhere(s, needle);
  if (!units.empty()) {
    for (const std::string& name : names) {
      if (name.empty() || name == erased) continue;
      for (const char* column : {"from_value", "to_value"}) {
        report.other_rows += run(
            s,
            fmt::format("UPDATE member_history SET {0} = REPLACE({0}, :a, :b) WHERE member_id IN "
                        "({1}) AND INSTR({0}, :a) > 0",
                        column, id_list(units)),
            name, erased);
      }
    }
  }
  return report;
}

}  // namespace xiehui::privacy::privacy_repository
