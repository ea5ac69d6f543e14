#include "web/handlers/accounts.hpp"

#include "web/client_address.hpp"

#include <boost/json.hpp>

#include "services/accounts/accounts_service.hpp"
#include "services/accounts/auth_service.hpp"
#include "services/privacy/notice_service.hpp"
#include "web/app_services.hpp"
#include "web/cookies.hpp"
#include "web/dto/accounts_json.hpp"
#include "web/dto/privacy_json.hpp"
#include "web/json_body.hpp"

namespace xiehui::web::handlers {
namespace {

const Text kUser{"用户", "user"};

// The session answer: the user, the CSRF token, and the privacy notice the user accepted (the
// UI asks again when it is not the one in force).
Result<boost::json::object> session_json(RequestContext& ctx, const Principal& p,
                                         std::string_view session_token) {
  auto accepted = ctx.services().notices.acceptance(p.user_id);
  if (!accepted) return std::unexpected(accepted.error());
  return boost::json::object{
      {"user", dto::session_user_json(p.user_id, p.username, p.display_name, p.roles, p.member_id)},
      {"csrf_token", session_token.empty()
                         ? boost::json::value(nullptr)
                         : boost::json::value(accounts::AuthService::csrf_for(session_token))},
      {"privacy", dto::acceptance_json(*accepted)},
      {"two_factor_setup_required", p.needs_two_factor}};
}

// Roles by name; an unknown name is a field error.
std::optional<std::vector<Role>> read_roles(JsonBody& body, bool required) {
  auto names = body.string_array("roles", required, 4, 20);
  if (!names) return std::nullopt;
  std::vector<Role> roles;
  for (const auto& n : *names) {
    auto r = parse_role(n);
    if (!r) {
      body.fail("roles", {"未知角色 " + n, "unknown role " + n});
      return std::nullopt;
    }
    roles.push_back(*r);
  }
  return roles;
}

}  // namespace

Response login(RequestContext& ctx) {
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  auto username = body->string("username", true, 64);
  auto password = body->secret("password", true, 512);
  auto code = body->string("totp_code", false, 10);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = ctx.services().auth.login(*username, *password, ctx.peer.address,
                                     ctx.request[http::field::user_agent],
                                     rate_limit_key(ctx.peer.address), code.value_or(""));
  if (!r) return ctx.error(r.error());
  const auto& u = r->user;
  Principal signed_in{u.id,        u.username, u.display_name, u.roles,
                      u.member_id, {},         false,          r->two_factor_setup_required};
  auto answer = session_json(ctx, signed_in, r->token);
  if (!answer) return ctx.error(answer.error());
  Response res = ctx.json(http::status::ok, std::move(*answer));
  res.set(http::field::set_cookie, session_cookie(r->token, ctx.services().secure_cookies));
  return res;
}

Response current_session(RequestContext& ctx) {
  if (!ctx.principal) {
    return ctx.error(make_error(ErrorCode::unauthenticated, {"未登录", "Not signed in"}));
  }
  auto answer = session_json(ctx, *ctx.principal, ctx.session_token);
  return answer ? ctx.json(http::status::ok, std::move(*answer)) : ctx.error(answer.error());
}

Response logout(RequestContext& ctx) {
  if (!ctx.session_token.empty()) {
    if (auto st = ctx.services().auth.logout(ctx.session_token, ctx.caller()); !st) {
      return ctx.error(st.error());
    }
  }
  Response res = ctx.no_content();
  res.set(http::field::set_cookie, expired_session_cookie(ctx.services().secure_cookies));
  return res;
}

Response list_users(RequestContext& ctx) {
  auto paging = parse_paging(ctx);
  if (!paging) return ctx.error(paging.error());
  auto page = ctx.services().accounts.list_users(ctx.query("q").value_or(""), paging->page,
                                                 paging->page_size);
  if (!page) return ctx.error(page.error());
  boost::json::array items;
  for (const auto& u : page->items) items.push_back(dto::user_json(u));
  return ctx.json(http::status::ok, {{"items", std::move(items)},
                                     {"total", page->total},
                                     {"page", paging->page},
                                     {"page_size", paging->page_size}});
}

Response create_user(RequestContext& ctx) {
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  accounts::NewUser u;
  u.username = body->string("username", true, 64).value_or("");
  u.display_name = body->string("display_name", true, 100).value_or("");
  u.password = body->secret("password", true, 512).value_or("");
  u.roles = read_roles(*body, true).value_or(std::vector<Role>{});
  u.member_id = body->nullable_integer("member_id", 1, INT64_MAX).value_or(std::nullopt);
  u.email = body->nullable_string("email", 200).value_or(std::nullopt);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = ctx.services().accounts.create_user(std::move(u), ctx.caller());
  return r ? ctx.json(http::status::created, dto::user_json(*r)) : ctx.error(r.error());
}

Response get_user(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kUser);
  if (!id) return ctx.error(id.error());
  auto r = ctx.services().accounts.get_user(*id);
  return r ? ctx.json(http::status::ok, dto::user_json(*r)) : ctx.error(r.error());
}

Response update_user(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kUser);
  if (!id) return ctx.error(id.error());
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  accounts::UserPatch patch;
  patch.display_name = body->string("display_name", false, 100);
  if (body->has("roles")) patch.roles = read_roles(*body, true);
  patch.disabled = body->boolean("disabled", false);
  patch.member_id = body->nullable_integer("member_id", 1, INT64_MAX);
  patch.email = body->nullable_string("email", 200);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = ctx.services().accounts.update_user(*id, patch, ctx.caller());
  return r ? ctx.json(http::status::ok, dto::user_json(*r)) : ctx.error(r.error());
}

Response set_password(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kUser);
  if (!id) return ctx.error(id.error());
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  auto password = body->secret("password", true, 512);
  auto current = body->secret("current_password", false, 512);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = ctx.services().accounts.set_password(*id, *password, current, ctx.caller());
  return r ? ctx.no_content() : ctx.error(r.error());
}

Response create_token(RequestContext& ctx) {
  auto body = JsonBody::parse_optional(ctx);
  if (!body) return ctx.error(body.error());
  auto name = body->string("name", false, 100);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = ctx.services().auth.create_token(ctx.caller(), name.value_or(""));
  if (!r) return ctx.error(r.error());
  boost::json::object out = dto::token_json(r->first);
  out["token"] = r->second;
  return ctx.json(http::status::created, out);
}

Response list_tokens(RequestContext& ctx) {
  auto r = ctx.services().auth.list_tokens(ctx.caller());
  if (!r) return ctx.error(r.error());
  boost::json::array items;
  for (const auto& t : *r) items.push_back(dto::token_json(t));
  return ctx.json(http::status::ok, {{"items", std::move(items)}});
}

Response revoke_token(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), {"令牌", "token"});
  if (!id) return ctx.error(id.error());
  auto r = ctx.services().auth.revoke_token(ctx.caller(), *id);
  return r ? ctx.no_content() : ctx.error(r.error());
}

}  // namespace xiehui::web::handlers
