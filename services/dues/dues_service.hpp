#pragma once
// Dues: settings, schedules adopted by the assembly, reductions, the yearly bill run, invoices,
// arrears with reminders and the charter's lapse, and the year's figures. Payments and receipts
// are PaymentService's; the fee ledger and 开票信息 FeeService's.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/access.hpp"
#include "core/clock.hpp"
#include "core/db/database.hpp"
#include "core/error.hpp"
#include "core/table_export.hpp"
#include "services/dues/dues.hpp"
#include "services/dues/dues_repository.hpp"

namespace xiehui::dues {

/// A year's schedule as shown: the current version and the superseded ones, newest first.
struct ScheduleView {
  Schedule current;
  std::vector<Schedule> history;
};

/// A new schedule for a year: tiers, the date it takes effect and the decision that adopted it.
struct ScheduleInput {
  std::map<std::string, long long> tiers;
  std::string effective_on;
  Decision decision;
};

/// What a bill run created, or would create (dry run: `items` lists them).
struct BillRunReport {
  int year = 0;
  bool dry_run = false;
  long long created = 0;
  long long skipped = 0;  ///< units already billed for the year
  std::vector<Invoice> items;
};

/// Called now and then with the units handled and the units in all.
using Progress = std::function<void(long long done, long long total)>;

struct InvoicePage {
  std::vector<Invoice> items;
  long long total = 0;
};

/// An invoice with its payments and the version of the schedule it was billed on.
struct InvoiceDetail {
  Invoice invoice;
  int schedule_version = 1;
  std::vector<Payment> payments;
};

struct ArrearsPage {
  std::vector<Arrears> items;
  long long total = 0;
  long long total_outstanding_fen = 0;
  long long total_units = 0;
  std::map<std::string, std::pair<long long, long long>> by_age;  ///< age → {units, fen}
};

/// A unit the lapse run lapses (or would).
struct LapseItem {
  long long member_id = 0;
  std::string member_name;
  int unpaid_years = 0;
  long long outstanding_fen = 0;
};

/// A reminder the reminder run sends (or would).
struct ReminderItem {
  long long member_id = 0;
  std::string member_name;
  long long invoice_id = 0;
  int year = 0;
  int stage = 0;  ///< 1 for the first reminder
  long long outstanding_fen = 0;
};

/// The income and use statement members are shown, with its income figures.
struct UseStatementView {
  dues_repository::UseStatement statement;
  long long billed_fen = 0;
  long long collected_fen = 0;
  long long units_paid = 0;
};

class DuesService {
 public:
  DuesService(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  /// This year in Asia/Shanghai.
  int current_year() const;

  Result<DuesSettings> settings();
  Result<DuesSettings> update_settings(const DuesSettings& s, const Principal& actor);

  /// The year's schedule; a caller without dues.manage sees a published one only (else 404).
  Result<ScheduleView> schedule(int year, const Principal& who);
  Result<std::vector<Schedule>> schedules(const Principal& who);
  /// Sets the year's schedule. A decision below the charter's thresholds → invalid_argument
  /// naming "decision". A published schedule changes only by a new decision (another meeting
  /// or date; else conflict): the new version supersedes it.
  Result<ScheduleView> set_schedule(int year, const ScheduleInput& in, const Principal& actor);
  /// Copies `from_year`'s tiers and decision to `year` (not_found when it has none).
  Result<ScheduleView> copy_schedule(int year, int from_year, const Principal& actor);
  /// Publishes the current version: one notification per active unit; conflict when published.
  Result<ScheduleView> publish_schedule(int year, const Principal& actor);

  Result<Reduction> record_reduction(Reduction r, const Principal& actor);
  Status revoke_reduction(long long id, const Principal& actor);
  Result<std::vector<Reduction>> reductions(std::optional<int> year,
                                            std::optional<long long> member_id);
  Result<Table> reductions_table(std::optional<int> year, std::optional<long long> member_id);

  /// Bills every active unit without an invoice for `year`. Idempotent: runs at once create
  /// each invoice once. conflict when the year has no published schedule.
  Result<BillRunReport> bill_run(int year, bool dry_run, const Principal& actor,
                                 const Progress& progress = {});

  /// Invoices; a caller without reports.read or dues.manage sees its own unit's only.
  Result<InvoicePage> invoices(dues_repository::InvoiceFilter filter, int page, int page_size,
                               const Principal& who);
  Result<Table> invoices_table(dues_repository::InvoiceFilter filter, const Principal& who);
  /// One invoice with its payments: not_found for another unit's.
  Result<InvoiceDetail> invoice(long long id, const Principal& who);

  /// Arrears on invoices issued on or before `as_of` (default today), by unit.
  Result<ArrearsPage> arrears(std::optional<std::string> as_of, const std::string& age, int page,
                              int page_size);
  Result<Table> arrears_table(std::optional<std::string> as_of, const std::string& age);

  /// The charter's lapse: active units unpaid for `lapse_years` past years after a reminder.
  Result<std::vector<LapseItem>> lapse_run(bool dry_run, const Principal& actor);
  /// Reminders due today for open invoices (settings' reminder_days after issue): at most one
  /// per invoice a day, and one only however many runs go at once.
  Result<std::vector<ReminderItem>> reminder_run(bool dry_run, const Principal& actor);
  /// The day's reminders and lapse, once a day across all processes: false when another process
  /// already ran today's.
  Result<bool> daily_run();

  /// The year's statement: members see a published one only (else not_found).
  Result<UseStatementView> use_statement(int year, const Principal& who);
  Result<UseStatementView> put_use_statement(dues_repository::UseStatement u,
                                             const Principal& actor);
  Result<UseStatementView> publish_use_statement(int year, const Principal& actor);

 private:
  db::Database& db_;
  const Clock& clock_;
};

/// The settings stored in the database, defaults for what was never set.
DuesSettings load_settings(soci::session& s);

}  // namespace xiehui::dues
