#include "services/privacy/retention_service.hpp"

#include <fmt/format.h>

#include "core/audit.hpp"
#include "services/notifications/reminder_repository.hpp"
#include "services/privacy/retention_repository.hpp"

namespace xiehui::privacy {
namespace {

namespace retained = retention_repository;

// The daily run acts as the system: no account, named so in the audit log and the run list.
Principal system_actor() {
  Principal p;
  p.username = "system";
  p.display_name = "系统（每日保存期限清理）";
  p.address = "scheduler";
  return p;
}

}  // namespace

Result<RetentionSettings> RetentionService::settings() {
  return db_.with_session(
      [](soci::session& s) -> Result<RetentionSettings> { return retained::settings(s); });
}

Result<RetentionSettings> RetentionService::save_settings(const Principal& who,
                                                          const RetentionPatch& patch) {
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<RetentionSettings> {
    const RetentionSettings r = patch.applied_to(retained::settings(s));
    if (auto errors = check_retention(r); !errors.empty()) {
      return std::unexpected(invalid_fields(std::move(errors)));
    }
    retained::save_settings(s, r, now);
    audit_as(s, who, "retention.settings", "settings", 0,
             fmt::format("trainees {}y, delegates {}y, attendees {}y, rejected {}y, messages {}d, "
                         "daily {}",
                         r.enrollment_years, r.visit_delegate_years, r.meeting_attendee_years,
                         r.rejected_application_years, r.outbox_days, r.daily ? "on" : "off"),
             now);
    return retained::settings(s);
  });
}

Result<RetentionRun> RetentionService::run_in(soci::session& s, const Principal& who, bool dry_run,
                                              Timestamp now) {
  RetentionRun run;
  run.dry_run = dry_run;
  run.ran_at = now;
  run.actor = who.username;
  for (auto& [item, before] : retention_cutoffs(retained::settings(s), now)) {
    item.records = retained::sweep(s, item.kind, before, dry_run);
    run.total += item.records;
    run.items.push_back(std::move(item));
  }
  run.id = retained::insert_run(s, run, actor_id(who));
  audit_as(s, who, "retention.run", "retention_run", run.id,
           fmt::format("{}: {} records", dry_run ? "dry run" : "run", run.total), now);
  return run;
}

Result<RetentionRun> RetentionService::run(const Principal& who, bool dry_run) {
  const Timestamp now = clock_.now();
  return db_.with_transaction(
      [&](soci::session& s) -> Result<RetentionRun> { return run_in(s, who, dry_run, now); });
}

Result<std::vector<RetentionRun>> RetentionService::runs() {
  return db_.with_session(
      [](soci::session& s) -> Result<std::vector<RetentionRun>> { return retained::runs(s, 50); });
}

Result<int> RetentionService::run_due() {
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<int> {
    if (!retention_due(retained::settings(s), now)) return 0;
    // The day's claim commits with the run: a process that dies mid-run leaves the day open.
    if (!notifications::reminder_repository::claim_run(s, "retention.daily",
                                                       format_date(shanghai_date(now)), now)) {
      return 0;
    }
    auto ran = run_in(s, system_actor(), false, now);
    if (!ran) return std::unexpected(ran.error());
    return static_cast<int>(ran->total);
  });
}

}  // namespace xiehui::privacy
