// DuesService: the yearly bill run, invoices, and the year's figures.

#include "core/time.hpp"
#include "services/dues/dues_audit.hpp"
#include "services/dues/dues_rules.hpp"
#include "services/dues/dues_service.hpp"
#include "services/dues/dues_text.hpp"

namespace xiehui::dues {
namespace {

namespace dr = dues_repository;

bool sees_all(const Principal& p) {
  return p.can(Permission::dues_manage) || p.can(Permission::dues_record_payment) ||
         p.can(Permission::reports_read);
}

// The invoices a bill run would create now: active units not yet billed, at their tier, minus
// their reductions, prorated when they joined during the year.
std::vector<Invoice> planned_invoices(soci::session& s, const Schedule& sch,
                                      const DuesSettings& settings, long long& not_due) {
  const std::string issued_on = std::to_string(sch.year) + "-" + settings.billing_date_mmdd;
  const auto reductions = dr::live_reductions(s, sch.year);
  std::vector<Invoice> out;
  for (const dr::BillableUnit& u : dr::billable_units(s, sch.year)) {
    const auto tier = sch.tiers.find(u.tier);
    const auto joined = parse_date(u.joined_on);
    const long long full = tier == sch.tiers.end() ? 0 : tier->second;
    const auto part = joined ? prorate(full, *joined, sch.year, settings.proration)
                             : std::optional<Prorated>(Prorated{full, "full"});
    if (!part) {
      ++not_due;
      continue;
    }
    Invoice inv;
    inv.member_id = u.member_id;
    inv.member_name = u.name;
    inv.year = sch.year;
    inv.tier = u.tier;
    inv.schedule_id = sch.id;
    inv.full_fen = full;
    inv.amount_fen = part->amount_fen;
    inv.proration = part->label;
    if (const auto r = reductions.find(u.member_id); r != reductions.end()) {
      inv.reduced_fen = reduction_fen(inv.amount_fen, r->second);
    }
    inv.status = invoice_status(inv.amount_fen, inv.reduced_fen, 0);
    inv.issued_on = issued_on;
    out.push_back(std::move(inv));
  }
  return out;
}

Error not_billable(int year) {
  return make_error(
      ErrorCode::conflict,
      {std::to_string(year) + " 年度会费标准尚未制定或公布，不能开具通知单",
       "the dues schedule of " + std::to_string(year) + " is not set or not published yet"});
}

Table invoice_table(const std::vector<Invoice>& list) {
  Table t{{"会员编号", "单位名称", "年度", "会员级别", "应缴（元）", "减免（元）", "已缴（元）",
           "欠缴（元）", "状态", "计费方式", "开具日期"},
          {}};
  for (const Invoice& i : list) {
    t.rows.push_back({i.member_no, i.member_name, std::to_string(i.year), tier_label(i.tier),
                      format_yuan(i.amount_fen), format_yuan(i.reduced_fen),
                      format_yuan(i.paid_fen),
                      format_yuan(i.status == "void" ? 0 : i.outstanding_fen()),
                      invoice_status_label(i.status), proration_label(i.proration), i.issued_on});
  }
  return t;
}

}  // namespace

Result<BillRunReport> DuesService::bill_run(int year, bool dry_run, const Principal& actor,
                                            const Progress& progress) {
  if (year < 2000 || year > 2200) {
    return std::unexpected(
        invalid_fields({{"year", {"年度应在 2000–2200 之间", "the year must be 2000–2200"}}}));
  }
  const Timestamp now = clock_.now();
  const auto plan = [&](soci::session& s, bool lock) -> Result<BillRunReport> {
    // Locking the schedule row makes parallel runs of a year take turns; the unique (unit, year)
    // index is the backstop.
    auto sch = dr::current_schedule(s, year, lock);
    if (!sch || !sch->published_at) return std::unexpected(not_billable(year));
    BillRunReport report{year, dry_run, 0, 0, {}};
    long long not_due = 0;
    report.items = planned_invoices(s, *sch, load_settings(s), not_due);
    report.skipped = dr::count_invoices(s, year) + not_due;
    report.created = static_cast<long long>(report.items.size());
    return report;
  };
  if (dry_run) {
    return db_.with_session([&](soci::session& s) { return plan(s, false); });
  }
  return db_.with_transaction([&](soci::session& s) -> Result<BillRunReport> {
    auto report = plan(s, true);
    if (!report) return report;
    const long long total = static_cast<long long>(report->items.size());
    if (progress) progress(0, total);
    long long inserted = 0;
    constexpr std::size_t kChunk = 5000;
    for (std::size_t start = 0; start < report->items.size(); start += kChunk) {
      const std::size_t end = std::min(report->items.size(), start + kChunk);
      const std::vector<Invoice> chunk(report->items.begin() + static_cast<long>(start),
                                       report->items.begin() + static_cast<long>(end));
      inserted += dr::insert_invoices(s, chunk, now);
      if (progress) progress(static_cast<long long>(end), total);
    }
    report->skipped += total - inserted;
    report->created = inserted;
    if (inserted > 0) dr::notify_new_invoices(s, year, now);
    audit(s, actor, "dues.bill_run", "dues_year", year,
          "created " + std::to_string(inserted) + ", skipped " + std::to_string(report->skipped),
          now);
    report->items.clear();
    return report;
  });
}

Result<InvoicePage> DuesService::invoices(dr::InvoiceFilter filter, int page, int page_size,
                                          const Principal& who) {
  if (!sees_all(who)) {
    if (!who.member_id) return InvoicePage{};
    filter.member_id = *who.member_id;
  }
  return db_.with_session([&](soci::session& s) -> Result<InvoicePage> {
    InvoicePage p;
    p.total = dr::count_invoices(s, filter);
    p.items = dr::list_invoices(s, filter, page_size, (page - 1) * page_size);
    return p;
  });
}

Result<Table> DuesService::invoices_table(dr::InvoiceFilter filter, const Principal& who) {
  auto all = invoices(std::move(filter), 1, 1'000'000, who);
  if (!all) return std::unexpected(all.error());
  return invoice_table(all->items);
}

Result<InvoiceDetail> DuesService::invoice(long long id, const Principal& who) {
  return db_.with_session([&](soci::session& s) -> Result<InvoiceDetail> {
    auto inv = dr::find_invoice(s, id, false);
    if (!inv || (!sees_all(who) && who.member_id != inv->member_id)) {
      return std::unexpected(not_found_error({"会费通知单", "dues invoice"}));
    }
    InvoiceDetail d{*inv, dr::schedule_version(s, inv->schedule_id),
                    dr::invoice_payments(s, inv->id)};
    return d;
  });
}

int DuesService::current_year() const {
  return static_cast<int>(shanghai_date(clock_.now()).year());
}

}  // namespace xiehui::dues
