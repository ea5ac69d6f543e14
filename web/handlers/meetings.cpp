// Meetings: settings, scheduling, invitees and materials.

#include <boost/json.hpp>

#include "core/validate.hpp"
#include "services/meetings/meeting_service.hpp"
#include "web/app_services.hpp"
#include "web/downloads.hpp"
#include "web/dto/meetings_json.hpp"
#include "web/dto/training_json.hpp"
#include "web/handlers/meetings.hpp"
#include "web/multipart.hpp"

namespace xiehui::web::handlers {
namespace {

const Text kMeeting{"会议", "meeting"};
const Text kMaterial{"会议材料", "material"};
const Text kUnit{"会员单位", "member unit"};

meetings::MeetingService& svc(RequestContext& ctx) { return ctx.services().meetings; }

Response meeting_response(RequestContext& ctx, const Result<meetings::Meeting>& r,
                          http::status status) {
  return r ? ctx.json(status, dto::meeting_json(*r)) : ctx.error(r.error());
}

}  // namespace

Response get_meeting_settings(RequestContext& ctx) {
  auto r = svc(ctx).settings();
  return r ? ctx.json(http::status::ok, dto::settings_json(*r)) : ctx.error(r.error());
}

Response put_meeting_settings(RequestContext& ctx) {
  auto current = svc(ctx).settings();
  auto body = JsonBody::parse(ctx);
  if (!current || !body) return ctx.error(!current ? current.error() : body.error());
  auto next = dto::read_settings(*body, *current);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = svc(ctx).put_settings(next, ctx.caller());
  return r ? ctx.json(http::status::ok, dto::settings_json(*r)) : ctx.error(r.error());
}

Response next_meeting_number(RequestContext& ctx) {
  auto r = svc(ctx).next_number(ctx.query("kind").value_or(""));
  if (!r) return ctx.error(r.error());
  return ctx.json(http::status::ok,
                  {{"term_no", r->term_no}, {"session_no", r->session_no}, {"title", r->title}});
}

Response create_meeting(RequestContext& ctx) {
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  auto draft = dto::read_meeting(*body);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  return meeting_response(ctx, svc(ctx).create(std::move(draft), ctx.caller()),
                          http::status::created);
}

Response list_meetings(RequestContext& ctx) {
  meetings::MeetingFilterRequest f;
  for (auto [name, target, end] : {std::tuple{"from", &f.from, false}, {"to", &f.to, true}}) {
    if (auto text = ctx.query(name); text && !text->empty()) {
      *target = dto::parse_when(*text, end);
      if (!*target)
        return ctx.error(invalid_fields({{name, {"日期格式应为 YYYY-MM-DD", "use YYYY-MM-DD"}}}));
    }
  }
  f.kind = ctx.query("kind").value_or("");
  f.status = ctx.query("status").value_or("");
  auto r = svc(ctx).list(f, ctx.caller());
  if (!r) return ctx.error(r.error());
  boost::json::array items;
  for (const auto& m : *r) items.push_back(dto::meeting_json(m));
  return ctx.json(http::status::ok, {{"items", std::move(items)}});
}

Response get_meeting(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kMeeting);
  if (!id) return ctx.error(id.error());
  return meeting_response(ctx, svc(ctx).get(*id, ctx.caller()), http::status::ok);
}

Response update_meeting(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kMeeting);
  auto body = JsonBody::parse(ctx);
  if (!id || !body) return ctx.error(!id ? id.error() : body.error());
  auto patch = dto::read_meeting_patch(*body);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  return meeting_response(ctx, svc(ctx).update(*id, patch, ctx.caller()), http::status::ok);
}

Response meeting_invitees(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kMeeting);
  if (!id) return ctx.error(id.error());
  auto r = svc(ctx).invitees(*id);
  if (!r) return ctx.error(r.error());
  boost::json::array items, users;
  for (const auto& i : r->first) {
    items.push_back(boost::json::object{{"member_id", i.member_id},
                                        {"member_name", i.member_name},
                                        {"tier", i.tier},
                                        {"status", i.status},
                                        {"source", i.source}});
  }
  for (const auto& g : r->second) {
    users.push_back(boost::json::object{{"user_id", g.user_id}, {"display_name", g.display_name}});
  }
  return ctx.json(http::status::ok, {{"items", std::move(items)}, {"users", std::move(users)}});
}

Response add_meeting_invitees(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kMeeting);
  auto body = JsonBody::parse(ctx);
  if (!id || !body) return ctx.error(!id ? id.error() : body.error());
  auto units = body->integer_array("member_ids", false, 1000, 1, 1LL << 53);
  auto users = body->integer_array("user_ids", false, 200, 1, 1LL << 53);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = svc(ctx).invite(*id, units.value_or(std::vector<long long>{}),
                           users.value_or(std::vector<long long>{}), ctx.caller());
  return r ? ctx.json(http::status::ok, {{"added", *r}}) : ctx.error(r.error());
}

Response remove_meeting_invitee(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kMeeting);
  auto unit = parse_id(ctx.param("member_id"), kUnit);
  if (!id || !unit) return ctx.error(!id ? id.error() : unit.error());
  auto r = svc(ctx).uninvite(*id, *unit, ctx.caller());
  return r ? ctx.no_content() : ctx.error(r.error());
}

Response upload_material(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kMeeting);
  if (!id) return ctx.error(id.error());
  std::string name = ctx.query("filename").value_or("");
  std::string content;
  const auto boundary = multipart_boundary(ctx.request[http::field::content_type]);
  if (boundary) {
    auto file = first_file_part(ctx.request.body(), *boundary);
    if (!file) return ctx.error(file.error());
    if (name.empty()) name = std::move(file->filename);
    content = std::move(file->content);
  }
  auto r = svc(ctx).upload(*id, name, boundary ? content : ctx.request.body(), ctx.caller());
  return r ? ctx.json(http::status::created, dto::material_json(*r)) : ctx.error(r.error());
}

Response download_material(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kMeeting);
  auto mid = parse_id(ctx.param("mid"), kMaterial);
  if (!id || !mid) return ctx.error(!id ? id.error() : mid.error());
  auto r = svc(ctx).material(*id, *mid, ctx.caller());
  if (!r) return ctx.error(r.error());
  const std::string ascii = "material-" + std::to_string(*mid) + "." +
                            r->material.stored_name.substr(r->material.stored_name.rfind('.') + 1);
  return download(ctx, std::move(r->content), r->material.content_type, ascii,
                  r->material.filename);
}

Response delete_material(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kMeeting);
  auto mid = parse_id(ctx.param("mid"), kMaterial);
  if (!id || !mid) return ctx.error(!id ? id.error() : mid.error());
  auto r = svc(ctx).delete_material(*id, *mid, ctx.caller());
  return r ? ctx.no_content() : ctx.error(r.error());
}

}  // namespace xiehui::web::handlers
