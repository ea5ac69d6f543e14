// Applications, decisions on delegates, passes and check-in.

#include <boost/json.hpp>

#include "core/qr_code.hpp"
#include "core/table_export.hpp"
#include "core/time.hpp"
#include "services/visits/visit_service.hpp"
#include "web/app_services.hpp"
#include "web/downloads.hpp"
#include "web/dto/privacy_json.hpp"
#include "web/dto/visits_json.hpp"
#include "web/handlers/visits.hpp"
#include "web/json_body.hpp"
#include "web/static_files.hpp"

namespace xiehui::web::handlers {
namespace {

const Text kVisit{"考察活动", "visit"};
const Text kDelegate{"考察团员", "delegate"};
const Text kApplication{"考察申请", "application"};

visits::VisitService& svc(RequestContext& ctx) { return ctx.services().visits; }

std::string check_in_url(RequestContext& ctx, const visits::Delegate& d) {
  return public_base_url(ctx) + "/visit-check-in/" + std::to_string(d.visit_id) + "/" +
         d.checkin_token;
}

// {"reason"} of a rejection.
Result<std::string> read_reason(RequestContext& ctx) {
  auto body = JsonBody::parse(ctx);
  if (!body) return std::unexpected(body.error());
  auto reason = body->text_block("reason", true, 200);
  if (auto st = body->finish(); !st) return std::unexpected(st.error());
  return *reason;
}

// An optional {"day","half"} naming the half day of a check-in.
Result<std::optional<places::Slot>> read_slot(JsonBody& body) {
  auto day = body.string("day", false, 10);
  auto half = body.string("half", false, 2);
  if (!day && !half) return std::nullopt;
  if (!day || !half || !parse_date(*day) || (*half != "am" && *half != "pm")) {
    return std::unexpected(invalid_fields({{"day",
                                            {"请同时给出 day（YYYY-MM-DD）和 half（am 或 pm）",
                                             "give both day (YYYY-MM-DD) and half (am or pm)"}}}));
  }
  return places::Slot(format_date(*parse_date(*day)), *half);
}

Response application_response(RequestContext& ctx, const Result<visits::Application>& r,
                              http::status ok) {
  return r ? ctx.json(ok, dto::application_json(*r)) : ctx.error(r.error());
}

Response delegate_response(RequestContext& ctx, const Result<visits::Delegate>& r) {
  return r ? ctx.json(http::status::ok, dto::delegate_json(*r)) : ctx.error(r.error());
}

}  // namespace

Response apply_for_visit(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kVisit);
  if (!id) return ctx.error(id.error());
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  auto member = body->integer("member_id", true, 1, 1LL << 53);
  auto people = dto::read_delegates(*body);
  auto note = body->text_block("note", false, 500);
  auto consent = dto::read_consent_version(*body);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  return application_response(
      ctx,
      svc(ctx).apply(*id, *member, std::move(people), note.value_or(""), consent, ctx.caller()),
      http::status::created);
}

Response visit_applications(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kVisit);
  if (!id) return ctx.error(id.error());
  auto r = svc(ctx).applications(*id, ctx.caller());
  if (!r) return ctx.error(r.error());
  boost::json::array items;
  for (const auto& a : *r) items.push_back(dto::application_json(a));
  return ctx.json(http::status::ok, {{"items", std::move(items)}});
}

Response get_visit_application(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kApplication);
  if (!id) return ctx.error(id.error());
  return application_response(ctx, svc(ctx).get_application(*id, ctx.caller()), http::status::ok);
}

Response approve_visit_application(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kApplication);
  if (!id) return ctx.error(id.error());
  return application_response(ctx, svc(ctx).approve_application(*id, ctx.caller()),
                              http::status::ok);
}

Response reject_visit_application(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kApplication);
  if (!id) return ctx.error(id.error());
  auto reason = read_reason(ctx);
  if (!reason) return ctx.error(reason.error());
  return application_response(ctx, svc(ctx).reject_application(*id, *reason, ctx.caller()),
                              http::status::ok);
}

Response visit_delegates(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kVisit);
  if (!id) return ctx.error(id.error());
  if (ctx.query("format").value_or("") == "xlsx") {
    auto fields = privacy::parse_export_fields(ctx.query("fields").value_or(""));
    if (!fields) return ctx.error(fields.error());
    auto bytes = svc(ctx).delegation_xlsx(*id, ctx.caller(), *fields);
    if (!bytes) return ctx.error(bytes.error());
    return download(ctx, std::move(*bytes), mime_type("x.xlsx"),
                    "delegation-" + std::to_string(*id) + ".xlsx", "考察团名单.xlsx");
  }
  auto r = svc(ctx).delegates(*id, ctx.query("status").value_or(""), ctx.caller());
  if (!r) return ctx.error(r.error());
  boost::json::array items;
  for (const auto& d : *r) items.push_back(dto::delegate_json(d));
  return ctx.json(http::status::ok, {{"items", std::move(items)}});
}

Response get_visit_delegate(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kDelegate);
  if (!id) return ctx.error(id.error());
  return delegate_response(ctx, svc(ctx).get_delegate(*id, ctx.caller()));
}

Response approve_visit_delegate(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kDelegate);
  if (!id) return ctx.error(id.error());
  return delegate_response(ctx, svc(ctx).approve(*id, ctx.caller()));
}

Response reject_visit_delegate(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kDelegate);
  if (!id) return ctx.error(id.error());
  auto reason = read_reason(ctx);
  if (!reason) return ctx.error(reason.error());
  return delegate_response(ctx, svc(ctx).reject(*id, *reason, ctx.caller()));
}

Response withdraw_visit_delegate(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kDelegate);
  if (!id) return ctx.error(id.error());
  auto r = svc(ctx).withdraw(*id, ctx.caller());
  return r ? ctx.no_content() : ctx.error(r.error());
}

Response visit_delegate_pass(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kDelegate);
  if (!id) return ctx.error(id.error());
  auto d = svc(ctx).pass_of(*id, ctx.caller());
  if (!d) return ctx.error(d.error());
  const std::string url = check_in_url(ctx, *d);
  auto svg = qr_svg(url);
  if (!svg) return ctx.error(svg.error());
  return ctx.json(http::status::ok,
                  {{"delegate", dto::delegate_json(*d)},
                   {"token", d->checkin_token},
                   {"check_in_url", url},
                   {"pass_url", public_base_url(ctx) + "/visit-pass/" + d->checkin_token},
                   {"qr_svg", *svg}});
}

Response public_visit_pass(RequestContext& ctx) {
  auto p = svc(ctx).public_pass(std::string(ctx.param("token")));
  if (!p) return ctx.error(p.error());
  auto svg = qr_svg(check_in_url(ctx, p->delegate));
  if (!svg) return ctx.error(svg.error());
  // The link is the only key: the visit and the delegate's name, nothing else of the person.
  return ctx.json(http::status::ok, {{"visit_title", p->visit.title},
                                     {"destination", p->visit.destination},
                                     {"starts_on", format_date(p->visit.starts_on)},
                                     {"ends_on", format_date(p->visit.ends_on)},
                                     {"delegate_name", p->delegate.name},
                                     {"status", p->delegate.status},
                                     {"qr_svg", *svg}});
}

Response visit_delegate_by_token(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kVisit);
  if (!id) return ctx.error(id.error());
  return delegate_response(ctx, svc(ctx).delegate_by_token(*id, std::string(ctx.param("token"))));
}

Response visit_check_in(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kVisit);
  if (!id) return ctx.error(id.error());
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  auto token = body->string("token", false, 64);
  auto delegate = body->integer("delegate_id", false, 1, 1LL << 53);
  if (!token && !delegate) body->fail("token", {"请给出 token 或 delegate_id", "give a token"});
  auto slot = read_slot(*body);
  auto reason = body->string("override_reason", false, 200);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  if (!slot) return ctx.error(slot.error());
  auto r = svc(ctx).check_in(*id, delegate, token.value_or(""), *slot, reason, ctx.caller());
  return r ? ctx.json(http::status::ok, {{"checked_in", true}, {"new", *r}}) : ctx.error(r.error());
}

Response undo_visit_check_in(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kDelegate);
  if (!id) return ctx.error(id.error());
  const std::string day(ctx.param("day")), half(ctx.param("half"));
  if (!parse_date(day) || (half != "am" && half != "pm")) {
    return ctx.error(invalid_fields(
        {{"day",
          {"请给出日期（YYYY-MM-DD）和 am 或 pm", "give the day (YYYY-MM-DD) and am or pm"}}}));
  }
  auto r = svc(ctx).undo_check_in(*id, {day, half}, ctx.caller());
  return r ? ctx.no_content() : ctx.error(r.error());
}

}  // namespace xiehui::web::handlers
