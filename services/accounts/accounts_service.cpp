#include "services/accounts/accounts_service.hpp"

#include <sodium.h>

#include "services/accounts/account_rules.hpp"
#include "services/accounts/user_repository.hpp"

namespace xiehui::accounts {
namespace {

Error username_taken() {
  Error e = make_error(ErrorCode::already_exists, {"用户名已被使用", "The username is taken"});
  e.fields.push_back({"username", {"用户名已被使用", "already taken"}});
  return e;
}

}  // namespace

std::string generate_password() {
  static constexpr std::string_view kAlphabet =
      "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  std::string out;
  for (int i = 0; i < 20; ++i) {
    out += kAlphabet[randombytes_uniform(static_cast<std::uint32_t>(kAlphabet.size()))];
  }
  return out;
}

Result<User> AccountsService::create_user(NewUser user) {
  user.username = normalise_username(user.username);
  if (auto errors = check_new_user(user, policy_.min_password_length); !errors.empty()) {
    return std::unexpected(invalid_fields(std::move(errors)));
  }
  const std::string hash = hasher_.hash(user.password);  // slow: outside the transaction
  const Timestamp now = clock_.now();
  auto created = db_.with_transaction([&](soci::session& s) -> Result<User> {
    if (user_repository::find_by_username(s, user.username)) {
      return std::unexpected(username_taken());
    }
    user_repository::insert(s, user, hash, now);
    return *user_repository::find_by_username(s, user.username);
  });
  if (!created && created.error().code == ErrorCode::already_exists) {
    return std::unexpected(username_taken());  // lost a race to the unique index
  }
  return created;
}

Result<std::optional<std::string>> AccountsService::ensure_initial_admin(
    std::optional<std::string> password) {
  auto admins = db_.with_session([](soci::session& s) -> Result<long long> {
    return user_repository::count_active_admins(s);
  });
  if (!admins) return std::unexpected(admins.error());
  if (*admins > 0) return std::optional<std::string>{};
  const bool generated = !password.has_value();
  NewUser admin{"admin", "系统管理员", password.value_or(generate_password()), {Role::admin}, {}};
  auto created = create_user(admin);
  if (!created) {
    if (created.error().code == ErrorCode::already_exists) {
      auto now_admins = db_.with_session([](soci::session& s) -> Result<long long> {
        return user_repository::count_active_admins(s);
      });
      if (now_admins && *now_admins > 0) return std::optional<std::string>{};  // lost a race
      return std::unexpected(make_error(
          ErrorCode::conflict,
          {"用户 admin 已存在但不是有效的管理员：请用 xiehui user add 创建管理员",
           "user admin exists but is not an active admin: create one with xiehui user add"}));
    }
    return std::unexpected(created.error());
  }
  return generated ? std::optional<std::string>(admin.password) : std::optional<std::string>{};
}

}  // namespace xiehui::accounts
