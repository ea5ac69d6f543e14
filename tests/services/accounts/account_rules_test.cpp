#include "services/accounts/account_rules.hpp"

#include <gtest/gtest.h>

namespace xiehui::accounts {
namespace {

NewUser valid_user() {
  return {"wang.mishu", "王秘书", "Correct-Horse-Battery", {Role::staff}, std::nullopt};
}

std::vector<std::string> fields_of(const std::vector<FieldError>& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(e.field);
  return out;
}

TEST(AccountRules, AValidUserHasNoErrors) { EXPECT_TRUE(check_new_user(valid_user(), 10).empty()); }

TEST(AccountRules, NormalisesUsernames) {
  EXPECT_EQ(normalise_username("  Wang.MiShu "), "wang.mishu");
  EXPECT_EQ(normalise_username("   "), "");
}

TEST(AccountRules, RejectsBadUsernames) {
  for (const std::string& name :
       std::vector<std::string>{"ab", "-abc", "has space", "中文名", std::string(65, 'a'), "a/b"}) {
    NewUser u = valid_user();
    u.username = name;
    EXPECT_EQ(fields_of(check_new_user(u, 10)), std::vector<std::string>{"username"}) << name;
  }
}

TEST(AccountRules, PasswordLengthCountsCharactersNotBytes) {
  EXPECT_TRUE(check_password("u", "湖南省开发区协会秘书处", 10).empty()) << "11 characters";
  EXPECT_FALSE(check_password("u", "湖南开发区协会", 10).empty()) << "7 characters, 21 bytes";
  EXPECT_FALSE(check_password("u", std::string(129, 'x'), 10).empty());
  EXPECT_TRUE(check_password("u", std::string(128, 'x'), 10).empty());
  EXPECT_FALSE(check_password("u", "short-pw", 10).empty());
  EXPECT_TRUE(check_password("u", "short-pw", 8).empty()) << "the minimum is configurable";
}

TEST(AccountRules, RefusesUsernameAndCommonPasswords) {
  EXPECT_FALSE(check_password("zhangsan01", "ZhangSan01", 10).empty());
  EXPECT_FALSE(check_password("u", "Password123", 10).empty());
  EXPECT_FALSE(check_password("u", "1234567890", 10).empty());
  EXPECT_TRUE(check_password("u", "any chars ✓ ok 12", 10).empty());
}

TEST(AccountRules, RoleCombinations) {
  NewUser none = valid_user();
  none.roles.clear();
  EXPECT_EQ(fields_of(check_new_user(none, 10)), std::vector<std::string>{"roles"});

  NewUser member = valid_user();
  member.roles = {Role::member};
  EXPECT_EQ(fields_of(check_new_user(member, 10)), std::vector<std::string>{"member_id"});
  member.member_id = 7;
  EXPECT_TRUE(check_new_user(member, 10).empty());
  member.roles = {Role::member, Role::staff};
  EXPECT_EQ(fields_of(check_new_user(member, 10)), std::vector<std::string>{"roles"});

  NewUser staff = valid_user();
  staff.member_id = 7;
  EXPECT_EQ(fields_of(check_new_user(staff, 10)), std::vector<std::string>{"member_id"});
}

TEST(AccountRules, RoleNamesRoundTrip) {
  for (Role r : {Role::admin, Role::staff, Role::leader, Role::member}) {
    EXPECT_EQ(parse_role(to_string(r)), r);
  }
  EXPECT_FALSE(parse_role("root").has_value());
}

}  // namespace
}  // namespace xiehui::accounts
