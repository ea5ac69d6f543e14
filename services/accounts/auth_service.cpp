#include "services/accounts/auth_service.hpp"

#include <fmt/format.h>

#include "core/audit.hpp"
#include "core/crypto.hpp"
#include "core/time.hpp"
#include "core/validate.hpp"
#include "services/accounts/account_rules.hpp"
#include "services/accounts/session_repository.hpp"
#include "services/accounts/two_factor.hpp"
#include "services/accounts/two_factor_repository.hpp"
#include "services/accounts/user_repository.hpp"

namespace xiehui::accounts {
namespace {

namespace sr = session_repository;

Error bad_credentials() {
  return make_error(ErrorCode::unauthenticated, {"用户名或密码错误", "Wrong username or password"});
}

// A sign-in with the right password to an account with two-factor sign-in: the code is asked
// for under its field name, so a client shows the code input.
Error code_needed() {
  Error e = make_error(
      ErrorCode::unauthenticated,
      {"请输入身份验证器中的 6 位验证码", "Enter the 6-digit code from your authenticator app"});
  e.fields.push_back({"totp_code", e.message});
  return e;
}

Error code_wrong() {
  Error e = make_error(ErrorCode::unauthenticated,
                       {"验证码不正确或已使用过", "The code is wrong or was used already"});
  e.fields.push_back({"totp_code", e.message});
  return e;
}

Error session_invalid() {
  return make_error(ErrorCode::unauthenticated,
                    {"登录已过期，请重新登录", "Your session has expired, please sign in again"});
}

Error throttled(Timestamp until, Timestamp now) {
  const auto minutes = std::chrono::ceil<std::chrono::minutes>(until - now).count();
  const std::string m = std::to_string(std::max<long long>(minutes, 1));
  return make_error(ErrorCode::rate_limited,
                    {"登录失败次数过多，请 " + m + " 分钟后再试",
                     "Too many failed sign-ins, try again in " + m + " minutes"});
}

std::string user_key(std::string_view username) { return user_throttle_key(username); }
std::string address_key(std::string_view address) { return address_throttle_key(address); }
// A known address's own counter for one account, used while the account is locked.
std::string known_key(std::string_view username, std::string_view address) {
  return "known:" + std::string(address.substr(0, 64)) + "|" + std::string(username);
}

// What a client says of itself is stored for people to read: no control characters in it.
std::string printable(std::string_view text) {
  std::string out(text.substr(0, 255));
  for (char& c : out) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) c = '?';
  }
  return has_control_chars(out, false) ? std::string("?") : out;
}

AuditEntry entry_for(const Principal& who, std::string action, std::string type, std::string id,
                     std::string summary) {
  return {who.user_id,     who.username,  who.address,       std::move(action),
          std::move(type), std::move(id), std::move(summary)};
}

}  // namespace

AuthService::AuthService(db::Database& db, PasswordHasher& hasher, const Clock& clock,
                         SessionPolicy policy, CredentialCache* credentials)
    : db_(db), hasher_(hasher), clock_(clock), policy_(policy), credentials_(credentials) {
  dummy_hash_ = hasher_.hash(random_token(16));
}

std::string AuthService::csrf_for(std::string_view session_token) {
  return sha256_hex("xiehui-csrf:" + std::string(session_token));
}

Result<LoginResult> AuthService::login(std::string_view username_in, std::string_view password,
                                       std::string_view address, std::string_view user_agent,
                                       std::string_view throttle_address,
                                       std::string_view totp_code) {
  if (throttle_address.empty()) throttle_address = address;
  const std::string username = normalise_username(username_in);
  const Timestamp now = clock_.now();
  if (username.empty() || username.size() > 64 || password.size() > 4 * kMaxPasswordLength) {
    return std::unexpected(bad_credentials());
  }
  auto locked = reserve_attempt(username, address, throttle_address, now);
  if (!locked) return std::unexpected(locked.error());
  if (*locked) return std::unexpected(throttled(**locked, now));

  auto creds = db_.with_session(
      [&](soci::session& s) -> Result<std::optional<user_repository::Credentials>> {
        return user_repository::find_credentials(s, username);
      });
  if (!creds) return std::unexpected(creds.error());
  const bool known = creds->has_value() && !(*creds)->user.disabled;
  const bool ok = hasher_.verify(known ? (*creds)->password_hash : dummy_hash_, password) && known;
  if (!ok) {
    audit_failure(username, address, now);
    return std::unexpected(bad_credentials());
  }
  const User& user = (*creds)->user;
  bool setup_required = false;
  auto second = db_.with_session([&](soci::session& s) -> Result<bool> {
    const bool on = two_factor_enabled(s, user.id);
    // Staff and admins without a second factor, while one is required: a session that may
    // only set one up.
    setup_required = !on && std::ranges::any_of(user.roles, [](Role r) {
      return r == Role::staff || r == Role::admin;
    }) && two_factor_repository::required(s);
    return on;
  });
  if (!second) return std::unexpected(second.error());
  if (*second && totp_code.empty()) {
    // Not a guess: the attempt counted before the password check is given back, so asking for
    // the code costs nothing, and a wrong code still counts towards the lock.
    (void)db_.with_transaction([&](soci::session& s) -> Status {
      release_address_attempt(s, throttle_address);
      release_user_attempt(s, username);
      return {};
    });
    return std::unexpected(code_needed());
  }
  std::optional<std::string> upgraded;
  if (hasher_.needs_rehash((*creds)->password_hash)) upgraded = hasher_.hash(password);

  LoginResult result{random_token(), {}, user, setup_required};
  result.csrf_token = csrf_for(result.token);
  bool code_refused = false;
  auto stored = db_.with_transaction([&](soci::session& s) -> Status {
    code_refused = *second && !accept_two_factor_code(s, user.id, totp_code, now);
    if (code_refused) return std::unexpected(code_wrong());
    release_address_attempt(s, throttle_address);
    sr::update_throttle(s, user_key(username), sr::ThrottleRow{0, now, std::nullopt, 0});
    if (upgraded) user_repository::update_password_hash(s, user.id, *upgraded, now);
    sr::insert_session(s, sha256_hex(result.token), user.id, now, now + policy_.absolute_timeout,
                       address, printable(user_agent), setup_required);
    append_audit(s,
                 {user.id, user.username, std::string(address), "session.login", "user",
                  std::to_string(user.id), upgraded ? "password hash upgraded" : ""},
                 now);
    return {};
  });
  if (!stored) {
    if (code_refused) audit_failure(username, address, now);
    return std::unexpected(stored.error());
  }
  return result;
}

// Counts the attempt as a failure before the password is checked, in one transaction with
// the lock check: parallel guesses cannot all pass a check made before any was recorded. A
// successful login then clears the user's counter and gives the address its attempt back.
//
// The per-account lock does not lock the owner out (OWASP ASVS 2.2.1, NIST SP 800-63B 5.2.2):
// it refuses only addresses that have never signed in to the account within
// known_address_for; an address with a recent successful sign-in passes it (still bound by its
// own per-address limit). Each further lock-out of the account lasts twice as long.
Result<std::optional<Timestamp>> AuthService::reserve_attempt(std::string_view username,
                                                              std::string_view address,
                                                              std::string_view throttle_address,
                                                              Timestamp now) {
  const std::string ukey = user_key(username), akey = address_key(throttle_address),
                    kkey = known_key(username, address);
  // A locked address is refused before anything else is written: its guesses create no
  // per-username rows. A locked account is passed only by a known address, which then has a
  // counter of its own for this account.
  auto precheck = db_.with_session([&](soci::session& s) -> Result<std::optional<Timestamp>> {
    sr::ensure_throttle(s, akey, now);
    if (auto la = locked_until(sr::find_throttle(s, akey), now)) return la;
    sr::ensure_throttle(s, ukey, now);
    if (locked_until(sr::find_throttle(s, ukey), now) && known_address(s, username, address, now)) {
      sr::ensure_throttle(s, kkey, now);
    }
    return std::optional<Timestamp>{};
  });
  if (!precheck || *precheck) return precheck;
  // Every login transaction locks the address row first, then the user row: one lock order.
  return db_.with_transaction([&](soci::session& s) -> Result<std::optional<Timestamp>> {
    const auto by_addr = sr::lock_throttle(s, akey);
    const auto by_user = sr::lock_throttle(s, ukey);
    if (const auto la = locked_until(by_addr, now)) return la;
    const auto lu = locked_until(by_user, now);
    if (lu) {
      if (!known_address(s, username, address, now)) return lu;
      const auto by_known = sr::lock_throttle(s, kkey);
      if (const auto lk = locked_until(by_known, now)) return lk;
      sr::update_throttle(s, kkey, after_failure(by_known, now, policy_.per_user));
    }
    sr::update_throttle(s, akey, after_failure(by_addr, now, policy_.per_address));
    sr::update_throttle(s, ukey, after_failure(by_user, now, policy_.per_user));
    return std::optional<Timestamp>{};
  });
}

bool AuthService::known_address(soci::session& s, std::string_view username,
                                std::string_view address, Timestamp now) const {
  auto user = user_repository::find_by_username(s, username);
  return user && sr::signed_in_from(s, user->id, address, now - policy_.known_address_for);
}

void AuthService::release_address_attempt(soci::session& s, std::string_view address) {
  const std::string akey = address_key(address);
  auto row = sr::lock_throttle(s, akey);
  if (!row || row->failures <= 0) return;
  row->failures -= 1;
  if (row->failures < policy_.per_address.max_failures) row->locked_until.reset();
  sr::update_throttle(s, akey, *row);
}

void AuthService::release_user_attempt(soci::session& s, std::string_view username) {
  const std::string ukey = user_key(username);
  auto row = sr::lock_throttle(s, ukey);
  if (!row || row->failures <= 0) return;
  row->failures -= 1;
  if (row->failures < policy_.per_user.max_failures) row->locked_until.reset();
  sr::update_throttle(s, ukey, *row);
}

void AuthService::audit_failure(std::string_view username, std::string_view address,
                                Timestamp now) {
  const std::string name(username.substr(0, 64));
  (void)db_.with_transaction([&](soci::session& s) -> Status {
    append_audit(
        s, {std::nullopt, name, std::string(address), "session.login_failed", "user", name, ""},
        now);
    // The failure that locked the account: tell its owner and the admins.
    const auto row = sr::find_throttle(s, user_key(name));
    if (row && locked_until(row, now) && row->failures == policy_.per_user.max_failures) {
      if (auto user = user_repository::find_by_username(s, name)) {
        notify_lock(s, *user, address, *row->locked_until, now);
      }
    }
    return {};
  });
}

void AuthService::notify_lock(soci::session& s, const User& user, std::string_view address,
                              Timestamp until, Timestamp now) {
  const auto minutes = std::chrono::ceil<std::chrono::minutes>(until - now).count();
  const std::string addr(address);
  append_audit(s,
               {std::nullopt, user.username, addr, "session.account_locked", "user",
                std::to_string(user.id), fmt::format("locked for {} min", minutes)},
               now);
  const std::string message = fmt::format(
      "账号 {} 连续 {} 次登录失败（最近一次来自 {}），{} 分钟内只能从曾成功登录过的地址登录。"
      "如非本人操作，请修改密码或联系管理员。",
      user.username, policy_.per_user.max_failures, addr, minutes);
  std::vector<long long> recipients{user.id};
  for (long long admin : user_repository::active_admins(s)) {
    if (admin != user.id) recipients.push_back(admin);
  }
  for (long long id : recipients) {
    user_repository::insert_user_notice(s, id, "account.locked", message, now);
  }
}

namespace {

Principal principal_of(const User& user, std::string_view address) {
  Principal p;
  p.user_id = user.id;
  p.username = user.username;
  p.display_name = user.display_name;
  p.roles = user.roles;
  p.member_id = user.member_id;
  p.address = std::string(address);
  return p;
}

}  // namespace

Result<Principal> AuthService::principal_for(soci::session& s, long long user_id,
                                             std::string_view address) {
  auto user = user_repository::find_by_id(s, user_id);
  if (!user || user->disabled) return std::unexpected(session_invalid());
  return principal_of(*user, address);
}

std::optional<Principal> AuthService::remembered(CredentialKind kind, std::string_view hash,
                                                 std::string_view address, Timestamp now) const {
  if (!credentials_) return std::nullopt;
  auto who = credentials_->find(kind, hash, now);
  if (who) who->address = std::string(address);
  return who;
}

void AuthService::remember(CredentialKind kind, std::string_view hash, const Principal& who,
                           Timestamp now, Timestamp good_until, std::uint64_t generation) {
  if (credentials_) credentials_->remember(kind, hash, who, now, good_until, generation);
}

Result<Principal> AuthService::authenticate_session(std::string_view token,
                                                    std::string_view address) {
  if (token.empty() || token.size() > 128) return std::unexpected(session_invalid());
  const Timestamp now = clock_.now();
  const std::string hash = sha256_hex(token);
  if (auto who = remembered(CredentialKind::session, hash, address, now)) return std::move(*who);
  const std::uint64_t generation = credentials_ ? credentials_->generation() : 0;
  auto found =
      db_.with_session([&](soci::session& s) -> Result<std::pair<sr::SessionRow, Principal>> {
        auto row = sr::find_session_with_user(s, hash);
        if (!row || row->session.revoked || now >= row->session.expires_at ||
            now >= row->session.last_seen_at + policy_.idle_timeout || row->user.disabled) {
          return std::unexpected(session_invalid());
        }
        Principal p = principal_of(row->user, address);
        p.needs_two_factor = row->session.needs_two_factor;
        return std::pair{row->session, std::move(p)};
      });
  if (!found) return std::unexpected(found.error());
  Timestamp last_seen = found->first.last_seen_at;
  if (now - last_seen >= policy_.touch_interval) {
    // A lost touch only shortens the session's idle allowance: not worth failing the request.
    const Status touched = db_.with_transaction([&](soci::session& s) -> Status {
      sr::touch_session(s, found->first.id, now);
      return {};
    });
    if (touched) last_seen = now;
  }
  remember(CredentialKind::session, hash, found->second, now,
           std::min<Timestamp>(found->first.expires_at, last_seen + policy_.idle_timeout),
           generation);
  return found->second;
}

Result<Principal> AuthService::authenticate_token(std::string_view token,
                                                  std::string_view address) {
  if (token.empty() || token.size() > 128) return std::unexpected(session_invalid());
  const Timestamp now = clock_.now();
  const std::string hash = sha256_hex(token);
  if (auto who = remembered(CredentialKind::api_token, hash, address, now)) return std::move(*who);
  const std::uint64_t generation = credentials_ ? credentials_->generation() : 0;
  auto found =
      db_.with_session([&](soci::session& s) -> Result<std::pair<sr::TokenRow, Principal>> {
        auto row = sr::find_token_with_user(s, hash);
        if (!row || row->token.revoked || row->user.disabled) {
          return std::unexpected(session_invalid());
        }
        Principal p = principal_of(row->user, address);
        p.via_api_token = true;
        return std::pair{row->token, std::move(p)};
      });
  if (!found) return std::unexpected(found.error());
  const auto& row = found->first;
  if (!row.last_used_at || now - *row.last_used_at >= policy_.touch_interval) {
    (void)db_.with_transaction([&](soci::session& s) -> Status {
      sr::touch_token(s, row.id, now);
      return {};
    });
  }
  remember(CredentialKind::api_token, hash, found->second, now, Timestamp::max(), generation);
  return found->second;
}

Status AuthService::logout(std::string_view token, const Principal& who) {
  const Timestamp now = clock_.now();
  const std::string hash = sha256_hex(token);
  const ForgetCredentialsAfter forget(credentials_);
  return db_.with_transaction([&](soci::session& s) -> Status {
    auto row = sr::find_session(s, hash);
    if (!row) return {};
    sr::revoke_session(s, row->id, now);
    append_audit(s, entry_for(who, "session.logout", "user", std::to_string(who.user_id), ""), now);
    return {};
  });
}

Result<std::vector<ActiveSession>> AuthService::list_sessions(const Principal& who,
                                                              std::string_view current_token) {
  const Timestamp now = clock_.now();
  const std::string current = current_token.empty() ? "" : sha256_hex(current_token);
  return db_.with_session([&](soci::session& s) -> Result<std::vector<ActiveSession>> {
    std::vector<ActiveSession> out;
    for (auto& row : sr::live_sessions(s, who.user_id, now, now - policy_.idle_timeout)) {
      out.push_back({row.id, row.created_at, row.last_seen_at, row.expires_at,
                     std::move(row.address), std::move(row.user_agent),
                     !current.empty() && constant_time_equal(row.token_hash, current)});
    }
    return out;
  });
}

Result<bool> AuthService::end_session(const Principal& who, long long id,
                                      std::string_view current_token) {
  const Timestamp now = clock_.now();
  const ForgetCredentialsAfter forget(credentials_);
  return db_.with_transaction([&](soci::session& s) -> Result<bool> {
    const auto owner = sr::live_session_owner(s, id);
    if (!owner || *owner != who.user_id) {
      return std::unexpected(not_found_error({"登录会话", "session"}));
    }
    sr::revoke_session(s, id, now);
    append_audit(s, entry_for(who, "session.end", "session", std::to_string(id), ""), now);
    const auto mine =
        current_token.empty() ? std::nullopt : sr::find_session(s, sha256_hex(current_token));
    return mine && mine->id == id;
  });
}

Result<std::pair<ApiToken, std::string>> AuthService::create_token(const Principal& who,
                                                                   std::string_view name_in) {
  std::string name(name_in);
  if (name.empty()) name = "API token";
  if (utf8_length(name) > 100) {
    return std::unexpected(
        invalid_fields({{"name", {"名称最多 100 个字符", "at most 100 characters"}}}));
  }
  const Timestamp now = clock_.now();
  const std::string secret = "xh_" + random_token();
  return db_.with_transaction([&](soci::session& s) -> Result<std::pair<ApiToken, std::string>> {
    const long long id = sr::insert_token(s, sha256_hex(secret), who.user_id, name, now);
    append_audit(s, entry_for(who, "token.create", "api_token", std::to_string(id), name), now);
    return std::pair{ApiToken{id, name, now, std::nullopt, false}, secret};
  });
}

Result<std::vector<ApiToken>> AuthService::list_tokens(const Principal& who) {
  return db_.with_session([&](soci::session& s) -> Result<std::vector<ApiToken>> {
    std::vector<ApiToken> out;
    for (const auto& t : sr::list_tokens(s, who.user_id)) {
      out.push_back({t.id, t.name, t.created_at, t.last_used_at, t.revoked});
    }
    return out;
  });
}

Status AuthService::revoke_token(const Principal& who, long long id) {
  const Timestamp now = clock_.now();
  const ForgetCredentialsAfter forget(credentials_);
  return db_.with_transaction([&](soci::session& s) -> Status {
    auto row = sr::find_token_by_id(s, id);
    if (!row || row->user_id != who.user_id) {
      return std::unexpected(not_found_error({"令牌", "token"}));
    }
    sr::revoke_token(s, id, now);
    append_audit(s, entry_for(who, "token.revoke", "api_token", std::to_string(id), row->name),
                 now);
    return {};
  });
}

void AuthService::audit_refusal(const Principal& who, std::string_view method,
                                std::string_view path, std::string_view route) {
  const Timestamp now = clock_.now();
  const Timestamp minute = std::chrono::floor<std::chrono::minutes>(now);
  const std::string key = fmt::format("{} {}", method, route.substr(0, 150));
  // One audit row per user, route and minute; the further refusals of that minute are only
  // counted (access_denials), so a member hammering a refused route cannot grow the log.
  auto first = db_.with_session([&](soci::session& s) -> Result<bool> {
    return sr::count_denial(s, who.user_id, key, minute);
  });
  if (!first || !*first) return;
  (void)db_.with_transaction([&](soci::session& s) -> Status {
    append_audit(s,
                 entry_for(who, "access.denied", "route", std::string(path.substr(0, 64)),
                           fmt::format("{} {} (further refusals of this minute are counted in "
                                       "access_denials under \"{}\")",
                                       method, path.substr(0, 200), key)),
                 now);
    return {};
  });
}

}  // namespace xiehui::accounts
