#include "web/handlers/privacy.hpp"

#include "services/privacy/notice_service.hpp"
#include "services/privacy/privacy_service.hpp"
#include "services/privacy/retention_service.hpp"
#include "web/app_services.hpp"
#include "web/downloads.hpp"
#include "web/dto/privacy_json.hpp"
#include "web/json_body.hpp"
#include "web/static_files.hpp"

namespace xiehui::web::handlers {
namespace {

privacy::PrivacyService& privacy_of(RequestContext& ctx) { return ctx.services().privacy; }

}  // namespace

Response find_people(RequestContext& ctx) {
  auto r = privacy_of(ctx).find(ctx.caller(), ctx.query("mobile").value_or(""),
                                ctx.query("name").value_or(""));
  return r ? ctx.json(http::status::ok, dto::person_data_json(*r)) : ctx.error(r.error());
}

// ?format=xlsx (default) or json: the file handed to the person.
Response export_person(RequestContext& ctx) {
  const std::string format(ctx.query("format").value_or("xlsx"));
  if (format != "xlsx" && format != "json") {
    return ctx.error(
        invalid_fields({{"format", {"格式应为 xlsx 或 json", "must be xlsx or json"}}}));
  }
  auto r = privacy_of(ctx).export_data(ctx.caller(), ctx.query("mobile").value_or(""), format);
  if (!r) return ctx.error(r.error());
  if (format == "json") {
    const std::string text = boost::json::serialize(dto::person_data_json(*r));
    return download(ctx, text, "application/json", "personal-data.json", "个人信息.json");
  }
  auto bytes = privacy::person_xlsx(*r);
  if (!bytes) return ctx.error(bytes.error());
  return download(ctx, std::move(*bytes), mime_type("x.xlsx"), "personal-data.xlsx",
                  "个人信息.xlsx");
}

Response erase_person(RequestContext& ctx) {
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  auto mobile = body->string("mobile", true, 20);
  auto reason = body->text_block("reason", true, 500);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = privacy_of(ctx).erase(ctx.caller(), *mobile, *reason);
  return r ? ctx.json(http::status::ok, dto::erasure_json(*r)) : ctx.error(r.error());
}

Response correct_person(RequestContext& ctx) {
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  auto mobile = body->string("mobile", true, 20);
  privacy::PersonCorrection c{body->string("name", false, 50).value_or(""),
                              body->string("title", false, 50).value_or(""),
                              body->string("email", false, 254).value_or(""),
                              body->string("new_mobile", false, 20).value_or("")};
  auto reason = body->text_block("reason", true, 500);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = privacy_of(ctx).correct(ctx.caller(), *mobile, std::move(c), *reason);
  return r ? ctx.json(http::status::ok, {{"records", *r}}) : ctx.error(r.error());
}

Response get_retention_settings(RequestContext& ctx) {
  auto r = ctx.services().retention.settings();
  return r ? ctx.json(http::status::ok, dto::retention_settings_json(*r)) : ctx.error(r.error());
}

Response put_retention_settings(RequestContext& ctx) {
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  const auto patch = dto::read_retention_patch(*body);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = ctx.services().retention.save_settings(ctx.caller(), patch);
  return r ? ctx.json(http::status::ok, dto::retention_settings_json(*r)) : ctx.error(r.error());
}

Response run_retention(RequestContext& ctx) {
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  auto dry = body->boolean("dry_run", true);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = ctx.services().retention.run(ctx.caller(), *dry);
  return r ? ctx.json(http::status::ok, dto::retention_run_json(*r)) : ctx.error(r.error());
}

Response list_retention_runs(RequestContext& ctx) {
  auto r = ctx.services().retention.runs();
  if (!r) return ctx.error(r.error());
  boost::json::array items;
  for (const auto& run : *r) items.push_back(dto::retention_run_json(run));
  return ctx.json(http::status::ok, {{"items", std::move(items)}});
}

Response get_privacy_notice(RequestContext& ctx) {
  auto r = ctx.services().notices.current();
  return r ? ctx.json(http::status::ok, dto::notice_json(*r)) : ctx.error(r.error());
}

Response put_privacy_notice(RequestContext& ctx) {
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  auto zh = body->text_block("text_zh", true, 20000);
  auto en = body->text_block("text_en", true, 20000);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = ctx.services().notices.publish(ctx.caller(), *zh, *en);
  return r ? ctx.json(http::status::ok, dto::notice_json(*r)) : ctx.error(r.error());
}

Response accept_privacy_notice(RequestContext& ctx) {
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  auto version = dto::read_consent_version(*body);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = ctx.services().notices.accept(ctx.caller(), version);
  return r ? ctx.json(http::status::ok, dto::acceptance_json(*r)) : ctx.error(r.error());
}

}  // namespace xiehui::web::handlers
