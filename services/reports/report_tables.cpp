// The reports as tables for the xlsx and CSV downloads: the same figures as the JSON, with
// Chinese headers and labels, money in 元.

#include "core/time.hpp"
#include "services/dues/dues_text.hpp"
#include "services/membership/membership_labels.hpp"
#include "services/reports/report_rules.hpp"
#include "services/reports/report_service.hpp"

namespace xiehui::reports {
namespace {

constexpr int kMaxPageSize = PageRequest::kMaxPageSize;
constexpr int kMaxExportRows = PageRequest::kMaxExportRows;

std::string percent(double r) {
  const long long tenths = static_cast<long long>(r * 1000 + 0.5);
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + "%";
}

std::string num(long long n) { return std::to_string(n); }

// The dues figures of a group as table cells.
std::vector<std::string> dues_cells(const std::string& label, const Figures& f) {
  return {label,
          num(f.dues_invoices),
          dues::format_yuan(f.dues_billed_fen),
          dues::format_yuan(f.dues_reduced_fen),
          dues::format_yuan(f.dues_collected_fen),
          dues::format_yuan(f.dues_outstanding_fen),
          percent(collection_rate(f))};
}

}  // namespace

Result<Table> ReportService::membership_table(const ReportFilter& f) {
  auto r = membership(f);
  if (!r) return std::unexpected(r.error());
  Table t{{"分组", "项目", "单位数"}, {}};
  const auto add = [&](const char* group, const std::vector<Count>& counts, bool city) {
    for (const Count& c : counts) {
      t.rows.push_back(
          {group, city ? city_name(c.key) : membership::label_of(c.key), num(c.count)});
    }
  };
  t.rows.push_back({"合计", "现有会员单位", num(r->total)});
  t.rows.push_back({"合计", std::to_string(f.year) + " 年末会员单位", num(r->at_year_end)});
  add("状态", r->by_status, false);
  add("市州", r->by_city, true);
  add("类型", r->by_type, false);
  add("级别", r->by_level, false);
  add("会员层级", r->by_tier, false);
  for (const Flow& fl : r->flows) {
    t.rows.push_back({"入会", std::to_string(fl.year) + " 年", num(fl.joined)});
    t.rows.push_back({"退出", std::to_string(fl.year) + " 年", num(fl.left)});
  }
  return t;
}

Result<Table> ReportService::dues_table(const ReportFilter& f) {
  auto r = dues(f);
  if (!r) return std::unexpected(r.error());
  Table t{{"分组", "单位数", "应缴（元）", "减免（元）", "已缴（元）", "欠缴（元）", "收缴率"}, {}};
  t.rows.push_back(dues_cells(std::to_string(f.year) + " 年度合计", r->total));
  for (const Figures& g : r->by_tier) {
    t.rows.push_back(dues_cells("会员层级：" + membership::label_of(g.key), g));
  }
  for (const Figures& g : r->by_city) t.rows.push_back(dues_cells("市州：" + city_name(g.key), g));
  return t;
}

Result<Table> ReportService::training_table(const ReportFilter& f) {
  auto r = training(f, {1, kMaxPageSize});
  if (!r) return std::unexpected(r.error());
  Table t{{"分组", "单位数", "培训名额", "出勤人数", "结业证书"}, {}};
  t.rows.push_back({std::to_string(f.year) + " 年度合计（" + num(r->classes.classes) + " 个班次）",
                    "", num(r->classes.places), num(r->classes.attended),
                    num(r->classes.certificates)});
  for (const Figures& g : r->by_city) {
    t.rows.push_back({"市州：" + city_name(g.key), num(g.units_training), num(g.training_places),
                      num(g.training_attended), num(g.training_certificates)});
  }
  for (const UnitLine& u : r->by_unit.items) {
    t.rows.push_back({"单位：" + u.name, "1", num(u.figures.training_places),
                      num(u.figures.training_attended), num(u.figures.training_certificates)});
  }
  return t;
}

Result<Table> ReportService::meetings_table(const ReportFilter& f) {
  auto r = meetings(f, {1, kMaxPageSize});
  if (!r) return std::unexpected(r.error());
  Table t{{"会议", "日期", "邀请单位", "回执", "拟出席", "实到"}, {}};
  for (const MeetingLine& m : r->meetings) {
    const auto at = parse_db_timestamp(m.starts_at);
    t.rows.push_back({m.title, at ? format_date(shanghai_date(*at)) : m.starts_at, num(m.invited),
                      num(m.replied), num(m.attending), num(m.present)});
  }
  return t;
}

Result<Table> ReportService::visits_table(const ReportFilter& f) {
  auto r = visits(f, {1, kMaxPageSize});
  if (!r) return std::unexpected(r.error());
  Table t{{"考察", "出发日期", "代表人数", "费用（元）"}, {}};
  for (const VisitLine& v : r->visits) {
    t.rows.push_back({v.title, v.starts_on, num(v.delegates), dues::format_yuan(v.cost_fen)});
  }
  for (const UnitLine& u : r->by_unit.items) {
    t.rows.push_back({"单位：" + u.name, "", num(u.figures.visit_delegates),
                      dues::format_yuan(u.figures.visit_cost_fen)});
  }
  return t;
}

Result<Table> ReportService::engagement_table(const ReportFilter& f, int years,
                                              const Principal& who) {
  auto r = engagement(f, years, {1, kMaxExportRows}, who);
  if (!r) return std::unexpected(r.error());
  Table t{{"单位", "市州", "会员层级", "状态", "最近参与年度", "欠缴会费（元）", "最早欠费年度",
           "培训名额", "会议回执", "会议出席", "考察代表"},
          {}};
  for (const UnitLine& u : r->units.items) {
    t.rows.push_back({u.name, city_name(u.city_code), membership::label_of(u.tier),
                      membership::label_of(u.status),
                      u.last_active_year ? num(u.last_active_year) : "从未参与",
                      dues::format_yuan(u.outstanding_fen),
                      u.oldest_arrears_year ? num(u.oldest_arrears_year) : "-",
                      num(u.figures.training_places), num(u.figures.meeting_replies),
                      num(u.figures.meeting_attended), num(u.figures.visit_delegates)});
  }
  return t;
}

Result<Table> ReportService::annual_table(int year) {
  auto r = annual(year);
  if (!r) return std::unexpected(r.error());
  return Table{{"项目", std::to_string(year) + " 年度"},
               {{"年末会员单位", num(r->members_at_year_end)},
                {"新入会单位", num(r->joined)},
                {"退出单位", num(r->left)},
                {"举办培训班次", num(r->training_classes)},
                {"培训人次", num(r->training_participants)},
                {"颁发结业证书", num(r->training_certificates)},
                {"召开会议", num(r->meetings)},
                {"会议出席率", percent(rate(r->meeting_attended, r->meeting_invitations))},
                {"组织考察", num(r->visits)},
                {"应收会费（元）", dues::format_yuan(r->dues_billed_fen)},
                {"减免会费（元）", dues::format_yuan(r->dues_reduced_fen)},
                {"会费收入（元）", dues::format_yuan(r->dues_income_fen)},
                {"缴清会费单位", num(r->units_paid)}}};
}

}  // namespace xiehui::reports
