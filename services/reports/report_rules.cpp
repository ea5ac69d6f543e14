#include "services/reports/report_rules.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "core/validate.hpp"
#include "services/dues/dues_rules.hpp"
#include "services/membership/membership_labels.hpp"

namespace xiehui::reports {
namespace {

bool is_code(membership::LabelKind kind, const std::string& value) {
  const auto code = membership::code_from_text(kind, value);
  return code && *code == value;
}

}  // namespace

std::vector<FieldError> check_filter(const ReportFilter& f) {
  std::vector<FieldError> errors;
  if (f.year < 2000 || f.year > 2100) {
    errors.push_back({"year", {"年度应在 2000–2100 之间", "the year must be 2000–2100"}});
  }
  if (!f.city_code.empty() && std::ranges::none_of(hunan_prefectures(), [&](const Division& d) {
        return d.code == f.city_code;
      })) {
    errors.push_back({"city_code", {"未知的市州代码", "unknown city code"}});
  }
  if (!f.type.empty() && !is_code(membership::LabelKind::org_type, f.type)) {
    errors.push_back({"type", {"未知的单位类型", "unknown organisation type"}});
  }
  if (!f.tier.empty() && !is_code(membership::LabelKind::tier, f.tier)) {
    errors.push_back({"tier", {"未知的会员层级", "unknown tier"}});
  }
  return errors;
}

std::pair<std::string, std::string> year_bounds(int year) {
  // 00:00 in Shanghai is 16:00 UTC the day before.
  return {std::to_string(year - 1) + "-12-31 16:00:00.000000",
          std::to_string(year) + "-12-31 16:00:00.000000"};
}

long long at_year_end(std::span<const FlowCell> cells, int year) {
  long long n = 0;
  for (const FlowCell& c : cells) {
    if (c.join_year > year) continue;
    const bool gone = c.leave_year != 0 ? c.leave_year <= year : !c.current;
    if (!gone) n += c.members;
  }
  return n;
}

std::vector<Flow> flows(std::span<const FlowCell> cells, int through_year) {
  std::map<int, Flow> by_year;
  for (const FlowCell& c : cells) {
    if (c.members == 0) continue;
    if (c.join_year <= through_year) by_year[c.join_year].joined += c.members;
    if (c.leave_year != 0 && c.leave_year <= through_year) by_year[c.leave_year].left += c.members;
  }
  std::vector<Flow> out;
  for (auto& [year, flow] : by_year) {
    flow.year = year;
    flow.at_year_end = at_year_end(cells, year);
    out.push_back(flow);
  }
  return out;
}

double rate(long long part, long long whole) {
  return whole > 0 ? static_cast<double>(part) / static_cast<double>(whole) : 0.0;
}

double collection_rate(const Figures& f) {
  return rate(f.dues_collected_fen, f.dues_billed_fen - f.dues_reduced_fen);
}

std::optional<std::pair<int, int>> arrears_years(const std::string& age, int year) {
  if (age == "current") return std::pair{year, 9999};
  if (age == "1y") return std::pair{year - 1, year - 1};
  if (age == "2y") return std::pair{year - 2, year - 2};
  if (age == "3y+") return std::pair{1, year - 3};
  return std::nullopt;
}

std::map<std::string, AgeBucket> arrears_ages(const std::map<int, AgeBucket>& by_oldest, int year) {
  std::map<std::string, AgeBucket> out{{"current", {}}, {"1y", {}}, {"2y", {}}, {"3y+", {}}};
  for (const auto& [oldest, bucket] : by_oldest) {
    AgeBucket& b = out[dues::age_bucket(oldest, year)];
    b.units += bucket.units;
    b.outstanding_fen += bucket.outstanding_fen;
  }
  return out;
}

std::optional<long long> days_until(const std::string& ends_on, Date today) {
  const auto d = parse_date(ends_on);
  if (!d) return std::nullopt;
  return (std::chrono::sys_days{*d} - std::chrono::sys_days{today}).count();
}

std::string city_name(const std::string& code) {
  for (const Division& d : hunan_prefectures()) {
    if (d.code == code) return std::string(d.name);
  }
  return code;
}

void add_figures(Figures& a, const Figures& b) {
  a.dues_invoices += b.dues_invoices;
  a.dues_billed_fen += b.dues_billed_fen;
  a.dues_reduced_fen += b.dues_reduced_fen;
  a.dues_collected_fen += b.dues_collected_fen;
  a.dues_outstanding_fen += b.dues_outstanding_fen;
  a.dues_paid_invoices += b.dues_paid_invoices;
  a.training_places += b.training_places;
  a.training_attended += b.training_attended;
  a.training_certificates += b.training_certificates;
  a.meeting_invitations += b.meeting_invitations;
  a.meeting_replies += b.meeting_replies;
  a.meeting_attended += b.meeting_attended;
  a.visit_delegates += b.visit_delegates;
  a.visit_cost_fen += b.visit_cost_fen;
  a.meeting_unanswered += b.meeting_unanswered;
  a.units_dues += b.units_dues;
  a.units_training += b.units_training;
  a.units_invited += b.units_invited;
  a.units_meetings += b.units_meetings;
  a.units_visits += b.units_visits;
}

}  // namespace xiehui::reports
