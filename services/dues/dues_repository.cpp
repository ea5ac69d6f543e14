#include "services/dues/dues_repository.hpp"

#include <algorithm>

#include "core/db/sql.hpp"
#include "core/db/where.hpp"
#include "core/time.hpp"

namespace xiehui::dues::dues_repository {
namespace {

bool is_mysql(soci::session& s) { return s.get_backend_name() == "mysql"; }

Timestamp ts(const soci::row& r, std::size_t i) {
  return parse_db_timestamp(r.get<std::string>(i)).value_or(Timestamp{});
}

std::optional<Timestamp> nullable_ts(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) != soci::i_ok) return std::nullopt;
  return parse_db_timestamp(r.get<std::string>(i));
}

std::optional<std::string> nullable_text(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) != soci::i_ok) return std::nullopt;
  return r.get<std::string>(i);
}

int as_int(const soci::row& r, std::size_t i) { return static_cast<int>(db::get_int64(r, i)); }

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

// ---- payments ----

constexpr const char* kPaymentColumns =
    "SELECT p.id, p.invoice_id, p.member_id, m.name, m.uscc, i.year, p.amount_fen, p.paid_on, "
    "p.method, p.reference, p.receipt_year, p.receipt_seq, p.verify_code, p.status, "
    "p.source_key, p.reverse_reason, p.reversed_at, COALESCE(u.username, ''), p.created_at "
    "FROM dues_payments p JOIN members m ON m.id = p.member_id "
    "JOIN dues_invoices i ON i.id = p.invoice_id LEFT JOIN users u ON u.id = p.created_by ";

Payment read_payment(const soci::row& r) {
  Payment p;
  p.id = db::get_int64(r, 0);
  p.invoice_id = db::get_int64(r, 1);
  p.member_id = db::get_int64(r, 2);
  p.member_name = r.get<std::string>(3);
  p.uscc = r.get<std::string>(4);
  p.invoice_year = as_int(r, 5);
  p.amount_fen = db::get_int64(r, 6);
  p.paid_on = r.get<std::string>(7);
  p.method = r.get<std::string>(8);
  p.reference = r.get<std::string>(9);
  p.receipt_year = as_int(r, 10);
  p.receipt_seq = db::get_int64(r, 11);
  p.verify_code = r.get<std::string>(12);
  p.status = r.get<std::string>(13);
  p.source_key = nullable_text(r, 14);
  p.reverse_reason = nullable_text(r, 15);
  p.reversed_at = nullable_ts(r, 16);
  p.recorded_by = r.get<std::string>(17);
  p.created_at = ts(r, 18);
  return p;
}

std::optional<Payment> one_payment(soci::session& s, const std::string& where,
                                   const std::string& value, bool lock) {
  soci::row r;
  if (lock && is_mysql(s)) {
    long long id = 0;
    s << "SELECT p.id FROM dues_payments p " + where + " FOR UPDATE", soci::use(value),
        soci::into(id);
    if (!s.got_data()) return std::nullopt;
  }
  s << std::string(kPaymentColumns) + where, soci::use(value), soci::into(r);
  if (!s.got_data()) return std::nullopt;
  return read_payment(r);
}

db::Where payment_where(const PaymentFilter& f) {
  db::Where w;
  if (f.year) w.add("i.year", " = ", std::to_string(*f.year));
  if (f.member_id) w.add("p.member_id", " = ", std::to_string(*f.member_id));
  return w;
}

// ---- reductions ----

constexpr const char* kReductionColumns =
    "SELECT r.id, r.member_id, m.name, r.year, r.amount_fen, r.percent, r.reason, r.approved_by, "
    "r.created_at, r.revoked_at FROM dues_reductions r JOIN members m ON m.id = r.member_id ";

Reduction read_reduction(const soci::row& r) {
  Reduction red;
  red.id = db::get_int64(r, 0);
  red.member_id = db::get_int64(r, 1);
  red.member_name = r.get<std::string>(2);
  red.year = as_int(r, 3);
  if (r.get_indicator(4) == soci::i_ok) red.amount_fen = db::get_int64(r, 4);
  if (r.get_indicator(5) == soci::i_ok) red.percent = as_int(r, 5);
  red.reason = r.get<std::string>(6);
  red.approved_by = r.get<std::string>(7);
  red.created_at = ts(r, 8);
  red.revoked_at = nullable_ts(r, 9);
  return red;
}

std::vector<Reduction> read_reductions(soci::statement& st, soci::row& row) {
  std::vector<Reduction> out;
  st.execute(false);
  while (st.fetch()) out.push_back(read_reduction(row));
  return out;
}

// ---- arrears ----

// Per unit: outstanding, oldest open year, open years before `as_of_year`, reminders. The age
// of the oldest open year buckets the unit; the bucket is computed in SQL so it can filter.
std::string arrears_sql(const std::string& age_filter) {
  std::string sql =
      "SELECT a.member_id, m.name, m.member_no, m.city_code, m.status, a.owed, a.oldest, "
      "a.past_years, a.reminders, m.sort_key FROM (SELECT member_id, "
      "SUM(amount_fen - reduced_fen - paid_fen) AS owed, MIN(year) AS oldest, "
      "SUM(CASE WHEN year < :y1 THEN 1 ELSE 0 END) AS past_years, MAX(reminders_sent) AS reminders "
      "FROM dues_invoices WHERE status IN ('unpaid', 'partial') AND issued_on <= :asof "
      "GROUP BY member_id) a JOIN members m ON m.id = a.member_id";
  if (age_filter == "current") sql += " WHERE a.oldest >= :y2";
  if (age_filter == "1y") sql += " WHERE a.oldest = :y2 - 1";
  if (age_filter == "2y") sql += " WHERE a.oldest = :y2 - 2";
  if (age_filter == "3y+") sql += " WHERE a.oldest <= :y2 - 3";
  return sql;
}

bool known_age(const std::string& age) {
  return age == "current" || age == "1y" || age == "2y" || age == "3y+";
}

// ---- fees ----

constexpr const char* kFeeColumns =
    "SELECT c.id, c.source, c.member_id, c.payer_name, "
    "COALESCE(co.title, '') || ' ' || COALESCE(cl.title, '') || ' ' || "
    "COALESCE(e.attendee_name, ''), c.amount_fen, c.status, c.fapiao_status, c.fapiao_no, "
    "c.fapiao_on, c.created_at FROM charges c "
    "LEFT JOIN enrollments e ON c.source = 'training' AND e.id = c.source_id "
    "LEFT JOIN classes cl ON cl.id = e.class_id LEFT JOIN courses co ON co.id = cl.course_id ";

std::string fee_columns(soci::session& s) {
  std::string sql = kFeeColumns;
  if (is_mysql(s)) {
    // MariaDB's || is OR unless PIPES_AS_CONCAT.
    const std::string from =
        "COALESCE(co.title, '') || ' ' || COALESCE(cl.title, '') || ' ' || "
        "COALESCE(e.attendee_name, '')";
    sql.replace(sql.find(from), from.size(),
                "CONCAT(COALESCE(co.title, ''), ' ', COALESCE(cl.title, ''), ' ', "
                "COALESCE(e.attendee_name, ''))");
  }
  return sql;
}

Fee read_fee(const soci::row& r) {
  Fee f;
  f.id = db::get_int64(r, 0);
  f.kind = r.get<std::string>(1);
  if (r.get_indicator(2) == soci::i_ok) f.member_id = db::get_int64(r, 2);
  f.payer_name = r.get<std::string>(3);
  f.description = r.get<std::string>(4);
  f.amount_fen = db::get_int64(r, 5);
  f.status = r.get<std::string>(6);
  f.fapiao_status = r.get<std::string>(7);
  f.fapiao_no = nullable_text(r, 8);
  f.fapiao_on = nullable_text(r, 9);
  f.created_at = ts(r, 10);
  return f;
}

db::Where fee_where(const FeeFilter& f) {
  db::Where w;
  w.add("c.source", " = ", f.kind);
  if (f.status == "invoiced") {
    w.add("c.fapiao_status", " = ", "issued");
  } else {
    w.add("c.status", " = ", f.status);
  }
  if (f.member_id) w.add("c.member_id", " = ", std::to_string(*f.member_id));
  return w;
}

}  // namespace

// ---------------------------------------------------------------------------------------------

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

std::map<long long, Reduction> live_reductions(soci::session& s, int year) {
  std::map<long long, Reduction> out;
  soci::rowset<soci::row> rows =
      (s.prepare << std::string(kReductionColumns) + "WHERE r.year = :y AND r.revoked_at IS NULL",
       soci::use(year));
  for (const soci::row& r : rows) {
    Reduction red = read_reduction(r);
    out.emplace(red.member_id, std::move(red));
  }
  return out;
}

std::optional<Reduction> live_reduction(soci::session& s, long long member_id, int year) {
  soci::row r;
  s << std::string(kReductionColumns) +
           "WHERE r.member_id = :m AND r.year = :y AND r.revoked_at IS NULL",
      soci::use(member_id), soci::use(year), soci::into(r);
  if (!s.got_data()) return std::nullopt;
  return read_reduction(r);
}

std::optional<Reduction> find_reduction(soci::session& s, long long id) {
  soci::row r;
  s << std::string(kReductionColumns) + "WHERE r.id = :id", soci::use(id), soci::into(r);
  if (!s.got_data()) return std::nullopt;
  return read_reduction(r);
}

std::vector<Reduction> list_reductions(soci::session& s, std::optional<int> year,
                                       std::optional<long long> member_id) {
  db::Where w;
  if (year) w.add("r.year", " = ", std::to_string(*year));
  if (member_id) w.add("r.member_id", " = ", std::to_string(*member_id));
  soci::row row;
  soci::statement st(s);
  st.exchange(soci::into(row));
  w.bind(st);
  db::prepare(st, std::string(kReductionColumns) + w.sql() +
                      " ORDER BY r.year DESC, m.sort_key, r.id DESC");
  return read_reductions(st, row);
}

long long insert_reduction(soci::session& s, const Reduction& r, std::optional<long long> actor,
                           Timestamp now) {
  const std::string at = format_db_timestamp(now);
  long long amount = r.amount_fen.value_or(0);
  soci::indicator amount_ind = r.amount_fen ? soci::i_ok : soci::i_null;
  int percent = r.percent.value_or(0);
  soci::indicator percent_ind = r.percent ? soci::i_ok : soci::i_null;
  long long who = actor.value_or(0);
  soci::indicator who_ind = actor ? soci::i_ok : soci::i_null;
  s << "INSERT INTO dues_reductions (member_id, year, amount_fen, percent, reason, approved_by, "
       "created_by, created_at) VALUES (:m, :y, :a, :p, :r, :ap, :by, :at)",
      soci::use(r.member_id), soci::use(r.year), soci::use(amount, amount_ind),
      soci::use(percent, percent_ind), soci::use(r.reason), soci::use(r.approved_by),
      soci::use(who, who_ind), soci::use(at);
  return db::scalar(
      s, "SELECT MAX(id) FROM dues_reductions WHERE member_id = " + std::to_string(r.member_id));
}

void revoke_reduction(soci::session& s, long long id, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  s << "UPDATE dues_reductions SET revoked_at = :at WHERE id = :id", soci::use(at), soci::use(id);
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
  soci::row row;
  soci::statement st(s);
  st.exchange(soci::into(row));
  w.bind(st);
  st.exchange(soci::use(limit));
  st.exchange(soci::use(offset));
  db::prepare(st, std::string(kInvoiceColumns) + w.sql() +
                      " ORDER BY i.year DESC, m.sort_key, i.id LIMIT :lim OFFSET :off");
  st.execute(false);
  std::vector<Invoice> out;
  while (st.fetch()) out.push_back(read_invoice(row));
  return out;
}

long long count_invoices(soci::session& s, const InvoiceFilter& f) {
  const db::Where w = invoice_where(f);
  long long n = 0;
  soci::statement st(s);
  st.exchange(soci::into(n));
  w.bind(st);
  db::prepare(
      st, "SELECT COUNT(*) FROM dues_invoices i JOIN members m ON m.id = i.member_id" + w.sql());
  st.execute(true);
  return n;
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

void ensure_receipt_counter(soci::session& s, int year) {
  if (is_mysql(s)) {
    s << "INSERT IGNORE INTO dues_receipt_counters (year, last_seq) VALUES (:y, 0)",
        soci::use(year);
  } else {
    s << "INSERT OR IGNORE INTO dues_receipt_counters (year, last_seq) VALUES (:y, 0)",
        soci::use(year);
  }
}

bool receipt_counter_exists(soci::session& s, int year) {
  return db::scalar(s, "SELECT COUNT(*) FROM dues_receipt_counters WHERE year = " +
                           std::to_string(year)) > 0;
}

long long next_receipt_seq(soci::session& s, int year) {
  long long last = 0;
  s << std::string("SELECT last_seq FROM dues_receipt_counters WHERE year = :y") +
           db::for_update(s),
      soci::use(year), soci::into(last);
  if (!s.got_data()) throw soci::soci_error("no receipt counter for the year");
  const long long next = last + 1;
  s << "UPDATE dues_receipt_counters SET last_seq = :n WHERE year = :y", soci::use(next),
      soci::use(year);
  return next;
}

long long insert_payment(soci::session& s, const Payment& p, std::optional<long long> actor,
                         Timestamp now) {
  const std::string at = format_db_timestamp(now);
  long long who = actor.value_or(0);
  soci::indicator who_ind = actor ? soci::i_ok : soci::i_null;
  std::string key = p.source_key.value_or("");
  soci::indicator key_ind = p.source_key ? soci::i_ok : soci::i_null;
  s << "INSERT INTO dues_payments (invoice_id, member_id, amount_fen, paid_on, method, reference, "
       "receipt_year, receipt_seq, verify_code, status, source_key, created_by, created_at) "
       "VALUES (:i, :m, :a, :d, :me, :r, :ry, :rs, :vc, 'valid', :sk, :by, :at)",
      soci::use(p.invoice_id), soci::use(p.member_id), soci::use(p.amount_fen),
      soci::use(p.paid_on), soci::use(p.method), soci::use(p.reference), soci::use(p.receipt_year),
      soci::use(p.receipt_seq), soci::use(p.verify_code), soci::use(key, key_ind),
      soci::use(who, who_ind), soci::use(at);
  long long id = 0;
  s << "SELECT id FROM dues_payments WHERE receipt_year = :y AND receipt_seq = :s",
      soci::use(p.receipt_year), soci::use(p.receipt_seq), soci::into(id);
  return id;
}

std::optional<Payment> find_payment(soci::session& s, long long id, bool lock) {
  return one_payment(s, "WHERE p.id = :id", std::to_string(id), lock);
}

std::optional<Payment> find_payment_by_receipt(soci::session& s, int year, long long seq) {
  soci::row r;
  s << std::string(kPaymentColumns) + "WHERE p.receipt_year = :y AND p.receipt_seq = :s",
      soci::use(year), soci::use(seq), soci::into(r);
  if (!s.got_data()) return std::nullopt;
  return read_payment(r);
}

std::optional<Payment> find_payment_by_code(soci::session& s, const std::string& code) {
  return one_payment(s, "WHERE p.verify_code = :c", code, false);
}

bool source_key_used(soci::session& s, const std::string& key) {
  int n = 0;
  s << "SELECT COUNT(*) FROM dues_payments WHERE source_key = :k", soci::use(key), soci::into(n);
  return n > 0;
}

std::vector<Payment> invoice_payments(soci::session& s, long long invoice_id) {
  std::vector<Payment> out;
  soci::rowset<soci::row> rows =
      (s.prepare << std::string(kPaymentColumns) + "WHERE p.invoice_id = :i ORDER BY p.id",
       soci::use(invoice_id));
  for (const soci::row& r : rows) out.push_back(read_payment(r));
  return out;
}

std::vector<Payment> list_payments(soci::session& s, const PaymentFilter& f, int limit,
                                   int offset) {
  const db::Where w = payment_where(f);
  soci::row row;
  soci::statement st(s);
  st.exchange(soci::into(row));
  w.bind(st);
  st.exchange(soci::use(limit));
  st.exchange(soci::use(offset));
  db::prepare(st, std::string(kPaymentColumns) + w.sql() +
                      " ORDER BY p.receipt_year DESC, p.receipt_seq DESC LIMIT :lim OFFSET :off");
  st.execute(false);
  std::vector<Payment> out;
  while (st.fetch()) out.push_back(read_payment(row));
  return out;
}

long long count_payments(soci::session& s, const PaymentFilter& f) {
  const db::Where w = payment_where(f);
  long long n = 0;
  soci::statement st(s);
  st.exchange(soci::into(n));
  w.bind(st);
  db::prepare(
      st,
      "SELECT COUNT(*) FROM dues_payments p JOIN dues_invoices i ON i.id = p.invoice_id" + w.sql());
  st.execute(true);
  return n;
}

void reverse_payment(soci::session& s, long long id, const std::string& reason,
                     std::optional<long long> actor, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  long long who = actor.value_or(0);
  soci::indicator who_ind = actor ? soci::i_ok : soci::i_null;
  // The statement line a reversed payment came from may be confirmed again (against the right
  // invoice): its key is freed.
  s << "UPDATE dues_payments SET status = 'void', source_key = NULL, reverse_reason = :r, "
       "reversed_at = :at, reversed_by = :by WHERE id = :id",
      soci::use(reason), soci::use(at), soci::use(who, who_ind), soci::use(id);
}

std::optional<IdempotencyRecord> find_idempotency(soci::session& s, const std::string& scope,
                                                  const std::string& key) {
  soci::row r;
  s << "SELECT id, request_hash, state, http_status, response_body, updated_at "
       "FROM idempotency_keys WHERE scope = :s AND idem_key = :k",
      soci::use(scope), soci::use(key), soci::into(r);
  if (!s.got_data()) return std::nullopt;
  IdempotencyRecord rec;
  rec.id = db::get_int64(r, 0);
  rec.request_hash = r.get<std::string>(1);
  rec.state = r.get<std::string>(2);
  rec.http_status = static_cast<int>(db::get_int64(r, 3));
  rec.response_body = nullable_text(r, 4).value_or("");
  rec.updated_at = ts(r, 5);
  return rec;
}

long long insert_idempotency(soci::session& s, const std::string& scope, const std::string& key,
                             const std::string& hash, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  s << "INSERT INTO idempotency_keys (scope, idem_key, request_hash, state, created_at, "
       "updated_at) VALUES (:s, :k, :h, 'in_flight', :at, :at2)",
      soci::use(scope), soci::use(key), soci::use(hash), soci::use(at), soci::use(at);
  long long id = 0;
  s << "SELECT id FROM idempotency_keys WHERE scope = :s AND idem_key = :k", soci::use(scope),
      soci::use(key), soci::into(id);
  return id;
}

void complete_idempotency(soci::session& s, long long id, int http_status, const std::string& body,
                          Timestamp now) {
  const std::string at = format_db_timestamp(now);
  s << "UPDATE idempotency_keys SET state = 'done', http_status = :st, response_body = :b, "
       "updated_at = :at WHERE id = :id",
      soci::use(http_status), soci::use(body), soci::use(at), soci::use(id);
}

void delete_idempotency(soci::session& s, long long id) {
  s << "DELETE FROM idempotency_keys WHERE id = :id AND state = 'in_flight'", soci::use(id);
}

bool hold_idempotency(soci::session& s, long long id, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  soci::statement st = (s.prepare << "UPDATE idempotency_keys SET updated_at = :at WHERE id = :id "
                                     "AND state = 'in_flight'",
                        soci::use(at), soci::use(id));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

void purge_idempotency(soci::session& s, Timestamp before) {
  const std::string at = format_db_timestamp(before);
  s << "DELETE FROM idempotency_keys WHERE updated_at < :at", soci::use(at);
}

std::vector<Arrears> arrears(soci::session& s, const std::string& as_of, int as_of_year,
                             const std::string& age, int limit, int offset) {
  const bool filtered = known_age(age);
  soci::row row;
  soci::statement st(s);
  st.exchange(soci::into(row));
  st.exchange(soci::use(as_of_year));
  st.exchange(soci::use(as_of));
  if (filtered) st.exchange(soci::use(as_of_year));
  st.exchange(soci::use(limit));
  st.exchange(soci::use(offset));
  db::prepare(
      st, arrears_sql(filtered ? age : "") + " ORDER BY m.sort_key, m.id LIMIT :lim OFFSET :off");
  st.execute(false);
  std::vector<Arrears> out;
  while (st.fetch()) {
    Arrears a;
    a.member_id = db::get_int64(row, 0);
    a.member_name = row.get<std::string>(1);
    a.member_no = row.get<std::string>(2);
    a.city_code = row.get<std::string>(3);
    a.status = row.get<std::string>(4);
    a.outstanding_fen = db::get_int64(row, 5);
    a.oldest_year = as_int(row, 6);
    a.unpaid_years = as_int(row, 7);
    a.reminders_sent = as_int(row, 8);
    a.age = age_bucket(a.oldest_year, as_of_year);
    out.push_back(std::move(a));
  }
  return out;
}

long long count_arrears(soci::session& s, const std::string& as_of, int as_of_year,
                        const std::string& age) {
  const bool filtered = known_age(age);
  long long n = 0;
  soci::statement st(s);
  st.exchange(soci::into(n));
  st.exchange(soci::use(as_of_year));
  st.exchange(soci::use(as_of));
  if (filtered) st.exchange(soci::use(as_of_year));
  db::prepare(st, "SELECT COUNT(*) FROM (" + arrears_sql(filtered ? age : "") + ") c");
  st.execute(true);
  return n;
}

std::optional<Arrears> member_arrears(soci::session& s, long long member_id,
                                      const std::string& as_of, int as_of_year) {
  soci::row r;
  s << "SELECT SUM(amount_fen - reduced_fen - paid_fen), MIN(year), "
       "SUM(CASE WHEN year < :y THEN 1 ELSE 0 END), MAX(reminders_sent), COUNT(*) "
       "FROM dues_invoices WHERE member_id = :m AND status IN ('unpaid', 'partial') "
       "AND issued_on <= :asof",
      soci::use(as_of_year), soci::use(member_id), soci::use(as_of), soci::into(r);
  if (!s.got_data() || db::get_int64(r, 4) == 0) return std::nullopt;
  Arrears a;
  a.member_id = member_id;
  a.outstanding_fen = db::get_int64(r, 0);
  a.oldest_year = as_int(r, 1);
  a.unpaid_years = as_int(r, 2);
  a.reminders_sent = as_int(r, 3);
  a.age = age_bucket(a.oldest_year, as_of_year);
  return a;
}

void lock_member_invoices(soci::session& s, long long member_id) {
  if (!is_mysql(s)) return;
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT id FROM dues_invoices WHERE member_id = :m ORDER BY id FOR UPDATE",
       soci::use(member_id));
  std::size_t locked = 0;
  for (auto it = rows.begin(); it != rows.end(); ++it) ++locked;  // reading the rows locks them
}

std::map<std::string, std::pair<long long, long long>> arrears_by_age(soci::session& s,
                                                                      const std::string& as_of,
                                                                      int as_of_year) {
  std::map<std::string, std::pair<long long, long long>> out{
      {"current", {0, 0}}, {"1y", {0, 0}}, {"2y", {0, 0}}, {"3y+", {0, 0}}};
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT oldest, COUNT(*), SUM(owed) FROM (SELECT member_id, MIN(year) AS "
                    "oldest, SUM(amount_fen - reduced_fen - paid_fen) AS owed FROM dues_invoices "
                    "WHERE status IN ('unpaid', 'partial') AND issued_on <= :asof "
                    "GROUP BY member_id) a GROUP BY oldest",
       soci::use(as_of));
  for (const soci::row& r : rows) {
    auto& bucket = out[age_bucket(as_int(r, 0), as_of_year)];
    bucket.first += db::get_int64(r, 1);
    bucket.second += db::get_int64(r, 2);
  }
  return out;
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
  const std::string at = format_db_timestamp(now);
  s << "INSERT INTO notifications (member_id, kind, message, entity_type, entity_id, created_at) "
       "VALUES (:m, :k, :msg, :et, :e, :at)",
      soci::use(member_id), soci::use(kind), soci::use(message), soci::use(entity_type),
      soci::use(entity_id), soci::use(at);
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

long long insert_statement(soci::session& s, const std::string& file_name, int line_count,
                           std::optional<long long> actor, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  long long who = actor.value_or(0);
  soci::indicator who_ind = actor ? soci::i_ok : soci::i_null;
  s << "INSERT INTO dues_statements (file_name, line_count, uploaded_by, uploaded_at) "
       "VALUES (:f, :n, :by, :at)",
      soci::use(file_name), soci::use(line_count), soci::use(who, who_ind), soci::use(at);
  return db::scalar(s, "SELECT MAX(id) FROM dues_statements");
}

void insert_statement_line(soci::session& s, long long statement_id, const StatementLine& line,
                           const std::string& line_key) {
  s << "INSERT INTO dues_statement_lines (statement_id, line_no, paid_on, payer, amount_fen, "
       "reference, line_key) VALUES (:s, :l, :d, :p, :a, :r, :k)",
      soci::use(statement_id), soci::use(line.line), soci::use(line.date), soci::use(line.payer),
      soci::use(line.amount_fen), soci::use(line.reference), soci::use(line_key);
}

bool statement_exists(soci::session& s, long long id) {
  return db::scalar(s, "SELECT COUNT(*) FROM dues_statements WHERE id = " + std::to_string(id)) > 0;
}

std::vector<StoredLine> statement_lines(soci::session& s, long long statement_id) {
  std::vector<StoredLine> out;
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT id, line_no, paid_on, payer, amount_fen, reference, line_key, "
                    "payment_id FROM dues_statement_lines WHERE statement_id = :s ORDER BY line_no",
       soci::use(statement_id));
  for (const soci::row& r : rows) {
    StoredLine l;
    l.id = db::get_int64(r, 0);
    l.line.line = as_int(r, 1);
    l.line.date = r.get<std::string>(2);
    l.line.payer = r.get<std::string>(3);
    l.line.amount_fen = db::get_int64(r, 4);
    l.line.reference = r.get<std::string>(5);
    l.line_key = r.get<std::string>(6);
    if (r.get_indicator(7) == soci::i_ok) l.payment_id = db::get_int64(r, 7);
    out.push_back(std::move(l));
  }
  return out;
}

void set_line_payment(soci::session& s, long long line_id, long long payment_id) {
  s << "UPDATE dues_statement_lines SET payment_id = :p WHERE id = :id", soci::use(payment_id),
      soci::use(line_id);
}

std::vector<Fee> list_fees(soci::session& s, const FeeFilter& f, int limit, int offset) {
  const db::Where w = fee_where(f);
  soci::row row;
  soci::statement st(s);
  st.exchange(soci::into(row));
  w.bind(st);
  st.exchange(soci::use(limit));
  st.exchange(soci::use(offset));
  db::prepare(st, fee_columns(s) + w.sql() +
                      " ORDER BY c.created_at DESC, c.id DESC "
                      "LIMIT :lim OFFSET :off");
  st.execute(false);
  std::vector<Fee> out;
  while (st.fetch()) out.push_back(read_fee(row));
  return out;
}

long long count_fees(soci::session& s, const FeeFilter& f) {
  const db::Where w = fee_where(f);
  long long n = 0;
  soci::statement st(s);
  st.exchange(soci::into(n));
  w.bind(st);
  db::prepare(st, "SELECT COUNT(*) FROM charges c" + w.sql());
  st.execute(true);
  return n;
}

std::optional<Fee> find_fee(soci::session& s, long long id, bool lock) {
  soci::row r;
  if (lock && is_mysql(s)) {
    long long locked = 0;
    s << "SELECT id FROM charges WHERE id = :id FOR UPDATE", soci::use(id), soci::into(locked);
    if (!s.got_data()) return std::nullopt;
  }
  s << fee_columns(s) + "WHERE c.id = :id", soci::use(id), soci::into(r);
  if (!s.got_data()) return std::nullopt;
  return read_fee(r);
}

void set_fapiao(soci::session& s, long long id, const std::string& status,
                const std::optional<std::string>& no, const std::optional<std::string>& on,
                Timestamp now) {
  const std::string at = format_db_timestamp(now);
  std::string no_v = no.value_or(""), on_v = on.value_or("");
  soci::indicator no_ind = no ? soci::i_ok : soci::i_null;
  soci::indicator on_ind = on ? soci::i_ok : soci::i_null;
  s << "UPDATE charges SET fapiao_status = :s, fapiao_no = :n, fapiao_on = :o, updated_at = :at "
       "WHERE id = :id",
      soci::use(status), soci::use(no_v, no_ind), soci::use(on_v, on_ind), soci::use(at),
      soci::use(id);
}

std::optional<Invoicing> find_invoicing(soci::session& s, long long member_id) {
  soci::row r;
  s << "SELECT title, tax_no, address, phone, bank_name, bank_account FROM member_invoicing "
       "WHERE member_id = :m",
      soci::use(member_id), soci::into(r);
  if (!s.got_data()) return std::nullopt;
  return Invoicing{r.get<std::string>(0), r.get<std::string>(1), r.get<std::string>(2),
                   r.get<std::string>(3), r.get<std::string>(4), r.get<std::string>(5)};
}

std::map<long long, Invoicing> invoicing_of(soci::session& s, const std::vector<long long>& ids) {
  std::map<long long, Invoicing> out;
  for (long long id : ids) {
    if (out.contains(id)) continue;
    if (auto inv = find_invoicing(s, id)) out.emplace(id, std::move(*inv));
  }
  return out;
}

void put_invoicing(soci::session& s, long long member_id, const Invoicing& inv, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  s << "DELETE FROM member_invoicing WHERE member_id = :m", soci::use(member_id);
  s << "INSERT INTO member_invoicing (member_id, title, tax_no, address, phone, bank_name, "
       "bank_account, updated_at) VALUES (:m, :t, :x, :a, :p, :b, :ba, :at)",
      soci::use(member_id), soci::use(inv.title), soci::use(inv.tax_no), soci::use(inv.address),
      soci::use(inv.phone), soci::use(inv.bank_name), soci::use(inv.bank_account), soci::use(at);
}

std::vector<Figures> year_figures(soci::session& s, int year, const std::string& by) {
  const std::string key = by == "tier" ? "i.tier" : by == "city" ? "m.city_code" : "";
  const std::string grouping = key.empty() ? "" : " GROUP BY " + key + " ORDER BY " + key;
  std::vector<Figures> out;
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT " + (key.empty() ? std::string("''") : key) +
                        ", COUNT(*), SUM(i.amount_fen), SUM(i.reduced_fen), SUM(i.paid_fen), "
                        "SUM(CASE WHEN i.status IN ('unpaid', 'partial') THEN i.amount_fen - "
                        "i.reduced_fen - i.paid_fen ELSE 0 END) FROM dues_invoices i "
                        "JOIN members m ON m.id = i.member_id WHERE i.year = :y AND i.status <> "
                        "'void'" +
                        grouping,
       soci::use(year));
  for (const soci::row& r : rows) {
    out.push_back({r.get<std::string>(0), db::get_int64(r, 1), db::get_int64(r, 2),
                   db::get_int64(r, 3), db::get_int64(r, 4), db::get_int64(r, 5)});
  }
  return out;
}

long long units_paid(soci::session& s, int year) {
  return db::scalar(s, "SELECT COUNT(*) FROM dues_invoices WHERE status = 'paid' AND year = " +
                           std::to_string(year));
}

std::optional<UseStatement> find_use_statement(soci::session& s, int year) {
  soci::row r;
  s << "SELECT year, uses, note, published_at FROM dues_use_statements WHERE year = :y",
      soci::use(year), soci::into(r);
  if (!s.got_data()) return std::nullopt;
  UseStatement u;
  u.year = as_int(r, 0);
  const std::string uses = r.get<std::string>(1);
  std::size_t start = 0;
  while (start < uses.size()) {
    const std::size_t end = std::min(uses.find('\n', start), uses.size());
    const std::string line = uses.substr(start, end - start);
    const std::size_t tab = line.rfind('\t');
    if (tab != std::string::npos) {
      u.uses.emplace_back(line.substr(0, tab), std::stoll(line.substr(tab + 1)));
    }
    start = end + 1;
  }
  u.note = r.get<std::string>(2);
  u.published_at = nullable_ts(r, 3);
  return u;
}

void put_use_statement(soci::session& s, const UseStatement& u, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  std::string uses;
  for (const auto& [item, fen] : u.uses) uses += item + '\t' + std::to_string(fen) + '\n';
  int updated = 0;
  {
    soci::statement st = (s.prepare << "UPDATE dues_use_statements SET uses = :u, note = :n, "
                                       "updated_at = :at WHERE year = :y",
                          soci::use(uses), soci::use(u.note), soci::use(at), soci::use(u.year));
    st.execute(true);
    updated = static_cast<int>(st.get_affected_rows());
  }
  if (updated == 0) {
    s << "INSERT INTO dues_use_statements (year, uses, note, updated_at) VALUES (:y, :u, :n, :at)",
        soci::use(u.year), soci::use(uses), soci::use(u.note), soci::use(at);
  }
}

void publish_use_statement(soci::session& s, int year, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  s << "UPDATE dues_use_statements SET published_at = :at WHERE year = :y", soci::use(at),
      soci::use(year);
}

}  // namespace xiehui::dues::dues_repository
