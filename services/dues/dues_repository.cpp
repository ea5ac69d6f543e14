#include "services/dues/dues_repository.hpp"

#include <algorithm>

#include "core/db/sql.hpp"
#include "core/db/where.hpp"
#include "core/time.hpp"
#include "services/dues/dues_repository_rows.hpp"
#include "services/notifications/notification_repository.hpp"

namespace xiehui::dues::dues_repository {
namespace {

using namespace rows;  // NOLINT(google-build-using-namespace): the shared row readers

// ---- schedules ----

constexpr const char* kScheduleColumns =
    "SELECT id, year, version, effective_on, meeting_name, held_on, entitled, present, "
    "votes_for, votes_against, abstentions, secret_ballot, resolution_id, copied_from_year, "
    "published_at, superseded_at, created_at FROM dues_schedules ";

Schedule read_schedule(const soci::row& r) {
  Schedule sch;
  sch.id = db::get_int64(r, 0);
  sch.year = as_int(r, 1);
  sch.version = as_int(r, 2);
  sch.effective_on = r.get<std::string>(3);
  sch.decision.meeting_name = r.get<std::string>(4);
  sch.decision.held_on = r.get<std::string>(5);
  sch.decision.entitled = as_int(r, 6);
  sch.decision.present = as_int(r, 7);
  sch.decision.votes_for = as_int(r, 8);
  sch.decision.votes_against = as_int(r, 9);
  sch.decision.abstentions = as_int(r, 10);
  sch.decision.secret_ballot = db::get_int64(r, 11) != 0;
  if (r.get_indicator(12) == soci::i_ok) sch.decision.resolution_id = db::get_int64(r, 12);
  if (r.get_indicator(13) == soci::i_ok) sch.copied_from_year = as_int(r, 13);
  sch.published_at = nullable_ts(r, 14);
  sch.superseded_at = nullable_ts(r, 15);
  sch.created_at = ts(r, 16);
  return sch;
}

void load_tiers(soci::session& s, Schedule& sch) {
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT tier, amount_fen FROM dues_schedule_amounts WHERE schedule_id = :id",
       soci::use(sch.id));
  for (const soci::row& r : rows) sch.tiers[r.get<std::string>(0)] = db::get_int64(r, 1);
}

std::vector<Schedule> read_schedules(soci::session& s, const std::string& sql, int year) {
  std::vector<Schedule> out;
  soci::rowset<soci::row> rows = (s.prepare << sql, soci::use(year));
  for (const soci::row& r : rows) out.push_back(read_schedule(r));
  for (Schedule& sch : out) load_tiers(s, sch);
  return out;
}

// ---- invoices ----

constexpr const char* kInvoiceColumns =
    "SELECT i.id, i.member_id, m.name, m.member_no, m.city_code, i.year, i.tier, i.schedule_id, "
    "i.full_fen, i.amount_fen, i.reduced_fen, i.paid_fen, i.status, i.proration, i.issued_on, "
    "i.reminders_sent, i.last_reminded_on FROM dues_invoices i "
    "JOIN members m ON m.id = i.member_id ";

Invoice read_invoice(const soci::row& r) {
  Invoice inv;
  inv.id = db::get_int64(r, 0);
  inv.member_id = db::get_int64(r, 1);
  inv.member_name = r.get<std::string>(2);
  inv.member_no = r.get<std::string>(3);
  inv.city_code = r.get<std::string>(4);
  inv.year = as_int(r, 5);
  inv.tier = r.get<std::string>(6);
  inv.schedule_id = db::get_int64(r, 7);
  inv.full_fen = db::get_int64(r, 8);
  inv.amount_fen = db::get_int64(r, 9);
  inv.reduced_fen = db::get_int64(r, 10);
  inv.paid_fen = db::get_int64(r, 11);
  inv.status = r.get<std::string>(12);
  inv.proration = r.get<std::string>(13);
  inv.issued_on = r.get<std::string>(14);
  inv.reminders_sent = as_int(r, 15);
  inv.last_reminded_on = nullable_text(r, 16);
  return inv;
}

std::optional<Invoice> one_invoice(soci::session& s, const std::string& where, long long a,
                                   std::optional<int> b, bool lock) {
  soci::row r;
  if (lock && is_mysql(s)) {
    // The invoice row alone: a FOR UPDATE over the join would lock the unit's row as well.
    long long id = 0;
    const std::string lock_sql = "SELECT i.id FROM dues_invoices i " + where + " FOR UPDATE";
    if (b) {
      s << lock_sql, soci::use(a), soci::use(*b), soci::into(id);
    } else {
      s << lock_sql, soci::use(a), soci::into(id);
    }
    if (!s.got_data()) return std::nullopt;
  }
  const std::string sql = std::string(kInvoiceColumns) + where;
  if (b) {
    s << sql, soci::use(a), soci::use(*b), soci::into(r);
  } else {
    s << sql, soci::use(a), soci::into(r);
  }
  if (!s.got_data()) return std::nullopt;
  return read_invoice(r);
}

db::Where invoice_where(const InvoiceFilter& f) {
  db::Where w;
  if (f.year) w.add("i.year", " = ", std::to_string(*f.year));
  if (f.member_id) w.add("i.member_id", " = ", std::to_string(*f.member_id));
  w.add("i.status", " = ", f.status);
  w.add_contains({"m.name", "m.member_no", "m.short_name"}, f.q);
  return w;
}

}  // namespace

std::map<std::string, std::string> setting_rows(soci::session& s, const std::string& prefix) {
  std::map<std::string, std::string> out;
  const std::string pattern = db::contains_pattern(prefix).substr(1);
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT name, value FROM settings WHERE name LIKE :p ESCAPE '!'",
       soci::use(pattern));
  for (const soci::row& r : rows) out[r.get<std::string>(0)] = r.get<std::string>(1);
  return out;
}

void put_setting(soci::session& s, const std::string& name, const std::string& value,
                 Timestamp now) {
  const std::string at = format_db_timestamp(now);
  if (is_mysql(s)) {
    s << "INSERT INTO settings (name, value, updated_at) VALUES (:n, :v, :at) "
         "ON DUPLICATE KEY UPDATE value = VALUES(value), updated_at = VALUES(updated_at)",
        soci::use(name), soci::use(value), soci::use(at);
  } else {
    s << "INSERT INTO settings (name, value, updated_at) VALUES (:n, :v, :at) "
         "ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = "
         "excluded.updated_at",
        soci::use(name), soci::use(value), soci::use(at);
  }
}

std::optional<Schedule> current_schedule(soci::session& s, int year, bool lock) {
  auto list =
      read_schedules(s,
                     std::string(kScheduleColumns) + "WHERE year = :y AND superseded_at IS NULL" +
                         (lock ? db::for_update(s) : ""),
                     year);
  if (list.empty()) return std::nullopt;
  return list.front();
}

void lock_schedule_year(soci::session& s, int year) {
  if (!is_mysql(s)) return;
  long long id = 0;
  s << "SELECT id FROM dues_schedules WHERE year = :y AND superseded_at IS NULL FOR UPDATE",
      soci::use(year), soci::into(id);
}

std::vector<Schedule> schedule_history(soci::session& s, int year) {
  return read_schedules(s,
                        std::string(kScheduleColumns) +
                            "WHERE year = :y AND superseded_at IS NOT NULL ORDER BY version DESC",
                        year);
}

std::vector<Schedule> list_schedules(soci::session& s) {
  return read_schedules(s,
                        std::string(kScheduleColumns) +
                            "WHERE superseded_at IS NULL AND year > :y ORDER BY year DESC",
                        0);
}

long long insert_schedule(soci::session& s, const Schedule& sch, std::optional<long long> actor,
                          Timestamp now) {
  const std::string at = format_db_timestamp(now);
  const Decision& d = sch.decision;
  long long resolution = d.resolution_id.value_or(0);
  soci::indicator resolution_ind = d.resolution_id ? soci::i_ok : soci::i_null;
  int copied = sch.copied_from_year.value_or(0);
  soci::indicator copied_ind = sch.copied_from_year ? soci::i_ok : soci::i_null;
  long long who = actor.value_or(0);
  soci::indicator who_ind = actor ? soci::i_ok : soci::i_null;
  int secret = d.secret_ballot ? 1 : 0;
  s << "INSERT INTO dues_schedules (year, version, effective_on, meeting_name, held_on, entitled, "
       "present, votes_for, votes_against, abstentions, secret_ballot, resolution_id, "
       "copied_from_year, created_by, created_at) VALUES (:y, :v, :e, :mn, :h, :en, :p, :f, :a, "
       ":ab, :sb, :r, :c, :by, :at)",
      soci::use(sch.year), soci::use(sch.version), soci::use(sch.effective_on),
      soci::use(d.meeting_name), soci::use(d.held_on), soci::use(d.entitled), soci::use(d.present),
      soci::use(d.votes_for), soci::use(d.votes_against), soci::use(d.abstentions),
      soci::use(secret), soci::use(resolution, resolution_ind), soci::use(copied, copied_ind),
      soci::use(who, who_ind), soci::use(at);
  long long id = 0;
  s << "SELECT id FROM dues_schedules WHERE year = :y AND version = :v", soci::use(sch.year),
      soci::use(sch.version), soci::into(id);
  for (const auto& [tier, fen] : sch.tiers) {
    s << "INSERT INTO dues_schedule_amounts (schedule_id, tier, amount_fen) VALUES (:s, :t, :a)",
        soci::use(id), soci::use(tier), soci::use(fen);
  }
  return id;
}

void delete_schedule(soci::session& s, long long id) {
  s << "DELETE FROM dues_schedule_amounts WHERE schedule_id = :id", soci::use(id);
  s << "DELETE FROM dues_schedules WHERE id = :id", soci::use(id);
}

void supersede_schedule(soci::session& s, long long id, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  s << "UPDATE dues_schedules SET superseded_at = :at WHERE id = :id", soci::use(at), soci::use(id);
}

void publish_schedule(soci::session& s, long long id, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  s << "UPDATE dues_schedules SET published_at = :at WHERE id = :id", soci::use(at), soci::use(id);
}

std::vector<long long> active_member_ids(soci::session& s) {
  std::vector<long long> out;
  soci::rowset<soci::row> rows = s.prepare << "SELECT id FROM members WHERE status = 'active'";
  for (const soci::row& r : rows) out.push_back(db::get_int64(r, 0));
  return out;
}

std::vector<BillableUnit> billable_units(soci::session& s, int year) {
  std::vector<BillableUnit> out;
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT m.id, m.name, m.tier, m.joined_on FROM members m "
                    "LEFT JOIN dues_invoices i ON i.member_id = m.id AND i.year = :y "
                    "WHERE m.status = 'active' AND i.id IS NULL ORDER BY m.sort_key, m.id",
       soci::use(year));
  for (const soci::row& r : rows) {
    out.push_back(
        {db::get_int64(r, 0), r.get<std::string>(1), r.get<std::string>(2), r.get<std::string>(3)});
  }
  return out;
}

long long count_invoices(soci::session& s, int year) {
  return db::scalar(s, "SELECT COUNT(*) FROM dues_invoices WHERE year = " + std::to_string(year));
}

long long insert_invoices(soci::session& s, const std::vector<Invoice>& invoices, Timestamp now) {
  // Bound one row at a time, a 100,000-unit run is 100,000 round trips to MariaDB; rows of 500
  // go in one statement. Every value is a number or a word of our own vocabulary (tier, status,
  // proration, dates we formatted), checked here before it is spliced.
  const auto plain = [](const std::string& v) {
    return std::all_of(v.begin(), v.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == ':' ||
             c == ' ' || c == '.';
    });
  };
  const std::string at = format_db_timestamp(now);
  const char* ignore = is_mysql(s) ? "INSERT IGNORE INTO" : "INSERT OR IGNORE INTO";
  long long inserted = 0;
  constexpr std::size_t kBatch = 500;
  for (std::size_t start = 0; start < invoices.size(); start += kBatch) {
    std::string sql = std::string(ignore) +
                      " dues_invoices (member_id, year, tier, schedule_id, full_fen, amount_fen, "
                      "reduced_fen, paid_fen, status, proration, issued_on, reminders_sent, "
                      "created_at, updated_at) VALUES ";
    const std::size_t end = std::min(invoices.size(), start + kBatch);
    for (std::size_t k = start; k < end; ++k) {
      const Invoice& v = invoices[k];
      if (!plain(v.tier) || !plain(v.status) || !plain(v.proration) || !plain(v.issued_on) ||
          !plain(at)) {
        throw soci::soci_error("unexpected characters in an invoice value");
      }
      if (k > start) sql += ',';
      sql += '(' + std::to_string(v.member_id) + ',' + std::to_string(v.year) + ",'" + v.tier +
             "'," + std::to_string(v.schedule_id) + ',' + std::to_string(v.full_fen) + ',' +
             std::to_string(v.amount_fen) + ',' + std::to_string(v.reduced_fen) + ",0,'" +
             v.status + "','" + v.proration + "','" + v.issued_on + "',0,'" + at + "','" + at +
             "')";
    }
    soci::statement st = (s.prepare << sql);
    st.execute(true);
    inserted += st.get_affected_rows();
  }
  return inserted;
}

void notify_new_invoices(soci::session& s, int year, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  const std::string message = std::to_string(year) + " 年度会费通知单已开具，请按通知单缴纳会费";
  s << "INSERT INTO notifications (member_id, kind, message, entity_type, entity_id, created_at) "
       "SELECT member_id, 'dues.invoice', :msg, 'dues_invoice', id, :at FROM dues_invoices "
       "WHERE year = :y AND created_at = :at2",
      soci::use(message), soci::use(at), soci::use(year), soci::use(at);
}

int schedule_version(soci::session& s, long long schedule_id) {
  int v = 1;
  s << "SELECT version FROM dues_schedules WHERE id = :id", soci::use(schedule_id), soci::into(v);
  return v;
}

std::optional<Invoice> find_invoice(soci::session& s, long long id, bool lock) {
  return one_invoice(s, "WHERE i.id = :id", id, std::nullopt, lock);
}

std::optional<Invoice> find_invoice_for(soci::session& s, long long member_id, int year,
                                        bool lock) {
  return one_invoice(s, "WHERE i.member_id = :m AND i.year = :y", member_id, year, lock);
}

std::vector<Invoice> list_invoices(soci::session& s, const InvoiceFilter& f, int limit,
                                   int offset) {
  const db::Where w = invoice_where(f);
  return rows::page(s, w,
                    std::string(kInvoiceColumns) + w.sql() +
                        " ORDER BY i.year DESC, m.sort_key, i.id LIMIT :lim OFFSET :off",
                    limit, offset, read_invoice);
}

long long count_invoices(soci::session& s, const InvoiceFilter& f) {
  const db::Where w = invoice_where(f);
  return rows::count(
      s, w, "SELECT COUNT(*) FROM dues_invoices i JOIN members m ON m.id = i.member_id" + w.sql());
}

void update_invoice_figures(soci::session& s, const Invoice& inv, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  s << "UPDATE dues_invoices SET reduced_fen = :r, paid_fen = :p, status = :st, updated_at = :at "
       "WHERE id = :id",
      soci::use(inv.reduced_fen), soci::use(inv.paid_fen), soci::use(inv.status), soci::use(at),
      soci::use(inv.id);
}

bool set_reminded(soci::session& s, long long invoice_id, int reminders_sent, const std::string& on,
                  Timestamp now) {
  const std::string at = format_db_timestamp(now);
  const int before = reminders_sent - 1;
  // A compare-and-set: an UPDATE reads the latest row (after waiting for a parallel run's lock)
  // even where the run's own reads came from an older snapshot.
  soci::statement st =
      (s.prepare << "UPDATE dues_invoices SET reminders_sent = :n, last_reminded_on = :on, "
                    "updated_at = :at WHERE id = :id AND reminders_sent = :before "
                    "AND status IN ('unpaid', 'partial')",
       soci::use(reminders_sent), soci::use(on), soci::use(at), soci::use(invoice_id),
       soci::use(before));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

long long member_outstanding(soci::session& s, long long member_id) {
  return db::scalar(s,
                    "SELECT SUM(amount_fen - reduced_fen - paid_fen) FROM dues_invoices WHERE "
                    "status IN ('unpaid', 'partial') AND member_id = " +
                        std::to_string(member_id));
}

std::vector<OpenInvoice> open_invoices(soci::session& s, const std::string& as_of) {
  std::vector<OpenInvoice> out;
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT i.id, i.member_id, m.name, i.year, i.issued_on, i.reminders_sent, "
                    "i.amount_fen - i.reduced_fen - i.paid_fen FROM dues_invoices i "
                    "JOIN members m ON m.id = i.member_id WHERE i.status IN ('unpaid', 'partial') "
                    "AND m.status IN ('active', 'lapsed') "
                    "AND i.issued_on <= :asof AND (i.last_reminded_on IS NULL OR "
                    "i.last_reminded_on <> :asof2) ORDER BY i.id",
       soci::use(as_of), soci::use(as_of));
  for (const soci::row& r : rows) {
    out.push_back({db::get_int64(r, 0), db::get_int64(r, 1), r.get<std::string>(2), as_int(r, 3),
                   r.get<std::string>(4), as_int(r, 5), db::get_int64(r, 6)});
  }
  return out;
}

std::vector<MatchCandidate> match_candidates(soci::session& s) {
  std::vector<MatchCandidate> out;
  std::map<long long, std::vector<std::size_t>> by_member;
  {
    soci::rowset<soci::row> rows =
        s.prepare << "SELECT i.id, i.member_id, m.name, m.short_name, m.member_no, i.year, "
                     "i.amount_fen - i.reduced_fen - i.paid_fen FROM dues_invoices i "
                     "JOIN members m ON m.id = i.member_id "
                     "WHERE i.status IN ('unpaid', 'partial') ORDER BY i.year, i.id";
    for (const soci::row& r : rows) {
      MatchCandidate c;
      c.invoice_id = db::get_int64(r, 0);
      c.member_id = db::get_int64(r, 1);
      c.member_name = r.get<std::string>(2);
      c.short_name = r.get<std::string>(3);
      c.member_no = r.get<std::string>(4);
      c.year = as_int(r, 5);
      c.outstanding_fen = db::get_int64(r, 6);
      by_member[c.member_id].push_back(out.size());
      out.push_back(std::move(c));
    }
  }
  soci::rowset<soci::row> names =
      s.prepare << "SELECT member_id, from_value FROM member_history WHERE kind = 'name'";
  for (const soci::row& r : names) {
    const auto it = by_member.find(db::get_int64(r, 0));
    if (it == by_member.end() || r.get_indicator(1) != soci::i_ok) continue;
    for (std::size_t k : it->second) out[k].former_names.push_back(r.get<std::string>(1));
  }
  return out;
}

void insert_notification(soci::session& s, long long member_id, const std::string& kind,
                         const std::string& message, const std::string& entity_type,
                         long long entity_id, Timestamp now) {
  notifications::notify(s, {member_id, std::nullopt, kind, message, entity_type, entity_id}, now);
}

void notify_active_units(soci::session& s, const std::string& kind, const std::string& message,
                         const std::string& entity_type, long long entity_id, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  s << "INSERT INTO notifications (member_id, kind, message, entity_type, entity_id, created_at) "
       "SELECT id, :k, :msg, :et, :e, :at FROM members WHERE status = 'active'",
      soci::use(kind), soci::use(message), soci::use(entity_type), soci::use(entity_id),
      soci::use(at);
}

bool claim_daily_run(soci::session& s, const std::string& day, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  soci::statement st =
      (s.prepare << std::string(is_mysql(s) ? "INSERT IGNORE" : "INSERT OR IGNORE") +
                        " INTO dues_daily_runs (run_on, started_at) VALUES (:d, :at)",
       soci::use(day), soci::use(at));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

}  // namespace xiehui::dues::dues_repository
