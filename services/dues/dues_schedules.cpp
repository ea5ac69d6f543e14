// DuesService: settings, schedules and their decisions, reductions, the income and use statement.

#include "core/audit.hpp"
#include "core/time.hpp"
#include "core/validate.hpp"
#include "services/accounts/account_rules.hpp"
#include "services/dues/dues_audit.hpp"
#include "services/dues/dues_rules.hpp"
#include "services/dues/dues_service.hpp"
#include "services/dues/dues_text.hpp"
#include "services/meetings/meeting_repository.hpp"
#include "services/membership/membership_repository.hpp"

namespace xiehui::dues {
namespace {

namespace dr = dues_repository;

Error no_schedule(int year) {
  return not_found_error(
      {std::to_string(year) + " 年度会费标准", "dues schedule of " + std::to_string(year)});
}

bool manages(const Principal& p) { return p.can(Permission::dues_manage); }

Result<ScheduleView> view_of(soci::session& s, int year) {
  auto current = dr::current_schedule(s, year, false);
  if (!current) return std::unexpected(no_schedule(year));
  return ScheduleView{std::move(*current), dr::schedule_history(s, year)};
}

std::string tiers_summary(const std::map<std::string, long long>& tiers) {
  std::string out;
  for (const std::string& t : dues_tiers()) {
    const auto it = tiers.find(t);
    if (it == tiers.end()) continue;
    if (!out.empty()) out += ", ";
    out += t + "=" + std::to_string(it->second);
  }
  return out;
}

// Writes a schedule version inside the caller's transaction: an unpublished current version is
// replaced, a published one superseded (it needs another decision).
Result<ScheduleView> write_schedule(soci::session& s, Schedule sch, const Principal& actor,
                                    Timestamp now) {
  auto current = dr::current_schedule(s, sch.year, true);
  // The version in force is the current one if published, else the newest published before it
  // (a draft replacing it must not fall back to the decision it is meant to replace).
  std::optional<Schedule> in_force = current && current->published_at ? current : std::nullopt;
  if (!in_force) {
    for (Schedule& h : dr::schedule_history(s, sch.year)) {
      if (h.published_at) {
        in_force = std::move(h);
        break;
      }
    }
  }
  if (in_force && in_force->decision.meeting_name == sch.decision.meeting_name &&
      in_force->decision.held_on == sch.decision.held_on) {
    return std::unexpected(make_error(
        ErrorCode::conflict,
        {"已公布的会费标准只能依据新的会员大会决议修改",
         "a published schedule changes only by a new decision of the general assembly"}));
  }
  if (current && current->published_at) {
    dr::supersede_schedule(s, current->id, now);
    sch.version = current->version + 1;
  } else if (current) {
    dr::delete_schedule(s, current->id);
    sch.version = current->version;
  }
  sch.id = dr::insert_schedule(s, sch, actor_id(actor), now);
  audit(s, actor, "dues.schedule_set", "dues_schedule", sch.id,
        std::to_string(sch.year) + " v" + std::to_string(sch.version) + " " +
            sch.decision.meeting_name + " " + sch.decision.held_on + ": " +
            tiers_summary(sch.tiers),
        now);
  return view_of(s, sch.year);
}

std::vector<FieldError> check_year(int year) {
  if (year >= 2000 && year <= 2200) return {};
  return {{"year", {"年度应在 2000–2200 之间", "the year must be 2000–2200"}}};
}

}  // namespace

DuesSettings load_settings(soci::session& s) {
  return settings_from_rows(dr::setting_rows(s, "dues."));
}

Result<DuesSettings> DuesService::settings() {
  return db_.with_session(
      [&](soci::session& s) -> Result<DuesSettings> { return load_settings(s); });
}

Result<DuesSettings> DuesService::update_settings(const DuesSettings& in, const Principal& actor) {
  if (auto errors = check_settings(in); !errors.empty()) {
    return std::unexpected(invalid_fields(std::move(errors)));
  }
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<DuesSettings> {
    std::string changed;
    const auto before = dr::setting_rows(s, "dues.");
    for (const auto& [name, value] : settings_to_rows(in)) {
      const auto it = before.find(name);
      if (it != before.end() && it->second == value) continue;
      dr::put_setting(s, name, value, now);
      changed += (changed.empty() ? "" : "; ") + name + "=" + value;
    }
    if (!changed.empty()) audit(s, actor, "dues.settings", "settings", 0, changed, now);
    return load_settings(s);
  });
}

Result<ScheduleView> DuesService::schedule(int year, const Principal& who) {
  return db_.with_session([&](soci::session& s) -> Result<ScheduleView> {
    auto view = view_of(s, year);
    if (!view) return view;
    if (!manages(who)) {
      // Others see what was published: the current version if it was, else the latest
      // published one (a new version awaiting publication is not in force yet).
      if (!view->current.published_at) {
        auto it = std::find_if(view->history.begin(), view->history.end(),
                               [](const Schedule& h) { return h.published_at.has_value(); });
        if (it == view->history.end()) return std::unexpected(no_schedule(year));
        view->current = *it;
        view->history.erase(view->history.begin(), it + 1);  // history: older versions only
      }
      std::erase_if(view->history, [](const Schedule& h) { return !h.published_at; });
    }
    return view;
  });
}

Result<std::vector<Schedule>> DuesService::schedules(const Principal& who) {
  return db_.with_session([&](soci::session& s) -> Result<std::vector<Schedule>> {
    auto list = dr::list_schedules(s);
    if (!manages(who)) std::erase_if(list, [](const Schedule& x) { return !x.published_at; });
    return list;
  });
}

Result<ScheduleView> DuesService::set_schedule(int year, const ScheduleInput& in,
                                               const Principal& actor) {
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<ScheduleView> {
    const DuesSettings settings = load_settings(s);
    std::vector<FieldError> errors = check_year(year);
    for (auto& e : check_tiers(in.tiers)) errors.push_back(std::move(e));
    const auto effective = parse_date(in.effective_on);
    if (!effective || static_cast<int>(effective->year()) < year - 1 ||
        static_cast<int>(effective->year()) > year) {
      errors.push_back({"effective_on",
                        {"生效日期应为该年度或上一年度内的日期（YYYY-MM-DD）",
                         "the date it takes effect must lie in the year or the year before"}});
    }
    for (auto& e : check_decision(in.decision, settings)) errors.push_back(std::move(e));
    if (in.decision.resolution_id &&
        !meetings::meeting_repository::lock_resolution(s, *in.decision.resolution_id)) {
      errors.push_back(
          {"decision.resolution_id", {"没有这条会议决议", "no such resolution of a meeting"}});
    }
    if (!errors.empty()) return std::unexpected(invalid_fields(std::move(errors)));
    Schedule sch;
    sch.year = year;
    sch.tiers = in.tiers;
    sch.effective_on = format_date(*effective);
    sch.decision = in.decision;
    return write_schedule(s, std::move(sch), actor, now);
  });
}

Result<ScheduleView> DuesService::copy_schedule(int year, int from_year, const Principal& actor) {
  if (auto errors = check_year(year); !errors.empty()) {
    return std::unexpected(invalid_fields(std::move(errors)));
  }
  if (from_year == year) {
    return std::unexpected(
        invalid_fields({{"copy_from", {"不能从同一年度复制", "copy from another year"}}}));
  }
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<ScheduleView> {
    auto from = dr::current_schedule(s, from_year, false);
    if (!from) return std::unexpected(no_schedule(from_year));
    Schedule sch;
    sch.year = year;
    sch.tiers = from->tiers;
    sch.effective_on = std::to_string(year) + "-01-01";
    sch.decision = from->decision;
    sch.copied_from_year = from_year;
    auto current = dr::current_schedule(s, year, false);
    if (current && current->published_at) {
      return std::unexpected(make_error(
          ErrorCode::conflict, {"该年度会费标准已公布，不能再复制",
                                "the year's schedule is published: it cannot be copied over"}));
    }
    return write_schedule(s, std::move(sch), actor, now);
  });
}

Result<ScheduleView> DuesService::publish_schedule(int year, const Principal& actor) {
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<ScheduleView> {
    auto current = dr::current_schedule(s, year, true);
    if (!current) return std::unexpected(no_schedule(year));
    if (current->published_at) {
      return std::unexpected(make_error(ErrorCode::conflict,
                                        {"该会费标准已公布", "the schedule is already published"}));
    }
    dr::publish_schedule(s, current->id, now);
    std::string amounts;
    for (const std::string& t : dues_tiers()) {
      const auto it = current->tiers.find(t);
      if (it == current->tiers.end()) continue;
      amounts +=
          (amounts.empty() ? "" : "，") + tier_label(t) + " " + format_yuan(it->second) + " 元";
    }
    dr::notify_active_units(s, "dues.schedule_published",
                            std::to_string(year) + " 年度会费标准已公布（" +
                                current->decision.meeting_name + "通过）：" + amounts,
                            "dues_schedule", current->id, now);
    audit(s, actor, "dues.schedule_publish", "dues_schedule", current->id,
          std::to_string(year) + " v" + std::to_string(current->version), now);
    return view_of(s, year);
  });
}

Result<Reduction> DuesService::record_reduction(Reduction r, const Principal& actor) {
  if (auto errors = check_reduction(r); !errors.empty()) {
    return std::unexpected(invalid_fields(std::move(errors)));
  }
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<Reduction> {
    // Locks in the order bill runs and payments take them (year's schedule → invoice → unit),
    // before any plain read: on MariaDB the first plain read fixes the transaction's snapshot,
    // which must not predate a bill run, payment or reversal of the invoice.
    dr::lock_schedule_year(s, r.year);
    auto inv = dr::find_invoice_for(s, r.member_id, r.year, true);
    auto member = membership::membership_repository::find_member(s, r.member_id, true);
    if (!member) return std::unexpected(not_found_error({"会员单位", "member unit"}));
    if (dr::live_reduction(s, r.member_id, r.year)) {
      return std::unexpected(make_error(ErrorCode::already_exists,
                                        {"该单位本年度已有减免记录，请先撤销原记录",
                                         "the unit already has a reduction for the year: revoke it "
                                         "first"}));
    }
    if (inv && inv->status != "void") {
      inv->reduced_fen = reduction_fen(inv->amount_fen, r);
      if (inv->amount_fen - inv->reduced_fen < inv->paid_fen) {
        Error e = make_error(ErrorCode::conflict,
                             {"减免后应缴金额低于已缴金额，请先冲正多缴的款项",
                              "after the reduction less is due than was paid: reverse the "
                              "surplus payment first"});
        e.figures.push_back({"paid_fen", inv->paid_fen});
        return std::unexpected(std::move(e));
      }
      inv->status = invoice_status(inv->amount_fen, inv->reduced_fen, inv->paid_fen);
      dr::update_invoice_figures(s, *inv, now);
    }
    r.id = dr::insert_reduction(s, r, actor_id(actor), now);
    audit(s, actor, "dues.reduction", "dues_reduction", r.id,
          member->org.name + " " + std::to_string(r.year) + " " +
              (r.percent ? std::to_string(*r.percent) + "%"
                         : std::to_string(r.amount_fen.value_or(0)) + " fen") +
              ": " + r.reason,
          now);
    return *dr::find_reduction(s, r.id);
  });
}

Status DuesService::revoke_reduction(long long id, const Principal& actor) {
  const Timestamp now = clock_.now();
  // The reduction's unit and year (which never change) are read before the transaction, so that
  // its first statement locks the invoice: on MariaDB a plain read before the lock would fix a
  // snapshot older than a payment committed meanwhile, and its paid_fen would be lost.
  auto found = db_.with_session([&](soci::session& s) -> Result<std::optional<Reduction>> {
    return dr::find_reduction(s, id);
  });
  if (!found) return std::unexpected(found.error());
  if (!*found) return std::unexpected(not_found_error({"减免记录", "reduction"}));
  return db_.with_transaction([&](soci::session& s) -> Status {
    dr::lock_schedule_year(s, (*found)->year);  // takes turns with bill runs of the year
    auto inv = dr::find_invoice_for(s, (*found)->member_id, (*found)->year, true);
    auto r = dr::find_reduction(s, id);
    if (!r) return std::unexpected(not_found_error({"减免记录", "reduction"}));
    if (r->revoked_at) {
      return std::unexpected(
          make_error(ErrorCode::conflict, {"该减免已撤销", "the reduction was already revoked"}));
    }
    if (inv && inv->status != "void") {
      inv->reduced_fen = 0;
      inv->status = invoice_status(inv->amount_fen, 0, inv->paid_fen);
      dr::update_invoice_figures(s, *inv, now);
    }
    dr::revoke_reduction(s, id, now);
    audit(s, actor, "dues.reduction_revoke", "dues_reduction", id,
          r->member_name + " " + std::to_string(r->year), now);
    return {};
  });
}

Result<std::vector<Reduction>> DuesService::reductions(std::optional<int> year,
                                                       std::optional<long long> member_id) {
  return db_.with_session([&](soci::session& s) -> Result<std::vector<Reduction>> {
    return dr::list_reductions(s, year, member_id);
  });
}

Result<Table> DuesService::reductions_table(std::optional<int> year,
                                            std::optional<long long> member_id) {
  auto list = reductions(year, member_id);
  if (!list) return std::unexpected(list.error());
  Table t{{"单位名称", "年度", "减免金额（元）", "减免比例", "原因", "批准人", "登记时间", "状态"},
          {}};
  for (const Reduction& r : *list) {
    t.rows.push_back({r.member_name, std::to_string(r.year),
                      r.amount_fen ? format_yuan(*r.amount_fen) : "",
                      r.percent ? std::to_string(*r.percent) + "%" : "", r.reason, r.approved_by,
                      format_instant(r.created_at), r.revoked_at ? "已撤销" : "有效"});
  }
  return t;
}

Result<UseStatementView> DuesService::use_statement(int year, const Principal& who) {
  return db_.with_session([&](soci::session& s) -> Result<UseStatementView> {
    auto u = dr::find_use_statement(s, year);
    if (!u && manages(who)) u = dr::UseStatement{year, {}, "", std::nullopt};
    if (!u || (!manages(who) && !u->published_at)) {
      return std::unexpected(not_found_error({std::to_string(year) + " 年度会费收支情况",
                                              "dues statement of " + std::to_string(year)}));
    }
    const auto income = dr::year_income(s, year);
    return UseStatementView{std::move(*u), income.due_fen, income.collected_fen, income.units_paid};
  });
}

Result<UseStatementView> DuesService::put_use_statement(dues_repository::UseStatement u,
                                                        const Principal& actor) {
  std::vector<FieldError> errors = check_year(u.year);
  if (u.uses.size() > 50) {
    errors.push_back({"uses", {"支出项目最多 50 项", "at most 50 items"}});
  }
  for (std::size_t i = 0; i < u.uses.size(); ++i) {
    const auto& [item, fen] = u.uses[i];
    const std::size_t n = accounts::utf8_length(item);
    if (n == 0 || n > 100 || has_control_chars(item, false) ||
        item.find('\t') != std::string::npos) {
      errors.push_back(
          {"uses[" + std::to_string(i) + "].item",
           {"请填写项目名称（最多 100 字）", "name the item (at most 100 characters)"}});
    }
    if (fen < 0 || fen > kMaxAmountFen) {
      errors.push_back({"uses[" + std::to_string(i) + "].amount_fen",
                        {"金额应为 0 至 1 亿元", "the amount must be 0 to 100,000,000 yuan"}});
    }
  }
  if (accounts::utf8_length(u.note) > 2000 || has_control_chars(u.note, true)) {
    errors.push_back({"note", {"说明最多 2000 字", "at most 2000 characters"}});
  }
  if (!errors.empty()) return std::unexpected(invalid_fields(std::move(errors)));
  const Timestamp now = clock_.now();
  auto written = db_.with_transaction([&](soci::session& s) -> Status {
    dr::put_use_statement(s, u, now);
    audit(s, actor, "dues.use_statement", "dues_use_statement", u.year,
          std::to_string(u.uses.size()) + " items", now);
    return {};
  });
  if (!written) return std::unexpected(written.error());
  return use_statement(u.year, actor);
}

Result<UseStatementView> DuesService::publish_use_statement(int year, const Principal& actor) {
  const Timestamp now = clock_.now();
  auto done = db_.with_transaction([&](soci::session& s) -> Status {
    auto u = dr::find_use_statement(s, year);
    if (!u) {
      return std::unexpected(not_found_error({std::to_string(year) + " 年度会费收支情况",
                                              "dues statement of " + std::to_string(year)}));
    }
    dr::publish_use_statement(s, year, now);
    dr::notify_active_units(s, "dues.use_statement_published",
                            std::to_string(year) + " 年度会费收支情况已公布", "dues_use_statement",
                            year, now);
    audit(s, actor, "dues.use_statement_publish", "dues_use_statement", year, "", now);
    return {};
  });
  if (!done) return std::unexpected(done.error());
  return use_statement(year, actor);
}

}  // namespace xiehui::dues
