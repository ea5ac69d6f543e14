#pragma once
// The only SQL about dues: settings rows, schedules, reductions, invoices, payments and their
// receipt counters, idempotency keys, arrears, fees and 开票信息, reports.

#include <soci/soci.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "services/dues/dues.hpp"
#include "services/dues/dues_rules.hpp"

namespace xiehui::dues::dues_repository {

/// Settings rows whose name starts with `prefix`.
std::map<std::string, std::string> setting_rows(soci::session& s, const std::string& prefix);
void put_setting(soci::session& s, const std::string& name, const std::string& value,
                 Timestamp now);

/// The year's current schedule (the newest version), row-locked on MariaDB when `lock`.
std::optional<Schedule> current_schedule(soci::session& s, int year, bool lock);
/// Locks the year's current schedule row (MariaDB) with a locking read only: no plain read, so
/// the transaction's snapshot is not fixed yet.
void lock_schedule_year(soci::session& s, int year);
/// Superseded versions of the year's schedule, newest first.
std::vector<Schedule> schedule_history(soci::session& s, int year);
/// The current schedule of every year, newest year first.
std::vector<Schedule> list_schedules(soci::session& s);
long long insert_schedule(soci::session& s, const Schedule& sch, std::optional<long long> actor,
                          Timestamp now);
/// Removes an unpublished version (nothing was billed on it).
void delete_schedule(soci::session& s, long long id);
void supersede_schedule(soci::session& s, long long id, Timestamp now);
void publish_schedule(soci::session& s, long long id, Timestamp now);

/// Ids of every active unit.
std::vector<long long> active_member_ids(soci::session& s);

/// An active unit without an invoice for the year: what a bill run would bill.
struct BillableUnit {
  long long member_id = 0;
  std::string name;
  std::string tier;
  std::string joined_on;
};
std::vector<BillableUnit> billable_units(soci::session& s, int year);
long long count_invoices(soci::session& s, int year);
/// Inserts invoices in batches; the unique (member, year) index skips any a parallel run made.
/// Returns how many rows went in.
long long insert_invoices(soci::session& s, const std::vector<Invoice>& invoices, Timestamp now);

/// One notification per invoice of the year created at `now` (the bill run's).
void notify_new_invoices(soci::session& s, int year, Timestamp now);
/// The version number of a schedule row.
int schedule_version(soci::session& s, long long schedule_id);

/// Live reductions of a year, by unit.
std::map<long long, Reduction> live_reductions(soci::session& s, int year);
std::optional<Reduction> live_reduction(soci::session& s, long long member_id, int year);
std::optional<Reduction> find_reduction(soci::session& s, long long id);
std::vector<Reduction> list_reductions(soci::session& s, std::optional<int> year,
                                       std::optional<long long> member_id);
long long insert_reduction(soci::session& s, const Reduction& r, std::optional<long long> actor,
                           Timestamp now);
void revoke_reduction(soci::session& s, long long id, Timestamp now);

/// The invoice with its unit's name, row-locked on MariaDB when `lock`.
std::optional<Invoice> find_invoice(soci::session& s, long long id, bool lock);
std::optional<Invoice> find_invoice_for(soci::session& s, long long member_id, int year, bool lock);
struct InvoiceFilter {
  std::optional<int> year;
  std::optional<long long> member_id;
  std::string status;  ///< "" for any
  std::string q;       ///< part of the unit's name or its number
};
std::vector<Invoice> list_invoices(soci::session& s, const InvoiceFilter& f, int limit, int offset);
long long count_invoices(soci::session& s, const InvoiceFilter& f);
/// Writes the invoice's reduced and paid amounts and status.
void update_invoice_figures(soci::session& s, const Invoice& inv, Timestamp now);
/// Records reminder number `reminders_sent` sent on `on`, only if the invoice's count is still
/// the one before it: false when a parallel run recorded it first (that run notifies).
bool set_reminded(soci::session& s, long long invoice_id, int reminders_sent, const std::string& on,
                  Timestamp now);
/// What a unit still owes on all its invoices.
long long member_outstanding(soci::session& s, long long member_id);

/// Makes sure the year's receipt counter row exists (its own statement, before the payment's
/// transaction locks it).
void ensure_receipt_counter(soci::session& s, int year);
bool receipt_counter_exists(soci::session& s, int year);
/// Takes the next receipt number of the year: locks the counter row (MariaDB) or relies on the
/// write transaction (SQLite), so numbers are gapless and never repeat.
long long next_receipt_seq(soci::session& s, int year);
long long insert_payment(soci::session& s, const Payment& p, std::optional<long long> actor,
                         Timestamp now);
std::optional<Payment> find_payment(soci::session& s, long long id, bool lock);
std::optional<Payment> find_payment_by_receipt(soci::session& s, int year, long long seq);
std::optional<Payment> find_payment_by_code(soci::session& s, const std::string& code);
bool source_key_used(soci::session& s, const std::string& key);
std::vector<Payment> invoice_payments(soci::session& s, long long invoice_id);
struct PaymentFilter {
  std::optional<int> year;  ///< the invoice's year
  std::optional<long long> member_id;
};
std::vector<Payment> list_payments(soci::session& s, const PaymentFilter& f, int limit, int offset);
long long count_payments(soci::session& s, const PaymentFilter& f);
void reverse_payment(soci::session& s, long long id, const std::string& reason,
                     std::optional<long long> actor, Timestamp now);

/// An Idempotency-Key record.
struct IdempotencyRecord {
  long long id = 0;
  std::string request_hash;
  std::string state;  ///< in_flight, done
  int http_status = 0;
  std::string response_body;
  Timestamp updated_at;
};
std::optional<IdempotencyRecord> find_idempotency(soci::session& s, const std::string& scope,
                                                  const std::string& key);
long long insert_idempotency(soci::session& s, const std::string& scope, const std::string& key,
                             const std::string& hash, Timestamp now);
void complete_idempotency(soci::session& s, long long id, int http_status, const std::string& body,
                          Timestamp now);
/// Forgets a claim still in flight (never an answered one).
void delete_idempotency(soci::session& s, long long id);
/// Locks the claim inside the payment's transaction: false when it is no longer in flight (it
/// was taken over after 5 minutes) and the payment must not go ahead.
bool hold_idempotency(soci::session& s, long long id, Timestamp now);
/// Forgets records last touched before `before`.
void purge_idempotency(soci::session& s, Timestamp before);

/// Units with something outstanding on invoices issued on or before `as_of` (YYYY-MM-DD):
/// `as_of_year` decides which years count as past. Sorted by pinyin; `age` "" for any.
std::vector<Arrears> arrears(soci::session& s, const std::string& as_of, int as_of_year,
                             const std::string& age, int limit, int offset);
long long count_arrears(soci::session& s, const std::string& as_of, int as_of_year,
                        const std::string& age);
/// One unit's arrears as arrears() computes them; nullopt when it owes nothing.
std::optional<Arrears> member_arrears(soci::session& s, long long member_id,
                                      const std::string& as_of, int as_of_year);
/// Locks the unit's invoices (MariaDB; SQLite's write transaction already excludes others).
void lock_member_invoices(soci::session& s, long long member_id);
/// Units and outstanding fen per age bucket ("current", "1y", "2y", "3y+").
std::map<std::string, std::pair<long long, long long>> arrears_by_age(soci::session& s,
                                                                      const std::string& as_of,
                                                                      int as_of_year);

/// An open invoice (unpaid or partial) of an active or lapsed unit, issued on or before a day and
/// not reminded on that day, for the reminder run (suspended and departed units get none).
struct OpenInvoice {
  long long id = 0;
  long long member_id = 0;
  std::string member_name;
  int year = 0;
  std::string issued_on;
  int reminders_sent = 0;
  long long outstanding_fen = 0;
};
std::vector<OpenInvoice> open_invoices(soci::session& s, const std::string& as_of);
/// Open invoices with what identifies their units (names, former names, number), for matching
/// bank statement lines.
std::vector<MatchCandidate> match_candidates(soci::session& s);

void insert_notification(soci::session& s, long long member_id, const std::string& kind,
                         const std::string& message, const std::string& entity_type,
                         long long entity_id, Timestamp now);
/// One notification to every active unit.
void notify_active_units(soci::session& s, const std::string& kind, const std::string& message,
                         const std::string& entity_type, long long entity_id, Timestamp now);

/// The day's run of reminders and lapse: true when this call claimed `day` (nobody ran it yet).
bool claim_daily_run(soci::session& s, const std::string& day, Timestamp now);

/// A stored statement line, with the payment it became.
struct StoredLine {
  long long id = 0;
  StatementLine line;
  std::string line_key;
  std::optional<long long> payment_id;
};
long long insert_statement(soci::session& s, const std::string& file_name, int line_count,
                           std::optional<long long> actor, Timestamp now);
void insert_statement_line(soci::session& s, long long statement_id, const StatementLine& line,
                           const std::string& line_key);
bool statement_exists(soci::session& s, long long id);
std::vector<StoredLine> statement_lines(soci::session& s, long long statement_id);
void set_line_payment(soci::session& s, long long line_id, long long payment_id);

/// A fee of the ledger (training now, visits later), with the unit's 开票信息.
struct Fee {
  long long id = 0;
  std::string kind;  ///< training, visit
  std::optional<long long> member_id;
  std::string payer_name;
  std::string description;
  long long amount_fen = 0;
  std::string status;         ///< open, void
  std::string fapiao_status;  ///< none, requested, issued
  std::optional<std::string> fapiao_no;
  std::optional<std::string> fapiao_on;
  Timestamp created_at;
};
struct FeeFilter {
  std::string kind;    ///< "" for any
  std::string status;  ///< open, void, invoiced, "" for any
  std::optional<long long> member_id;
};
std::vector<Fee> list_fees(soci::session& s, const FeeFilter& f, int limit, int offset);
long long count_fees(soci::session& s, const FeeFilter& f);
std::optional<Fee> find_fee(soci::session& s, long long id, bool lock);
void set_fapiao(soci::session& s, long long id, const std::string& status,
                const std::optional<std::string>& no, const std::optional<std::string>& on,
                Timestamp now);

/// A unit's 开票信息.
struct Invoicing {
  std::string title;
  std::string tax_no;
  std::string address;
  std::string phone;
  std::string bank_name;
  std::string bank_account;
};
std::optional<Invoicing> find_invoicing(soci::session& s, long long member_id);
std::map<long long, Invoicing> invoicing_of(soci::session& s, const std::vector<long long>& ids);
void put_invoicing(soci::session& s, long long member_id, const Invoicing& inv, Timestamp now);

/// A year's dues income: billed less reductions, collected, and units paid in full (from the
/// reports' aggregates, schema 0014).
struct YearIncome {
  long long due_fen = 0;
  long long collected_fen = 0;
  long long units_paid = 0;
};
YearIncome year_income(soci::session& s, int year);

/// The yearly income and use statement: uses as "item\tamount_fen" lines.
struct UseStatement {
  int year = 0;
  std::vector<std::pair<std::string, long long>> uses;
  std::string note;
  std::optional<Timestamp> published_at;
};
std::optional<UseStatement> find_use_statement(soci::session& s, int year);
void put_use_statement(soci::session& s, const UseStatement& u, Timestamp now);
void publish_use_statement(soci::session& s, int year, Timestamp now);

}  // namespace xiehui::dues::dues_repository
