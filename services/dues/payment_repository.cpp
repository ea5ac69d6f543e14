// The SQL of dues payments: receipt counters, payments, Idempotency-Key records and the bank
// statement lines that become payments.

#include "services/dues/dues_repository.hpp"

#include "core/db/sql.hpp"
#include "core/db/where.hpp"
#include "core/time.hpp"
#include "services/dues/dues_repository_rows.hpp"

namespace xiehui::dues::dues_repository {
namespace {

using namespace rows;  // NOLINT(google-build-using-namespace): the shared row readers

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

}  // namespace

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
  return rows::page(s, w,
                    std::string(kPaymentColumns) + w.sql() +
                        " ORDER BY p.receipt_year DESC, p.receipt_seq DESC LIMIT :lim OFFSET :off",
                    limit, offset, read_payment);
}

long long count_payments(soci::session& s, const PaymentFilter& f) {
  const db::Where w = payment_where(f);
  return rows::count(
      s, w,
      "SELECT COUNT(*) FROM dues_payments p JOIN dues_invoices i ON i.id = p.invoice_id" + w.sql());
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

}  // namespace xiehui::dues::dues_repository
