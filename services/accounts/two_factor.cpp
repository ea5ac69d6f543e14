#include "services/accounts/two_factor.hpp"

#include "core/audit.hpp"
#include "core/crypto.hpp"
#include "core/qr_code.hpp"
#include "core/totp.hpp"
#include "services/accounts/session_repository.hpp"
#include "services/accounts/two_factor_repository.hpp"
#include "services/accounts/user_repository.hpp"

namespace xiehui::accounts {
namespace {

namespace repo = two_factor_repository;

// 160 bits, the length RFC 4226 recommends for HMAC-SHA1.
constexpr std::size_t kSecretBytes = 20;
constexpr const char* kIssuer = "xiehui";

Error bad_code() {
  return invalid_fields({{"code",
                          {"验证码不正确或已使用过，请输入身份验证器中当前的 6 位验证码",
                           "the code is wrong or was used already: enter the current 6-digit "
                           "code from your authenticator app"}}});
}

std::optional<std::int64_t> check(const repo::TotpRow& row, std::string_view code, Timestamp now) {
  const auto secret = base32_decode(row.secret);
  if (!secret) return std::nullopt;
  return totp_accept(*secret, code, now,
                     row.last_step > 0 ? std::optional<std::int64_t>(row.last_step) : std::nullopt);
}

}  // namespace

bool two_factor_enabled(soci::session& s, long long user_id) {
  const auto row = repo::find(s, user_id, false);
  return row && row->confirmed;
}

bool accept_two_factor_code(soci::session& s, long long user_id, std::string_view code,
                            Timestamp now) {
  const auto row = repo::find(s, user_id, true);
  if (!row || !row->confirmed) return false;
  const auto step = check(*row, code, now);
  if (!step) return false;
  repo::set_last_step(s, user_id, *step);
  return true;
}

Result<TwoFactorStatus> TwoFactorService::status(const Principal& who) {
  return db_.with_session([&](soci::session& s) -> Result<TwoFactorStatus> {
    const auto row = repo::find(s, who.user_id, false);
    if (!row) return TwoFactorStatus{};
    return TwoFactorStatus{row->confirmed, !row->confirmed, row->confirmed_at};
  });
}

Result<TwoFactorSetup> TwoFactorService::begin(const Principal& who) {
  const Timestamp now = clock_.now();
  const std::vector<unsigned char> secret = random_bytes(kSecretBytes);
  TwoFactorSetup setup{base32_encode(secret), totp_uri(kIssuer, who.username, secret), {}};
  auto svg = qr_svg(setup.uri);
  if (!svg) return std::unexpected(svg.error());
  setup.qr_svg = std::move(*svg);
  auto stored = db_.with_transaction([&](soci::session& s) -> Status {
    const auto row = repo::find(s, who.user_id, true);
    if (row && row->confirmed) {
      return std::unexpected(make_error(
          ErrorCode::conflict, {"两步验证已开启：如需更换手机，请先关闭再重新设置",
                                "Two-factor sign-in is on already: turn it off first to move it "
                                "to another phone"}));
    }
    repo::put_pending(s, who.user_id, setup.secret, now);
    audit_as(s, who, "two_factor.begin", "user", who.user_id, "", now);
    return {};
  });
  if (!stored) return std::unexpected(stored.error());
  return setup;
}

Status TwoFactorService::confirm(const Principal& who, std::string_view code) {
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Status {
    const auto row = repo::find(s, who.user_id, true);
    if (!row || row->confirmed) {
      return std::unexpected(make_error(
          ErrorCode::conflict, {"没有待确认的两步验证设置，请重新开始设置",
                                "There is no two-factor setup waiting for a code: start again"}));
    }
    const auto step = check(*row, code, now);
    if (!step) return std::unexpected(bad_code());
    repo::confirm(s, who.user_id, *step, now);
    // Sessions held back until a second factor was set up are free now.
    repo::mark_sessions(s, false, who.user_id);
    audit_as(s, who, "two_factor.enable", "user", who.user_id, "", now);
    if (credentials_) credentials_->forget_all();
    return {};
  });
}

Result<bool> TwoFactorService::required() {
  return db_.with_session([](soci::session& s) -> Result<bool> { return repo::required(s); });
}

Result<bool> TwoFactorService::set_required(const Principal& admin, bool on) {
  const Timestamp now = clock_.now();
  const ForgetCredentialsAfter forget(credentials_);
  return db_.with_transaction([&](soci::session& s) -> Result<bool> {
    repo::set_required(s, on, now);
    repo::mark_sessions(s, on);
    audit_as(s, admin, "two_factor.require", "settings", 0, on ? "on" : "off", now);
    return on;
  });
}

Status TwoFactorService::disable(const Principal& who, std::string_view code) {
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Status {
    const auto row = repo::find(s, who.user_id, true);
    if (!row || !row->confirmed) {
      return std::unexpected(
          make_error(ErrorCode::conflict, {"两步验证未开启", "Two-factor sign-in is not on"}));
    }
    if (!check(*row, code, now)) return std::unexpected(bad_code());
    repo::remove(s, who.user_id);
    audit_as(s, who, "two_factor.disable", "user", who.user_id, "", now);
    return {};
  });
}

Status TwoFactorService::reset(const Principal& admin, long long user_id) {
  if (user_id == admin.user_id) {
    // A stolen session must not be enough to strip its own account's second factor.
    return std::unexpected(make_error(
        ErrorCode::conflict, {"自己的两步验证请在“账号安全”中用验证码关闭",
                              "Turn your own second factor off under Account security, with a "
                              "code"}));
  }
  const Timestamp now = clock_.now();
  const ForgetCredentialsAfter forget(credentials_);
  return db_.with_transaction([&](soci::session& s) -> Status {
    if (!user_repository::find_by_id(s, user_id)) {
      return std::unexpected(not_found_error({"用户", "user"}));
    }
    const auto row = repo::find(s, user_id, true);
    if (!row || !row->confirmed) {
      return std::unexpected(make_error(ErrorCode::not_found,
                                        {"该用户未开启两步验证", "The user has no second factor"}));
    }
    repo::remove(s, user_id);
    session_repository::end_user_access(s, user_id, now);
    audit_as(s, admin, "two_factor.reset", "user", user_id, "", now);
    return {};
  });
}

}  // namespace xiehui::accounts
