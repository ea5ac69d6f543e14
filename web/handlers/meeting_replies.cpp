// 回执, sign-in sheet, reminders, passes, attendance, quorum and resolutions.

#include <boost/json.hpp>

#include "core/qr_code.hpp"
#include "core/table_export.hpp"
#include "services/meetings/meeting_service.hpp"
#include "web/app_services.hpp"
#include "web/downloads.hpp"
#include "web/dto/meetings_json.hpp"
#include "web/handlers/meetings.hpp"
#include "web/static_files.hpp"

namespace xiehui::web::handlers {
namespace {

const Text kMeeting{"会议", "meeting"};
const Text kResolution{"决议", "resolution"};
const Text kUnit{"会员单位", "member unit"};

meetings::MeetingService& svc(RequestContext& ctx) { return ctx.services().meetings; }

Response xlsx(RequestContext& ctx, const Result<Table>& table, const std::string& sheet,
              std::string_view ascii, std::string_view name) {
  auto bytes = table ? to_xlsx(*table, sheet) : Result<std::string>(std::unexpected(table.error()));
  if (!bytes) return ctx.error(bytes.error());
  return download(ctx, std::move(*bytes),
                  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ascii, name);
}

boost::json::object row_json(const meetings::ReplyRow& row) {
  boost::json::array held;
  for (long long id : row.proxies_held) held.emplace_back(id);
  return {{"member_id", row.invitee.member_id},
          {"member_name", row.invitee.member_name},
          {"tier", row.invitee.tier},
          {"status", row.invitee.status},
          {"state", row.state},
          {"reply", row.reply ? boost::json::value(dto::rsvp_json(*row.reply))
                              : boost::json::value(nullptr)},
          {"proxies_held", std::move(held)},
          {"present", row.present}};
}

}  // namespace

Response submit_rsvp(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kMeeting);
  auto body = JsonBody::parse(ctx);
  if (!id || !body) return ctx.error(!id ? id.error() : body.error());
  auto rsvp = dto::read_rsvp(*body);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = svc(ctx).reply(*id, std::move(rsvp), ctx.caller());
  return r ? ctx.json(http::status::ok, dto::rsvp_json(*r)) : ctx.error(r.error());
}

Response get_my_rsvp(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kMeeting);
  if (!id) return ctx.error(id.error());
  auto r = svc(ctx).my_reply(*id, ctx.caller());
  if (!r) return ctx.error(r.error());
  return ctx.json(http::status::ok,
                  *r ? boost::json::value(dto::rsvp_json(**r)) : boost::json::value(nullptr));
}

Response list_rsvps(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kMeeting);
  if (!id) return ctx.error(id.error());
  if (ctx.query("format").value_or("") == "xlsx") {
    auto fields = privacy::parse_export_fields(ctx.query("fields").value_or(""));
    if (!fields) return ctx.error(fields.error());
    auto bytes = svc(ctx).reply_xlsx(*id, ctx.caller(), *fields);
    if (!bytes) return ctx.error(bytes.error());
    return download(ctx, std::move(*bytes), mime_type("x.xlsx"), "rsvps.xlsx", "回执汇总.xlsx");
  }
  auto r = svc(ctx).reply_matrix(*id, ctx.caller());
  if (!r) return ctx.error(r.error());
  boost::json::array items;
  for (const auto& row : r->rows) items.push_back(row_json(row));
  return ctx.json(http::status::ok, {{"items", std::move(items)},
                                     {"counts",
                                      {{"invited", r->invited},
                                       {"replied", r->replied},
                                       {"attending", r->attending},
                                       {"absent", r->absent},
                                       {"proxy", r->proxy},
                                       {"none", r->none}}}});
}

Response sign_in_sheet(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kMeeting);
  if (!id) return ctx.error(id.error());
  return xlsx(ctx, svc(ctx).sign_in_sheet(*id, ctx.caller()), "签到表", "sign-in-sheet.xlsx",
              "签到表.xlsx");
}

Response send_meeting_reminders(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kMeeting);
  if (!id) return ctx.error(id.error());
  auto r = svc(ctx).remind(*id, ctx.caller());
  return r ? ctx.json(http::status::ok, {{"sent", *r}}) : ctx.error(r.error());
}

Response meeting_pass(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kMeeting);
  if (!id) return ctx.error(id.error());
  auto unit = ctx.query("member_id") ? parse_id(*ctx.query("member_id"), kUnit)
                                     : Result<long long>(ctx.caller().member_id.value_or(0));
  if (!unit) return ctx.error(unit.error());
  auto r = svc(ctx).pass(*id, *unit, ctx.caller());
  if (!r) return ctx.error(r.error());
  const std::string url =
      public_base_url(ctx) + "/meeting-check-in/" + std::to_string(*id) + "/" + r->pass_token;
  auto svg = qr_svg(url);
  if (!svg) return ctx.error(svg.error());
  return ctx.json(http::status::ok, {{"member_id", r->member_id},
                                     {"member_name", r->member_name},
                                     {"token", r->pass_token},
                                     {"check_in_url", url},
                                     {"qr_svg", *svg}});
}

Response record_attendance(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kMeeting);
  auto body = JsonBody::parse(ctx);
  if (!id || !body) return ctx.error(!id ? id.error() : body.error());
  auto unit = body->integer("member_id", false, 1, 1LL << 53);
  auto token = body->string("token", false, 64);
  auto present = body->boolean("present", false);
  if (!unit && !token) body->fail("member_id", {"请给出 member_id 或 token", "member_id or token"});
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = svc(ctx).attend(*id, unit, token.value_or(""), present.value_or(true), ctx.caller());
  if (!r) return ctx.error(r.error());
  return ctx.json(http::status::ok, {{"member_id", r->member_id},
                                     {"member_name", r->member_name},
                                     {"present", r->present},
                                     {"new", r->changed}});
}

Response meeting_quorum(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kMeeting);
  if (!id) return ctx.error(id.error());
  auto r = svc(ctx).quorum(*id);
  return r ? ctx.json(http::status::ok, dto::quorum_json(*r)) : ctx.error(r.error());
}

Response create_resolution(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kMeeting);
  auto body = JsonBody::parse(ctx);
  if (!id || !body) return ctx.error(!id ? id.error() : body.error());
  bool figures_given = false;
  auto resolution = dto::read_resolution(*body, figures_given);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = svc(ctx).add_resolution(*id, std::move(resolution), figures_given, ctx.caller());
  return r ? ctx.json(http::status::created, dto::resolution_json(*r)) : ctx.error(r.error());
}

Response list_resolutions(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kMeeting);
  if (!id) return ctx.error(id.error());
  auto r = svc(ctx).resolutions(*id, ctx.caller());
  if (!r) return ctx.error(r.error());
  boost::json::array items;
  for (const auto& x : *r) items.push_back(dto::resolution_json(x));
  return ctx.json(http::status::ok, {{"items", std::move(items)}});
}

Response delete_resolution(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kResolution);
  if (!id) return ctx.error(id.error());
  auto r = svc(ctx).delete_resolution(*id, ctx.caller());
  return r ? ctx.no_content() : ctx.error(r.error());
}

}  // namespace xiehui::web::handlers
