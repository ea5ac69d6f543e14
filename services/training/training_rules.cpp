#include "services/training/training_rules.hpp"

#include <algorithm>
#include <array>

#include "core/validate.hpp"
#include "services/accounts/account_rules.hpp"

namespace xiehui::training {
namespace {

constexpr std::array<std::string_view, 5> kStatuses = {"draft", "open", "closed", "cancelled",
                                                       "finished"};

}  // namespace

bool is_class_status(std::string_view s) {
  return std::ranges::find(kStatuses, s) != kStatuses.end();
}

bool class_status_change_allowed(std::string_view from, std::string_view to) {
  if (!is_class_status(from) || !is_class_status(to) || from == to) return false;
  if (from == "finished" || from == "cancelled") return false;
  if (to == "cancelled") return true;
  if (to == "draft") return false;
  if (to == "finished") return from == "open" || from == "closed";
  return true;  // open ⇄ closed, draft → open/closed
}

std::vector<FieldError> check_course(Course& c) {
  std::vector<FieldError> errors;
  accounts::check_length(errors, c.title, "title", 2, 200);
  accounts::check_length(errors, c.description, "description", 0, 5000);
  if (c.topics.size() > 20) errors.push_back({"topics", {"最多 20 个主题", "at most 20 topics"}});
  for (auto& t : c.topics) {
    const bool control = std::ranges::any_of(t, [](char ch) { return ch >= 0 && ch < 0x20; });
    if (t.empty() || control || accounts::utf8_length(t) > 40) {
      errors.push_back({"topics", {"每个主题 1–40 个字符", "each topic 1–40 characters"}});
      break;
    }
  }
  return errors;
}

std::vector<FieldError> check_class(const TrainingClass& c) {
  std::vector<FieldError> errors;
  accounts::check_length(errors, c.title, "title", 0, 200);
  accounts::check_length(errors, c.venue, "venue", 1, 200);
  if (c.ends_at < c.starts_at) {
    errors.push_back({"ends_at", {"结束时间不能早于开始时间", "must not be before starts_at"}});
  } else if (c.ends_at - c.starts_at > std::chrono::days(31)) {
    errors.push_back({"ends_at", {"一期培训最长 31 天", "a class lasts at most 31 days"}});
  }
  if (c.signup_deadline > c.starts_at) {
    errors.push_back(
        {"signup_deadline", {"报名截止时间应早于开班时间", "must not be after starts_at"}});
  }
  if (c.capacity < 1 || c.capacity > 10000) {
    errors.push_back({"capacity", {"名额应为 1–10000", "must be 1–10000"}});
  }
  if (c.per_member_quota && (*c.per_member_quota < 1 || *c.per_member_quota > 10000)) {
    errors.push_back({"per_member_quota", {"每单位限额应为 1–10000", "must be 1–10000"}});
  }
  if (c.fee_fen < 0 || c.fee_fen > 100'000'000) {
    errors.push_back({"fee_fen", {"费用应为 0–1000000 元", "must be 0–100000000 fen"}});
  }
  if (c.min_attendance_percent < 0 || c.min_attendance_percent > 100) {
    errors.push_back({"min_attendance_percent", {"应为 0–100", "must be 0–100"}});
  }
  return errors;
}

std::vector<FieldError> check_attendee(Attendee& a) {
  std::vector<FieldError> errors;
  const auto trim = [](std::string& s) {
    const auto b = s.find_first_not_of(" \t");
    const auto e = s.find_last_not_of(" \t");
    s = b == std::string::npos ? "" : s.substr(b, e - b + 1);
  };
  trim(a.name);
  trim(a.title);
  accounts::check_length(errors, a.name, "attendee.name", 1, 50);
  accounts::check_length(errors, a.title, "attendee.title", 0, 50);
  if (auto m = normalise_mobile(a.mobile)) {
    a.mobile = *m;
  } else {
    errors.push_back({"attendee.mobile", m.error()});
  }
  if (!a.email.empty()) {
    if (auto e = normalise_email(a.email)) {
      a.email = *e;
    } else {
      errors.push_back({"attendee.email", e.error()});
    }
  }
  if (a.lodging.empty()) a.lodging = "none";
  if (a.lodging != "none" && a.lodging != "single" && a.lodging != "shared") {
    errors.push_back({"attendee.lodging",
                      {"住宿应为 none、single 或 shared", "must be none, single or shared"}});
  }
  return errors;
}

Placement place(const TrainingClass& c) {
  // Nobody passes the waitlist, even if the counts ever showed a free seat beside it.
  return c.confirmed < c.capacity && c.waitlisted == 0 ? Placement::confirmed
                                                       : Placement::waitlisted;
}

bool within_quota(const TrainingClass& c, int held) {
  return !c.per_member_quota || held < *c.per_member_quota;
}

std::optional<Error> signup_refusal(const TrainingClass& c, Timestamp now) {
  if (c.status != "open") {
    return make_error(ErrorCode::conflict,
                      {"该班次未开放报名", "the class is not open for sign-up"});
  }
  if (now > c.signup_deadline) {
    return make_error(ErrorCode::conflict,
                      {"报名已截止（截止时间 " + format_instant(c.signup_deadline) + "）",
                       "sign-up closed at " + format_instant(c.signup_deadline)});
  }
  return std::nullopt;
}

int promotions(const TrainingClass& c) {
  return std::max(0, std::min(c.capacity - c.confirmed, c.waitlisted));
}

std::vector<std::pair<std::string, std::string>> attendance_slots(const TrainingClass& c) {
  std::vector<std::pair<std::string, std::string>> out;
  const std::chrono::sys_days first{shanghai_date(c.starts_at)};
  const std::chrono::sys_days last{shanghai_date(c.ends_at)};
  for (auto d = first; d <= last; d += std::chrono::days(1)) {
    const std::string day = format_date(Date(d));
    out.emplace_back(day, "am");
    out.emplace_back(day, "pm");
  }
  return out;
}

bool meets_attendance_rule(const TrainingClass& c, std::size_t attended) {
  const std::size_t slots = attendance_slots(c).size();
  if (slots == 0 || attended == 0) return false;  // a certificate needs someone who came
  return attended * 100 >= slots * static_cast<std::size_t>(c.min_attendance_percent);
}

std::pair<std::string, std::string> slot_at(Timestamp t) {
  const auto local = t + kShanghaiOffset;
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const auto hour = std::chrono::duration_cast<std::chrono::hours>(local - day).count();
  return {format_date(Date(std::chrono::sys_days(day))), hour < 12 ? "am" : "pm"};
}

std::optional<Error> check_in_refusal(const TrainingClass& c,
                                      const std::pair<std::string, std::string>& when,
                                      const std::optional<std::string>& override_reason) {
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
  const auto slots = attendance_slots(c);
  if (std::ranges::find(slots, when) != slots.end() || override_reason) return std::nullopt;
  const std::string dates =
      format_date(shanghai_date(c.starts_at)) + " – " + format_date(shanghai_date(c.ends_at));
  Error e =
      make_error(ErrorCode::conflict,
                 {"签到日期 " + when.first + " 不在培训日期内（" + dates + "）",
                  "the day " + when.first + " is not one of the class's days (" + dates + ")"});
  e.fields.push_back({"day", e.message});
  return e;
}

}  // namespace xiehui::training
