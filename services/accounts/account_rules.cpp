#include "services/accounts/account_rules.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace xiehui::accounts {
namespace {

// The most common passwords of at least eight characters in public breach corpora (lower-case;
// the check is case-insensitive).
constexpr std::array<std::string_view, 60> kCommonPasswords{
    "password",   "12345678",    "123456789",  "1234567890",  "qwertyuiop", "1q2w3e4r5t",
    "password1",  "password123", "iloveyou",   "11111111",    "00000000",   "88888888",
    "66666666",   "aaaaaaaa",    "abcd1234",   "1qaz2wsx",    "qwerty123",  "qwertyui",
    "1234qwer",   "a1234567",    "abc12345",   "123123123",   "987654321",  "sunshine",
    "princess",   "football",    "baseball",   "welcome1",    "admin123",   "administrator",
    "passw0rd",   "p@ssw0rd",    "p@ssword",   "zaq12wsx",    "1qazxsw2",   "q1w2e3r4",
    "q1w2e3r4t5", "5201314520",  "woaini1314", "woaini520",   "1314520520", "147258369",
    "159357456",  "12344321",    "123456abc",  "abc123456",   "a123456789", "qq123456",
    "aa123456",   "asdfghjkl",   "zxcvbnm123", "1234567890a", "0123456789", "11223344",
    "123654789",  "changeme",    "letmein1",   "trustno1",    "xiehui123",  "xiehui2026"};

bool username_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

void check_length(std::vector<FieldError>& errors, std::string_view value, const std::string& field,
                  std::size_t min, std::size_t max) {
  const std::size_t n = utf8_length(value);
  if (n >= min && n <= max) return;
  errors.push_back({field,
                    {"应为 " + std::to_string(min) + "–" + std::to_string(max) + " 个字符",
                     std::to_string(min) + "–" + std::to_string(max) + " characters"}});
}

std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (const char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::string normalise_username(std::string_view username) {
  const auto first = username.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = username.find_last_not_of(" \t");
  return lower_ascii(username.substr(first, last - first + 1));
}

std::vector<FieldError> check_password(std::string_view username, std::string_view password,
                                       std::size_t min_length) {
  std::vector<FieldError> errors;
  const std::size_t len = utf8_length(password);
  const std::string min = std::to_string(min_length);
  if (len < min_length) {
    errors.push_back(
        {"password", {"密码至少 " + min + " 个字符", "at least " + min + " characters"}});
  } else if (len > kMaxPasswordLength) {
    errors.push_back({"password", {"密码最多 128 个字符", "at most 128 characters"}});
  } else if (lower_ascii(password) == lower_ascii(username)) {
    errors.push_back({"password", {"密码不能与用户名相同", "must differ from the username"}});
  } else if (std::ranges::find(kCommonPasswords, lower_ascii(password)) != kCommonPasswords.end()) {
    errors.push_back({"password", {"该密码过于常见，请换一个", "this password is too common"}});
  }
  return errors;
}

std::vector<FieldError> check_display_name(std::string_view name) {
  const std::size_t len = utf8_length(name);
  if (len == 0 || len > 100) return {{"display_name", {"姓名为 1–100 个字符", "1–100 characters"}}};
  return {};
}

std::vector<FieldError> check_roles(const std::vector<Role>& roles,
                                    const std::optional<long long>& member_id) {
  std::vector<FieldError> errors;
  const bool is_member = std::ranges::find(roles, Role::member) != roles.end();
  if (roles.empty()) {
    errors.push_back({"roles", {"至少选择一个角色", "choose at least one role"}});
  } else if (is_member && roles.size() > 1) {
    errors.push_back({"roles", {"会员账号不能兼任其他角色", "a member account has no other role"}});
  }
  if (is_member && !member_id) {
    errors.push_back(
        {"member_id", {"会员账号必须属于一个会员单位", "a member account needs its unit"}});
  } else if (!is_member && member_id) {
    errors.push_back(
        {"member_id", {"只有会员账号属于会员单位", "only member accounts have a unit"}});
  }
  return errors;
}

std::vector<FieldError> check_new_user(const NewUser& user, std::size_t min_password_length) {
  std::vector<FieldError> errors;
  const std::string& u = user.username;
  if (u.size() < 3 || u.size() > 64 || !std::ranges::all_of(u, username_char) ||
      !std::isalnum(static_cast<unsigned char>(u.front()))) {
    errors.push_back(
        {"username",
         {"用户名为 3–64 位小写字母、数字或 . _ -，以字母或数字开头",
          "3–64 lower-case letters, digits or . _ -, starting with a letter or digit"}});
  }
  auto append = [&errors](std::vector<FieldError> more) {
    errors.insert(errors.end(), more.begin(), more.end());
  };
  append(check_display_name(user.display_name));
  append(check_password(u, user.password, min_password_length));
  append(check_roles(user.roles, user.member_id));
  return errors;
}

}  // namespace xiehui::accounts
