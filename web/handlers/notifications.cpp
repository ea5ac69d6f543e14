#include "web/handlers/notifications.hpp"

#include <boost/json.hpp>

#include "services/accounts/password_reset.hpp"
#include "services/notifications/notification_service.hpp"
#include "web/app_services.hpp"
#include "web/client_address.hpp"
#include "web/dto/notifications_json.hpp"
#include "web/json_body.hpp"

namespace xiehui::web::handlers {
namespace {

const Text kNotification{"通知", "notification"};
const Text kMessage{"待发消息", "outbox message"};

notifications::NotificationService& svc(RequestContext& ctx) {
  return ctx.services().notifications;
}

std::string locale_of(const RequestContext& ctx) { return ctx.lang == Lang::en ? "en" : "zh-CN"; }

// ?locale= for templates: the language of the template, not of the caller.
std::string template_locale(const RequestContext& ctx) {
  return ctx.query("locale").value_or(locale_of(ctx));
}

// A query value from a fixed list, or invalid_argument naming it.
Result<std::string> one_of(const RequestContext& ctx, const char* name,
                           std::initializer_list<std::string_view> allowed) {
  auto v = ctx.query(name);
  if (!v || v->empty()) return std::string();
  if (std::ranges::find(allowed, *v) != allowed.end()) return *v;
  return std::unexpected(invalid_fields({{name, {"取值无效", "not an allowed value"}}}));
}

notifications::Template read_template(JsonBody& body) {
  return {body.string("subject", true, 400).value_or(""),
          body.text_block("body", true, 20000).value_or(""),
          body.text_block("sms", true, 1000).value_or("")};
}

}  // namespace

Response list_notifications(RequestContext& ctx) {
  auto paging = parse_paging(ctx);
  auto unread = query_flag(ctx, "unread", false);
  if (!paging || !unread) return ctx.error(!paging ? paging.error() : unread.error());
  notifications::InboxFilter f{*unread, ctx.query("kind").value_or(""), paging->page,
                               paging->page_size};
  auto r = svc(ctx).inbox(ctx.caller(), f, locale_of(ctx));
  return r ? ctx.json(http::status::ok, dto::inbox_json(*r, f.page, f.page_size))
           : ctx.error(r.error());
}

Response unread_notifications(RequestContext& ctx) {
  auto r = svc(ctx).unread_count(ctx.caller());
  return r ? ctx.json(http::status::ok, {{"unread", *r}}) : ctx.error(r.error());
}

Response read_notification(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kNotification);
  if (!id) return ctx.error(id.error());
  auto r = svc(ctx).mark_read(*id, ctx.caller());
  return r ? ctx.no_content() : ctx.error(r.error());
}

Response read_all_notifications(RequestContext& ctx) {
  auto r = svc(ctx).mark_all_read(ctx.caller());
  return r ? ctx.json(http::status::ok, {{"marked", *r}}) : ctx.error(r.error());
}

Response get_notification_preferences(RequestContext& ctx) {
  auto r = svc(ctx).preferences(ctx.caller());
  return r ? ctx.json(http::status::ok, dto::preferences_json(*r, ctx.lang)) : ctx.error(r.error());
}

Response put_notification_preferences(RequestContext& ctx) {
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  JsonBody kinds = body->object("kinds");
  std::map<std::string, notifications::ChannelChoice> choices;
  for (const std::string& kind : kinds.keys()) {
    JsonBody one = kinds.object(kind);
    choices[kind] = {one.boolean("email", true).value_or(true),
                     one.boolean("sms", true).value_or(false)};
    one.boolean("in_app", false);  // always on: accepted as sent back, never stored
    kinds.absorb(one);
  }
  body->absorb(kinds);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = svc(ctx).set_preferences(choices, ctx.caller());
  return r ? ctx.json(http::status::ok, dto::preferences_json(*r, ctx.lang)) : ctx.error(r.error());
}

Response get_account(RequestContext& ctx) {
  auto r = svc(ctx).account(ctx.caller());
  return r ? ctx.json(http::status::ok, dto::account_json(*r)) : ctx.error(r.error());
}

Response patch_account(RequestContext& ctx) {
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  notifications::AccountPatch patch{body->nullable_string("email", 200),
                                    body->string("locale", false, 8)};
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = svc(ctx).update_account(patch, ctx.caller());
  return r ? ctx.json(http::status::ok, dto::account_json(*r)) : ctx.error(r.error());
}

Response list_outbox(RequestContext& ctx) {
  auto paging = parse_paging(ctx);
  auto status =
      one_of(ctx, "status", {"pending", "sending", "sent", "failed", "dead", "cancelled"});
  auto channel = one_of(ctx, "channel", {"email", "sms"});
  if (!paging || !status || !channel) {
    return ctx.error(!paging ? paging.error() : !status ? status.error() : channel.error());
  }
  auto r = svc(ctx).outbox({*status, *channel, paging->page, paging->page_size});
  return r ? ctx.json(http::status::ok, dto::outbox_json(*r, paging->page, paging->page_size))
           : ctx.error(r.error());
}

Response retry_outbox(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kMessage);
  if (!id) return ctx.error(id.error());
  auto r = svc(ctx).retry(*id, ctx.caller());
  return r ? ctx.json(http::status::ok, dto::outbox_message_json(*r)) : ctx.error(r.error());
}

Response cancel_outbox(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kMessage);
  if (!id) return ctx.error(id.error());
  auto r = svc(ctx).cancel(*id, ctx.caller());
  return r ? ctx.json(http::status::ok, dto::outbox_message_json(*r)) : ctx.error(r.error());
}

Response list_notification_templates(RequestContext& ctx) {
  auto r = svc(ctx).templates();
  return r ? ctx.json(http::status::ok, dto::templates_json(*r, ctx.lang)) : ctx.error(r.error());
}

Response get_notification_template(RequestContext& ctx) {
  auto r = svc(ctx).get_template(std::string(ctx.param("kind")), template_locale(ctx));
  return r ? ctx.json(http::status::ok, dto::template_json(*r, ctx.lang)) : ctx.error(r.error());
}

Response put_notification_template(RequestContext& ctx) {
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  const std::string locale = body->string("locale", true, 8).value_or("");
  const notifications::Template t = read_template(*body);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = svc(ctx).save_template(std::string(ctx.param("kind")), locale, t, ctx.caller());
  return r ? ctx.json(http::status::ok, dto::template_json(*r, ctx.lang)) : ctx.error(r.error());
}

Response delete_notification_template(RequestContext& ctx) {
  auto r =
      svc(ctx).reset_template(std::string(ctx.param("kind")), template_locale(ctx), ctx.caller());
  return r ? ctx.no_content() : ctx.error(r.error());
}

Response preview_notification_template(RequestContext& ctx) {
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  const std::string locale = body->string("locale", true, 8).value_or("");
  const notifications::Template t = read_template(*body);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = svc(ctx).preview(std::string(ctx.param("kind")), locale, t);
  return r ? ctx.json(http::status::ok, dto::preview_json(*r)) : ctx.error(r.error());
}

Response request_password_reset(RequestContext& ctx) {
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  const std::string who = body->string("username_or_email", true, 200).value_or("");
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = ctx.services().password_reset.request(who, rate_limit_key(ctx.peer.address));
  return r ? ctx.json(http::status::accepted, {{"status", "accepted"}}) : ctx.error(r.error());
}

Response confirm_password_reset(RequestContext& ctx) {
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  const std::string token = body->string("token", true, 100).value_or("");
  const std::string password = body->secret("password", true, 512).value_or("");
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = ctx.services().password_reset.confirm(token, password);
  return r ? ctx.no_content() : ctx.error(r.error());
}

}  // namespace xiehui::web::handlers
