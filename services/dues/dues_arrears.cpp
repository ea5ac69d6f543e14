// DuesService: arrears with ageing, reminders, and the charter's lapse (daily and on demand).

#include "core/time.hpp"
#include "services/dues/dues_audit.hpp"
#include "services/dues/dues_rules.hpp"
#include "services/dues/dues_service.hpp"
#include "services/dues/dues_text.hpp"
#include "services/membership/membership_repository.hpp"

namespace xiehui::dues {
namespace {

namespace dr = dues_repository;
namespace mr = membership::membership_repository;

constexpr int kEveryone = 10'000'000;

Result<std::pair<std::string, int>> as_of_day(const std::optional<std::string>& as_of,
                                              Timestamp now) {
  Date d = shanghai_date(now);
  if (as_of && !as_of->empty()) {
    auto parsed = parse_date(*as_of);
    if (!parsed) {
      return std::unexpected(
          invalid_fields({{"as_of", {"日期格式应为 YYYY-MM-DD", "the date must be YYYY-MM-DD"}}}));
    }
    d = *parsed;
  }
  return std::pair<std::string, int>(format_date(d), static_cast<int>(d.year()));
}

std::vector<LapseItem> lapse_candidates(soci::session& s, const DuesSettings& settings,
                                        const std::string& today, int year) {
  std::vector<LapseItem> out;
  for (const Arrears& a : dr::arrears(s, today, year, "", kEveryone, 0)) {
    if (should_lapse(a.status, a.unpaid_years, a.reminders_sent, settings.lapse_years)) {
      out.push_back({a.member_id, a.member_name, a.unpaid_years, a.outstanding_fen});
    }
  }
  return out;
}

std::vector<ReminderItem> due_reminders(soci::session& s, const DuesSettings& settings,
                                        Date today) {
  std::vector<ReminderItem> out;
  const auto today_days = std::chrono::sys_days(today);
  for (const dr::OpenInvoice& inv : dr::open_invoices(s, format_date(today))) {
    const auto issued = parse_date(inv.issued_on);
    if (!issued) continue;
    const int days = static_cast<int>((today_days - std::chrono::sys_days(*issued)).count());
    if (auto stage = reminder_due(days, inv.reminders_sent, settings.reminder_days)) {
      out.push_back(
          {inv.member_id, inv.member_name, inv.id, inv.year, *stage + 1, inv.outstanding_fen});
    }
  }
  return out;
}

Principal daily_actor() {
  Principal p;
  p.username = "system";
  p.display_name = "每日会费任务";
  return p;
}

}  // namespace

Result<ArrearsPage> DuesService::arrears(std::optional<std::string> as_of, const std::string& age,
                                         int page, int page_size) {
  auto day = as_of_day(as_of, clock_.now());
  if (!day) return std::unexpected(day.error());
  if (!age.empty() && age != "current" && age != "1y" && age != "2y" && age != "3y+") {
    return std::unexpected(invalid_fields(
        {{"age", {"应为 current、1y、2y 或 3y+", "must be current, 1y, 2y or 3y+"}}}));
  }
  return db_.with_session([&](soci::session& s) -> Result<ArrearsPage> {
    ArrearsPage p;
    p.items = dr::arrears(s, day->first, day->second, age, page_size, (page - 1) * page_size);
    p.by_age = dr::arrears_by_age(s, day->first, day->second);
    for (const auto& [bucket, figures] : p.by_age) {
      p.total_units += figures.first;
      p.total_outstanding_fen += figures.second;
    }
    // Without an age filter the buckets already count the units: one aggregation fewer.
    p.total = age.empty() ? p.total_units : dr::count_arrears(s, day->first, day->second, age);
    return p;
  });
}

Result<Table> DuesService::arrears_table(std::optional<std::string> as_of, const std::string& age) {
  auto p = arrears(std::move(as_of), age, 1, kEveryone);
  if (!p) return std::unexpected(p.error());
  Table t{{"会员编号", "单位名称", "地区", "会员状态", "欠缴（元）", "最早欠缴年度", "欠缴账龄",
           "往年欠缴年数", "已催缴次数"},
          {}};
  for (const Arrears& a : p->items) {
    t.rows.push_back({a.member_no, a.member_name, a.city_code, membership::label_of(a.status),
                      format_yuan(a.outstanding_fen), std::to_string(a.oldest_year),
                      age_label(a.age), std::to_string(a.unpaid_years),
                      std::to_string(a.reminders_sent)});
  }
  return t;
}

Result<std::vector<LapseItem>> DuesService::lapse_run(bool dry_run, const Principal& actor) {
  const Timestamp now = clock_.now();
  const Date today = shanghai_date(now);
  const std::string day = format_date(today);
  const int year = static_cast<int>(today.year());
  if (dry_run) {
    return db_.with_session([&](soci::session& s) -> Result<std::vector<LapseItem>> {
      return lapse_candidates(s, load_settings(s), day, year);
    });
  }
  // Candidates are read outside any transaction; each unit is then decided in its own, which
  // locks the unit's invoices (the order payments take) and the unit before reading its arrears
  // again: a payment committed meanwhile is seen, never lapsed over.
  auto candidates = db_.with_session([&](soci::session& s) -> Result<std::vector<LapseItem>> {
    return lapse_candidates(s, load_settings(s), day, year);
  });
  if (!candidates) return candidates;
  std::vector<LapseItem> lapsed;
  for (const LapseItem& candidate : *candidates) {
    auto one = db_.with_transaction([&](soci::session& s) -> Result<std::optional<LapseItem>> {
      dr::lock_member_invoices(s, candidate.member_id);
      auto m = mr::find_member(s, candidate.member_id, true);
      if (!m || m->status != "active") return std::nullopt;  // changed since the list was read
      const DuesSettings settings = load_settings(s);
      auto now_owed = dr::member_arrears(s, m->id, day, year);
      if (!now_owed || !should_lapse(m->status, now_owed->unpaid_years, now_owed->reminders_sent,
                                     settings.lapse_years)) {
        return std::nullopt;
      }
      LapseItem item{m->id, m->org.name, now_owed->unpaid_years, now_owed->outstanding_fen};
      const std::string reason = "逾期未缴会费（" + std::to_string(item.unpaid_years) +
                                 " 个年度，欠缴 " + format_yuan(item.outstanding_fen) + " 元）";
      mr::set_member_status(s, m->id, "lapsed", now);
      mr::insert_status_change(s, m->id, {"active", "lapsed", reason, actor.username, now},
                               actor_id(actor));
      dr::insert_notification(s, m->id, "dues.lapsed",
                              "因" + reason + "，贵单位会籍已按章程自动中止；缴清欠费后可恢复",
                              "member", m->id, now);
      audit(s, actor, "dues.lapse", "member", m->id, m->org.name + ": " + reason, now);
      return item;
    });
    if (!one) return std::unexpected(one.error());
    if (*one) lapsed.push_back(std::move(**one));
  }
  return lapsed;
}

Result<std::vector<ReminderItem>> DuesService::reminder_run(bool dry_run, const Principal& actor) {
  const Timestamp now = clock_.now();
  const Date today = shanghai_date(now);
  if (dry_run) {
    return db_.with_session([&](soci::session& s) -> Result<std::vector<ReminderItem>> {
      return due_reminders(s, load_settings(s), today);
    });
  }
  return db_.with_transaction([&](soci::session& s) -> Result<std::vector<ReminderItem>> {
    std::vector<ReminderItem> items;
    for (const ReminderItem& r : due_reminders(s, load_settings(s), today)) {
      // A run going on at the same time may have sent this one already: it notified then.
      if (!dr::set_reminded(s, r.invoice_id, r.stage, format_date(today), now)) continue;
      items.push_back(r);
      dr::insert_notification(s, r.member_id, "dues.reminder",
                              "催缴通知（第 " + std::to_string(r.stage) + " 次）：贵单位 " +
                                  std::to_string(r.year) + " 年度会费尚欠 " +
                                  format_yuan(r.outstanding_fen) + " 元，请尽快缴纳",
                              "dues_invoice", r.invoice_id, now);
    }
    if (!items.empty()) {
      audit(s, actor, "dues.reminder_run", "dues_year", static_cast<int>(today.year()),
            std::to_string(items.size()) + " reminders", now);
    }
    return items;
  });
}

Result<bool> DuesService::daily_run() {
  const Timestamp now = clock_.now();
  auto claimed = db_.with_transaction([&](soci::session& s) -> Result<bool> {
    dr::purge_idempotency(s, now - std::chrono::hours(24));
    return dr::claim_daily_run(s, format_date(shanghai_date(now)), now);
  });
  if (!claimed || !*claimed) return claimed;
  // Reminders first: the lapse rule needs a reminder to have gone out.
  if (auto r = reminder_run(false, daily_actor()); !r) return std::unexpected(r.error());
  if (auto l = lapse_run(false, daily_actor()); !l) return std::unexpected(l.error());
  return true;
}

}  // namespace xiehui::dues
