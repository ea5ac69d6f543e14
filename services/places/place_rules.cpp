#include "services/places/place_rules.hpp"

#include <algorithm>

#include "services/accounts/account_rules.hpp"

namespace xiehui::places {

Placement place(const Seats& s) {
  // Nobody passes the waitlist, even if the counts ever showed a free place beside it.
  return s.taken < s.capacity && s.waiting == 0 ? Placement::confirmed : Placement::waitlisted;
}

bool within_quota(std::optional<int> quota, int held) { return !quota || held < *quota; }

int promotions(const Seats& s) { return std::max(0, std::min(s.capacity - s.taken, s.waiting)); }

std::optional<Error> capacity_refusal(const Seats& s, const Text& what_taken) {
  if (s.capacity >= s.taken) return std::nullopt;
  const std::string n = std::to_string(s.taken);
  Error e = make_error(ErrorCode::conflict,
                       {"名额不能少于" + what_taken.zh + "的 " + n + " 人，请先取消部分名额",
                        "capacity cannot go below the " + n + " " + what_taken.en + " places"});
  e.fields.push_back({"capacity", e.message});
  return e;
}

std::vector<Slot> attendance_slots(Date first, Date last) {
  std::vector<Slot> out;
  for (auto d = std::chrono::sys_days{first}; d <= std::chrono::sys_days{last};
       d += std::chrono::days(1)) {
    const std::string day = format_date(Date(d));
    out.emplace_back(day, "am");
    out.emplace_back(day, "pm");
  }
  return out;
}

Slot slot_at(Timestamp t) {
  const auto local = t + kShanghaiOffset;
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const auto hour = std::chrono::duration_cast<std::chrono::hours>(local - day).count();
  return {format_date(Date(std::chrono::sys_days(day))), hour < 12 ? "am" : "pm"};
}

std::optional<Error> check_in_refusal(Date first, Date last, const Slot& when,
                                      const std::optional<std::string>& override_reason,
                                      const Text& dates_name) {
  if (override_reason) {
    std::vector<FieldError> errors;
    accounts::check_length(errors, *override_reason, "override_reason", 1, 200);
    const bool control =
        std::ranges::any_of(*override_reason, [](char ch) { return ch >= 0 && ch < 0x20; });
    if (errors.empty() && control) {
      errors.push_back({"override_reason", {"不能包含控制字符", "no control characters"}});
    }
    if (!errors.empty()) return invalid_fields(std::move(errors));
  }
  const auto day = parse_date(when.first);
  const bool inside = day && std::chrono::sys_days{*day} >= std::chrono::sys_days{first} &&
                      std::chrono::sys_days{*day} <= std::chrono::sys_days{last} &&
                      (when.second == "am" || when.second == "pm");
  if (inside || override_reason) return std::nullopt;
  const std::string dates = format_date(first) + " – " + format_date(last);
  Error e = make_error(
      ErrorCode::conflict,
      {"签到日期 " + when.first + " 不在" + dates_name.zh + "内（" + dates + "）",
       "the day " + when.first + " is not one of " + dates_name.en + " (" + dates + ")"});
  e.fields.push_back({"day", e.message});
  return e;
}

}  // namespace xiehui::places
