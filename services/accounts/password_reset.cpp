#include "services/accounts/password_reset.hpp"

#include <algorithm>
#include <cctype>

#include "core/audit.hpp"
#include "core/crypto.hpp"
#include "services/accounts/account_rules.hpp"
#include "services/accounts/address_limit.hpp"
#include "services/accounts/password_reset_repository.hpp"
#include "services/accounts/session_repository.hpp"
#include "services/accounts/throttle_rules.hpp"
#include "services/accounts/user_repository.hpp"
#include "services/notifications/notification_repository.hpp"

namespace xiehui::accounts {
namespace {

namespace pr = password_reset_repository;

Error bad_token() {
  return invalid_fields(
      {{"token",
        {"重置链接无效或已过期，请重新申请", "the reset link is invalid or has expired"}}});
}

std::string lower(std::string s) {
  std::ranges::transform(s, s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

}  // namespace

Status PasswordResetService::request(const std::string& username_or_email,
                                     const std::string& address) {
  const Timestamp now = clock_.now();
  auto allowed = count_hourly(db_, "reset:" + address, policy_.per_address_per_hour, now);
  if (!allowed) return std::unexpected(allowed.error());
  if (!*allowed) {
    return std::unexpected(
        make_error(ErrorCode::rate_limited, {"重置密码的请求过于频繁，请一小时后再试",
                                             "too many reset requests; try again in an hour"}));
  }
  const std::string token = random_token(32);
  auto done = db_.with_transaction([&](soci::session& s) -> Result<bool> {
    auto user = pr::find_user(s, lower(username_or_email));
    if (!user || user->email.empty()) return false;
    // The per-account limit is counted under the user's row lock: parallel requests for one
    // account take turns, and each counts the others' tokens.
    if (!user_repository::lock_by_id(s, user->id)) return false;
    if (pr::requests_for_user_since(s, user->id, now - std::chrono::hours(1)) >=
        policy_.per_account_per_hour) {
      return false;
    }
    pr::insert_token(s, user->id, sha256_hex(token), address, now, now + policy_.lifetime);
    notifications::notify(
        s,
        {std::nullopt, user->id, "account.password_reset", "重置密码链接已发送到您的邮箱", "user",
         user->id, "A password reset link was sent to your e-mail", std::nullopt,
         policy_.base_url + "/reset-password?token=" + token},
        now);
    append_audit(s,
                 {std::nullopt, user->username, address, "user.password_reset_request", "user",
                  std::to_string(user->id), ""},
                 now);
    return true;
  });
  if (!done) return std::unexpected(done.error());
  return {};
}

Status PasswordResetService::confirm(const std::string& token, const std::string& password) {
  if (!is_token(token)) return std::unexpected(bad_token());
  const Timestamp now = clock_.now();
  const std::string digest = sha256_hex(token);
  auto user = db_.with_session([&](soci::session& s) -> Result<std::optional<User>> {
    auto id = pr::lock_token_user(s, digest, now);
    if (!id) return std::optional<User>();
    return user_repository::find_by_id(s, *id);
  });
  if (!user) return std::unexpected(user.error());
  if (!*user || (*user)->disabled) return std::unexpected(bad_token());
  if (auto errors = check_password((*user)->username, password, policy_.min_password_length);
      !errors.empty()) {
    return std::unexpected(invalid_fields(std::move(errors)));
  }
  const std::string hash = hasher_.hash(password);  // slow: outside the transaction
  const ForgetCredentialsAfter forget(credentials_);
  return db_.with_transaction([&](soci::session& s) -> Status {
    // Spent under the token row's lock: of two confirmations racing, one finds it used.
    auto id = pr::lock_token_user(s, digest, now);
    if (!id || *id != (*user)->id) return std::unexpected(bad_token());
    pr::spend_tokens(s, *id, now);
    user_repository::update_password_hash(s, *id, hash, now);
    session_repository::end_user_access(s, *id, now);
    session_repository::delete_throttle(s, user_throttle_key((*user)->username));
    append_audit(s,
                 {*id, (*user)->username, "", "user.password_reset_confirm", "user",
                  std::to_string(*id), ""},
                 now);
    return {};
  });
}

}  // namespace xiehui::accounts
