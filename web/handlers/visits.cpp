// Visits, their documents, rooming, attendance and report.

#include "web/handlers/visits.hpp"

#include <boost/json.hpp>

#include "core/table_export.hpp"
#include "services/visits/visit_service.hpp"
#include "web/app_services.hpp"
#include "web/downloads.hpp"
#include "web/dto/visits_json.hpp"
#include "web/json_body.hpp"
#include "web/multipart.hpp"
#include "web/static_files.hpp"

namespace xiehui::web::handlers {
namespace {

const Text kVisit{"考察活动", "visit"};
const Text kFile{"附件", "attachment"};

visits::VisitService& svc(RequestContext& ctx) { return ctx.services().visits; }

Response xlsx(RequestContext& ctx, Result<Table> table, const std::string& sheet,
              const std::string& ascii_name) {
  auto bytes = table ? to_xlsx(*table, sheet) : Result<std::string>(std::unexpected(table.error()));
  if (!bytes) return ctx.error(bytes.error());
  return download(ctx, std::move(*bytes), mime_type("x.xlsx"), ascii_name, sheet + ".xlsx");
}

}  // namespace

Response list_visits(RequestContext& ctx) {
  auto upcoming = query_flag(ctx, "upcoming", false);
  if (!upcoming) return ctx.error(upcoming.error());
  auto r = svc(ctx).list_visits(ctx.query("status").value_or(""), *upcoming, ctx.caller());
  if (!r) return ctx.error(r.error());
  boost::json::array items;
  for (const auto& v : *r) items.push_back(dto::visit_json(v));
  return ctx.json(http::status::ok, {{"items", std::move(items)}});
}

Response create_visit(RequestContext& ctx) {
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  const visits::VisitPatch p = dto::read_visit_patch(*body, true);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = svc(ctx).create_visit(dto::new_visit(p), ctx.caller());
  return r ? ctx.json(http::status::created, dto::visit_json({*r, std::nullopt}))
           : ctx.error(r.error());
}

Response get_visit(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kVisit);
  if (!id) return ctx.error(id.error());
  auto r = svc(ctx).get_visit(*id, ctx.caller());
  return r ? ctx.json(http::status::ok, dto::visit_json(*r)) : ctx.error(r.error());
}

Response update_visit(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kVisit);
  if (!id) return ctx.error(id.error());
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  const visits::VisitPatch p = dto::read_visit_patch(*body, false);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = svc(ctx).update_visit(*id, p, ctx.caller());
  return r ? ctx.json(http::status::ok, dto::visit_json({*r, std::nullopt})) : ctx.error(r.error());
}

Response visit_itinerary(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kVisit);
  if (!id) return ctx.error(id.error());
  return xlsx(ctx, svc(ctx).itinerary_table(*id, ctx.caller()), "考察行程",
              "itinerary-" + std::to_string(*id) + ".xlsx");
}

Response get_rooming(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kVisit);
  if (!id) return ctx.error(id.error());
  if (ctx.query("format").value_or("") == "xlsx") {
    return xlsx(ctx, svc(ctx).rooming_table(*id, ctx.caller()), "分房表",
                "rooming-" + std::to_string(*id) + ".xlsx");
  }
  auto r = svc(ctx).rooming(*id, ctx.caller());
  return r ? ctx.json(http::status::ok, dto::rooming_json(*r)) : ctx.error(r.error());
}

Response put_rooming(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kVisit);
  if (!id) return ctx.error(id.error());
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  auto rooms = dto::read_rooms(*body);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = svc(ctx).save_rooming(*id, rooms, ctx.caller());
  return r ? ctx.json(http::status::ok, dto::rooming_json(*r)) : ctx.error(r.error());
}

Response reset_rooming(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kVisit);
  if (!id) return ctx.error(id.error());
  auto r = svc(ctx).reset_rooming(*id, ctx.caller());
  return r ? ctx.no_content() : ctx.error(r.error());
}

Response visit_attendance(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kVisit);
  if (!id) return ctx.error(id.error());
  auto r = svc(ctx).attendance(*id, ctx.caller());
  return r ? ctx.json(http::status::ok, dto::attendance_json(*r)) : ctx.error(r.error());
}

Response get_visit_report(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kVisit);
  if (!id) return ctx.error(id.error());
  auto r = svc(ctx).report(*id, ctx.caller());
  return r ? ctx.json(http::status::ok, dto::report_json(*r)) : ctx.error(r.error());
}

Response put_visit_report(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kVisit);
  if (!id) return ctx.error(id.error());
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  auto text = body->text_block("text", false, 50000);
  auto publish = body->boolean("published", false);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = svc(ctx).save_report(*id, text, publish, ctx.caller());
  return r ? ctx.json(http::status::ok, dto::report_json(*r)) : ctx.error(r.error());
}

Response upload_visit_report_file(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kVisit);
  if (!id) return ctx.error(id.error());
  std::string name = ctx.query("filename").value_or("");
  const auto boundary = multipart_boundary(ctx.request[http::field::content_type]);
  std::string content;
  if (boundary) {
    auto file = first_file_part(ctx.request.body(), *boundary);
    if (!file) return ctx.error(file.error());
    if (name.empty()) name = std::move(file->filename);
    content = std::move(file->content);
  }
  auto r =
      svc(ctx).upload_report_file(*id, name, boundary ? content : ctx.request.body(), ctx.caller());
  return r ? ctx.json(http::status::created, dto::report_file_json(*r)) : ctx.error(r.error());
}

Response download_visit_report_file(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kVisit);
  auto fid = parse_id(ctx.param("fid"), kFile);
  if (!id || !fid) return ctx.error(!id ? id.error() : fid.error());
  auto r = svc(ctx).report_file(*id, *fid, ctx.caller());
  if (!r) return ctx.error(r.error());
  const std::string ascii = "report-file-" + std::to_string(*fid) + "." +
                            r->file.stored_name.substr(r->file.stored_name.rfind('.') + 1);
  return download(ctx, std::move(r->content), r->file.content_type, ascii, r->file.filename);
}

Response delete_visit_report_file(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kVisit);
  auto fid = parse_id(ctx.param("fid"), kFile);
  if (!id || !fid) return ctx.error(!id ? id.error() : fid.error());
  auto r = svc(ctx).delete_report_file(*id, *fid, ctx.caller());
  return r ? ctx.no_content() : ctx.error(r.error());
}

}  // namespace xiehui::web::handlers
