#include "services/membership/membership_rules.hpp"

#include <algorithm>
#include <array>

#include "services/accounts/account_rules.hpp"

namespace xiehui::membership {
namespace {

constexpr std::array<std::string_view, 5> kTiers{"member", "council", "standing_council",
                                                 "vice_president", "president"};
constexpr std::array<std::string_view, 6> kTypes{"development_zone", "customs_zone",
                                                 "industrial_park",  "research_institute",
                                                 "platform_company", "individual"};
constexpr std::array<std::string_view, 3> kLevels{"national", "provincial", "other"};

std::string trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

bool is_tier(std::string_view t) { return std::ranges::find(kTiers, t) != kTiers.end(); }
bool is_org_type(std::string_view t) { return std::ranges::find(kTypes, t) != kTypes.end(); }
bool is_org_level(std::string_view l) { return std::ranges::find(kLevels, l) != kLevels.end(); }

std::vector<FieldError> check_contact(MemberContact& c) {
  std::vector<FieldError> errors;
  c.person.name = trimmed(c.person.name);
  c.person.title = trimmed(c.person.title);
  const std::size_t n = accounts::utf8_length(c.person.name);
  if (n == 0 || n > 50) errors.push_back({"name", {"姓名为 1–50 个字符", "1–50 characters"}});
  if (accounts::utf8_length(c.person.title) > 50) {
    errors.push_back({"title", {"职务最多 50 个字符", "at most 50 characters"}});
  }
  if (auto mobile = normalise_mobile(c.person.mobile)) {
    c.person.mobile = *mobile;
  } else {
    errors.push_back({"mobile", mobile.error()});
  }
  if (!trimmed(c.person.email).empty()) {
    if (auto email = normalise_email(c.person.email)) {
      c.person.email = *email;
    } else {
      errors.push_back({"email", email.error()});
    }
  } else {
    c.person.email.clear();
  }
  if (c.role != "representative" && c.role != "liaison" && c.role != "finance") {
    errors.push_back({"role",
                      {"应为 representative、liaison 或 finance",
                       "must be representative, liaison or finance"}});
  }
  return errors;
}

std::string mask_mobile(const std::string& mobile) {
  if (mobile.size() != 11) return "****";
  return mobile.substr(0, 3) + "****" + mobile.substr(7);
}

bool is_member_status(std::string_view s) {
  return s == "active" || s == "lapsed" || s == "suspended" || s == "withdrawn" || s == "expelled";
}

bool status_change_allowed(std::string_view from, std::string_view to, bool by_dues) {
  if (!is_member_status(from) || !is_member_status(to) || from == to) return false;
  if (from == "expelled") return false;
  if (to == "lapsed") return by_dues && from == "active";
  if (from == "withdrawn") return to == "active";
  return true;
}

std::vector<FieldError> check_organisation(Organisation& org, std::span<const Division> cities) {
  std::vector<FieldError> errors;
  const auto text = [&](std::string& value, const char* field, std::size_t min, std::size_t max) {
    value = trimmed(value);
    accounts::check_length(errors, value, field, min, max);
  };
  text(org.name, "name", 2, 100);
  if (trimmed(org.short_name).empty() && accounts::utf8_length(org.name) <= 50) {
    org.short_name = org.name;
  }
  if (trimmed(org.short_name).empty()) {
    errors.push_back({"short_name", {"单位名称超过 50 字，请填写简称", "give a short name"}});
  } else {
    text(org.short_name, "short_name", 1, 50);
  }
  text(org.address, "address", 0, 200);
  if (auto uscc = normalise_uscc(org.uscc)) {
    org.uscc = *uscc;
  } else {
    errors.push_back({"uscc", uscc.error()});
  }
  if (!is_org_type(org.type)) {
    errors.push_back({"type", {"请选择单位类型", "choose the organisation type"}});
  }
  if (!is_org_level(org.level)) {
    errors.push_back(
        {"level", {"请选择级别：国家级、省级或其他", "choose national, provincial or other"}});
  }
  if (!find_division(cities, org.city_code)) {
    errors.push_back({"city_code", {"请选择所在市州", "choose the host city"}});
  }
  return errors;
}

std::vector<FieldError> check_application(ApplicationInput& in, std::span<const Division> cities,
                                          std::size_t min_password_length) {
  std::vector<FieldError> errors = check_organisation(in.org, cities);
  for (auto& e : errors) e.field = "org." + e.field;
  const auto text = [&](std::string& value, const char* field, std::size_t min, std::size_t max) {
    value = trimmed(value);
    accounts::check_length(errors, value, field, min, max);
  };
  text(in.contact.name, "contact.name", 1, 50);
  text(in.contact.title, "contact.title", 0, 50);
  if (auto mobile = normalise_mobile(in.contact.mobile)) {
    in.contact.mobile = *mobile;
  } else {
    errors.push_back({"contact.mobile", mobile.error()});
  }
  if (auto email = normalise_email(in.contact.email)) {
    in.contact.email = *email;
  } else {
    errors.push_back({"contact.email", email.error()});
  }
  accounts::NewUser account{
      accounts::normalise_username(in.username), in.contact.name, in.password, {Role::member}, 1};
  in.username = account.username;
  for (auto& e : accounts::check_new_user(account, min_password_length)) {
    if (e.field == "username" || e.field == "password") {
      errors.push_back({"account." + e.field, std::move(e.message)});
    }
  }
  return errors;
}

}  // namespace xiehui::membership
