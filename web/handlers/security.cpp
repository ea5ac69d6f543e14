#include "web/handlers/security.hpp"

#include <boost/json.hpp>

#include "services/accounts/account_rules.hpp"
#include "services/accounts/auth_service.hpp"
#include "services/accounts/two_factor.hpp"
#include "web/app_services.hpp"
#include "web/cookies.hpp"
#include "web/dto/accounts_json.hpp"
#include "web/json_body.hpp"

namespace xiehui::web::handlers {
namespace {

accounts::TwoFactorService& two_factor_of(RequestContext& ctx) { return ctx.services().two_factor; }

// {"code"}: the six digits from the authenticator app.
Result<std::string> read_code(RequestContext& ctx) {
  auto body = JsonBody::parse(ctx);
  if (!body) return std::unexpected(body.error());
  auto code = body->string("code", true, 10);
  if (auto st = body->finish(); !st) return std::unexpected(st.error());
  return *code;
}

Response status_answer(RequestContext& ctx) {
  auto r = two_factor_of(ctx).status(ctx.caller());
  return r ? ctx.json(http::status::ok, dto::two_factor_json(*r)) : ctx.error(r.error());
}

}  // namespace

Response get_two_factor(RequestContext& ctx) { return status_answer(ctx); }

Response begin_two_factor(RequestContext& ctx) {
  auto r = two_factor_of(ctx).begin(ctx.caller());
  if (!r) return ctx.error(r.error());
  return ctx.json(http::status::ok,
                  {{"secret", r->secret}, {"uri", r->uri}, {"qr_svg", r->qr_svg}});
}

Response confirm_two_factor(RequestContext& ctx) {
  auto code = read_code(ctx);
  if (!code) return ctx.error(code.error());
  if (auto st = two_factor_of(ctx).confirm(ctx.caller(), *code); !st) return ctx.error(st.error());
  return status_answer(ctx);
}

Response disable_two_factor(RequestContext& ctx) {
  auto code = read_code(ctx);
  if (!code) return ctx.error(code.error());
  if (auto st = two_factor_of(ctx).disable(ctx.caller(), *code); !st) return ctx.error(st.error());
  return status_answer(ctx);
}

Response reset_two_factor(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), {"用户", "user"});
  if (!id) return ctx.error(id.error());
  auto st = two_factor_of(ctx).reset(ctx.caller(), *id);
  return st ? ctx.no_content() : ctx.error(st.error());
}

Response list_my_sessions(RequestContext& ctx) {
  auto r = ctx.services().auth.list_sessions(ctx.caller(), ctx.session_token);
  if (!r) return ctx.error(r.error());
  boost::json::array items;
  for (const auto& s : *r) items.push_back(dto::active_session_json(s));
  return ctx.json(http::status::ok, {{"items", std::move(items)}});
}

Response end_my_session(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), {"登录会话", "session"});
  if (!id) return ctx.error(id.error());
  auto own = ctx.services().auth.end_session(ctx.caller(), *id, ctx.session_token);
  if (!own) return ctx.error(own.error());
  Response res = ctx.no_content();
  // Ending the session one is using signs out, as DELETE /api/session does.
  if (*own) res.set(http::field::set_cookie, expired_session_cookie(ctx.services().secure_cookies));
  return res;
}

// What a security review asks about, as this server runs: read-only (the settings are the
// configuration file's; docs/DEPLOY.md).
Response security_settings(RequestContext& ctx) {
  const auto& policy = ctx.services().auth.policy();
  auto required = ctx.services().two_factor.required();
  if (!required) return ctx.error(required.error());
  return ctx.json(http::status::ok, {{"password_min_length", ctx.services().min_password_length},
                                     {"password_max_length", accounts::kMaxPasswordLength},
                                     {"session_idle_minutes", policy.idle_timeout.count()},
                                     {"session_absolute_minutes", policy.absolute_timeout.count()},
                                     {"login_max_failures", policy.per_user.max_failures},
                                     {"login_lockout_minutes", policy.per_user.lockout.count()},
                                     {"two_factor", "totp"},
                                     {"password_hash", "argon2id"},
                                     {"secure_cookies", ctx.services().secure_cookies},
                                     {"require_two_factor", *required}});
}

Response put_security_settings(RequestContext& ctx) {
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  auto on = body->boolean("require_two_factor", true);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = ctx.services().two_factor.set_required(ctx.caller(), *on);
  return r ? security_settings(ctx) : ctx.error(r.error());
}

}  // namespace xiehui::web::handlers
