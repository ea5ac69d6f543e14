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

places::Seats seats_of(const TrainingClass& c) { return {c.capacity, c.confirmed, c.waitlisted}; }

Placement place(const TrainingClass& c) { return places::place(seats_of(c)); }

bool within_quota(const TrainingClass& c, int held) {
  return places::within_quota(c.per_member_quota, held);
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

int promotions(const TrainingClass& c) { return places::promotions(seats_of(c)); }

std::vector<std::pair<std::string, std::string>> attendance_slots(const TrainingClass& c) {
  return places::attendance_slots(shanghai_date(c.starts_at), shanghai_date(c.ends_at));
}

bool meets_attendance_rule(const TrainingClass& c, std::size_t attended) {
  const std::size_t slots = attendance_slots(c).size();
  if (slots == 0 || attended == 0) return false;  // a certificate needs someone who came
  return attended * 100 >= slots * static_cast<std::size_t>(c.min_attendance_percent);
}

std::pair<std::string, std::string> slot_at(Timestamp t) { return places::slot_at(t); }

std::optional<Error> check_in_refusal(const TrainingClass& c,
                                      const std::pair<std::string, std::string>& when,
                                      const std::optional<std::string>& override_reason) {
  return places::check_in_refusal(shanghai_date(c.starts_at), shanghai_date(c.ends_at), when,
                                  override_reason, {"培训日期", "the class's days"});
}

}  // namespace xiehui::training
