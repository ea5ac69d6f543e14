#include "services/visits/visit_rules.hpp"

#include <algorithm>
#include <array>
#include <set>

#include "core/validate.hpp"
#include "services/accounts/account_rules.hpp"

namespace xiehui::visits {
namespace {

constexpr std::array<std::string_view, 6> kStatuses = {"draft",     "open",      "closed",
                                                       "confirmed", "completed", "cancelled"};

void trim(std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  const auto e = s.find_last_not_of(" \t");
  s = b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

bool has_control(std::string_view s) {
  return std::ranges::any_of(s, [](char ch) { return ch >= 0 && ch < 0x20; });
}

// A one-line field of min..max characters without control characters.
void check_line(std::vector<FieldError>& errors, std::string& value, const std::string& field,
                std::size_t min, std::size_t max) {
  trim(value);
  const std::size_t before = errors.size();
  accounts::check_length(errors, value, field, min, max);
  if (errors.size() == before && has_control(value)) {
    errors.push_back({field, {"不能包含控制字符", "no control characters"}});
  }
}

int half_rank(std::string_view half) { return half.empty() ? 0 : half == "am" ? 1 : 2; }

std::chrono::sys_days days(Date d) { return std::chrono::sys_days{d}; }

}  // namespace

bool is_visit_status(std::string_view s) {
  return std::ranges::find(kStatuses, s) != kStatuses.end();
}

bool visit_status_change_allowed(std::string_view from, std::string_view to) {
  if (!is_visit_status(from) || !is_visit_status(to) || from == to) return false;
  if (from == "completed" || from == "cancelled") return false;
  if (to == "cancelled") return true;
  if (to == "draft") return false;
  if (from == "draft") return to == "open" || to == "closed";
  if (to == "open" || to == "closed") return from == "open" || from == "closed";
  if (to == "confirmed") return from == "open" || from == "closed";
  return to == "completed";  // from open, closed or confirmed
}

bool decisions_allowed(std::string_view status) {
  return status == "open" || status == "closed" || status == "confirmed";
}

std::vector<FieldError> check_itinerary(std::vector<ItineraryItem>& items, Date first, Date last) {
  std::vector<FieldError> errors;
  if (items.size() > 100) {
    errors.push_back({"itinerary", {"行程最多 100 项", "at most 100 itinerary items"}});
    return errors;
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    ItineraryItem& it = items[i];
    const std::string p = "itinerary[" + std::to_string(i) + "].";
    const auto day = parse_date(it.date);
    if (!day) {
      errors.push_back({p + "date", {"日期格式应为 YYYY-MM-DD", "a date YYYY-MM-DD"}});
    } else if (days(*day) < days(first) || days(*day) > days(last)) {
      errors.push_back({p + "date",
                        {"行程日期 " + it.date + " 不在考察日期内（" + format_date(first) + " – " +
                             format_date(last) + "）",
                         "the date " + it.date + " is outside the visit (" + format_date(first) +
                             " – " + format_date(last) + ")"}});
    } else {
      it.date = format_date(*day);
    }
    if (!it.half.empty() && it.half != "am" && it.half != "pm") {
      errors.push_back({p + "half", {"时段应为 am、pm 或空（全天）", "am, pm or null"}});
    }
    check_line(errors, it.place, p + "place", 1, 100);
    check_line(errors, it.activity, p + "activity", 1, 200);
    check_line(errors, it.contact, p + "contact", 0, 100);
    check_line(errors, it.transport, p + "transport", 0, 50);
  }
  if (errors.empty()) {
    std::ranges::stable_sort(items, [](const ItineraryItem& a, const ItineraryItem& b) {
      if (a.date != b.date) return a.date < b.date;
      return half_rank(a.half) < half_rank(b.half);
    });
  }
  return errors;
}

std::vector<FieldError> check_visit(Visit& v) {
  std::vector<FieldError> errors;
  check_line(errors, v.title, "title", 2, 200);
  check_line(errors, v.theme, "theme", 0, 200);
  check_line(errors, v.destination, "destination", 1, 100);
  check_line(errors, v.cost_covers, "cost_covers", 0, 500);
  accounts::check_length(errors, v.description, "description", 0, 5000);
  if (v.hosts.empty() || v.hosts.size() > 10) {
    errors.push_back({"hosts", {"接待单位应为 1–10 个", "1–10 hosts"}});
  }
  for (std::size_t i = 0; i < v.hosts.size() && i < 10; ++i) {
    if (!v.hosts[i].member_id) {
      check_line(errors, v.hosts[i].name, "hosts[" + std::to_string(i) + "].name", 1, 100);
    }
  }
  const bool dates_ok = in_supported_range(v.starts_on) && in_supported_range(v.ends_on);
  if (dates_ok && days(v.ends_on) < days(v.starts_on)) {
    errors.push_back({"ends_on", {"结束日期不能早于开始日期", "must not be before starts_on"}});
  } else if (dates_ok && days(v.ends_on) - days(v.starts_on) > std::chrono::days(30)) {
    errors.push_back({"ends_on", {"一次考察最长 31 天", "a visit lasts at most 31 days"}});
  }
  if (dates_ok && shanghai_date(v.apply_deadline) > v.starts_on) {
    errors.push_back(
        {"apply_deadline", {"报名截止日期不能晚于出发日期", "must not be after starts_on"}});
  }
  if (dates_ok && days(v.withdraw_cutoff) > days(v.starts_on)) {
    errors.push_back(
        {"withdraw_cutoff", {"退出截止日期不能晚于出发日期", "must not be after starts_on"}});
  }
  if (v.capacity < 1 || v.capacity > 1000) {
    errors.push_back({"capacity", {"名额应为 1–1000", "must be 1–1000"}});
  }
  if (v.per_member_quota && (*v.per_member_quota < 1 || *v.per_member_quota > 1000)) {
    errors.push_back({"per_member_quota", {"每单位限额应为 1–1000", "must be 1–1000"}});
  }
  if (v.cost_fen < 0 || v.cost_fen > 100'000'000) {
    errors.push_back({"cost_fen", {"费用应为 0–1000000 元", "must be 0–100000000 fen"}});
  }
  if (dates_ok && errors.empty()) {
    auto more = check_itinerary(v.itinerary, v.starts_on, v.ends_on);
    errors.insert(errors.end(), more.begin(), more.end());
  }
  return errors;
}

std::vector<FieldError> check_delegate(Delegate& d, const std::string& prefix) {
  std::vector<FieldError> errors;
  check_line(errors, d.name, prefix + "name", 1, 50);
  check_line(errors, d.title, prefix + "title", 0, 50);
  check_line(errors, d.dietary, prefix + "dietary", 0, 100);
  if (d.gender != "m" && d.gender != "f") {
    errors.push_back({prefix + "gender", {"性别应为 m 或 f", "m or f"}});
  }
  if (auto m = normalise_mobile(d.mobile)) {
    d.mobile = *m;
  } else {
    errors.push_back({prefix + "mobile", m.error()});
  }
  return errors;
}

std::optional<FieldError> duplicate_mobile(const std::vector<Delegate>& delegates) {
  std::set<std::string> seen;
  for (std::size_t i = 0; i < delegates.size(); ++i) {
    if (!seen.insert(delegates[i].mobile).second) {
      return FieldError{"delegates[" + std::to_string(i) + "].mobile",
                        {"同一手机号在申请中出现两次", "this mobile appears twice"}};
    }
  }
  return std::nullopt;
}

places::Seats seats_of(const Visit& v) { return {v.capacity, v.approved, v.waitlisted}; }

std::optional<Error> application_refusal(const Visit& v, Timestamp now) {
  if (v.status != "open") {
    return make_error(ErrorCode::conflict,
                      {"该考察未开放报名", "the visit is not open for applications"});
  }
  if (now > v.apply_deadline) {
    return make_error(ErrorCode::conflict,
                      {"报名已截止（截止时间 " + format_instant(v.apply_deadline) + "）",
                       "applications closed at " + format_instant(v.apply_deadline)});
  }
  return std::nullopt;
}

std::optional<Error> quota_refusal(const Visit& v, int held, int adding) {
  if (!v.per_member_quota || held + adding <= *v.per_member_quota) return std::nullopt;
  const std::string q = std::to_string(*v.per_member_quota);
  Error e = make_error(
      ErrorCode::conflict,
      {"每单位最多 " + q + " 人（含待审核和候补），本单位已有 " + std::to_string(held) + " 人",
       "at most " + q + " places per unit (pending and waiting included); the unit holds " +
           std::to_string(held)});
  e.figures.push_back({"quota", *v.per_member_quota});
  e.figures.push_back({"held", held});
  return e;
}

bool withdrawal_voids_charge(const Visit& v, Date today) {
  return days(today) <= days(v.withdraw_cutoff);
}

Date default_withdraw_cutoff(Date starts_on) {
  return Date(days(starts_on) - std::chrono::days(7));
}

int visit_days(const Visit& v) {
  return static_cast<int>((days(v.ends_on) - days(v.starts_on)).count()) + 1;
}

std::string half_label(std::string_view half) {
  return half == "am" ? "上午" : half == "pm" ? "下午" : "全天";
}

}  // namespace xiehui::visits
