#include "web/handlers/membership.hpp"

#include <boost/json.hpp>

#include "core/time.hpp"
#include "services/membership/membership_service.hpp"
#include "web/app_services.hpp"
#include "web/client_address.hpp"
#include "web/downloads.hpp"
#include "web/dto/membership_json.hpp"
#include "web/json_body.hpp"
#include "web/static_files.hpp"

namespace xiehui::web::handlers {
namespace {

const Text kApplication{"入会申请", "application"};

}  // namespace

Response submit_application(RequestContext& ctx) {
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  auto input = dto::read_application(*body);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = ctx.services().membership.submit(std::move(input), rate_limit_key(ctx.peer.address));
  if (!r) return ctx.error(r.error());
  return ctx.json(http::status::created, {{"id", r->id}, {"status", r->status}});
}

Response list_applications(RequestContext& ctx) {
  auto paging = parse_paging(ctx);
  if (!paging) return ctx.error(paging.error());
  const std::string status = ctx.query("status").value_or("");
  if (!status.empty() && status != "pending" && status != "approved" && status != "rejected" &&
      status != "withdrawn") {
    return ctx.error(invalid_fields({{"status",
                                      {"应为 pending、approved、rejected 或 withdrawn",
                                       "must be pending, approved, rejected or withdrawn"}}}));
  }
  auto page = ctx.services().membership.list(status, paging->page, paging->page_size, ctx.caller());
  if (!page) return ctx.error(page.error());
  boost::json::array items;
  for (const auto& a : page->items) items.push_back(dto::application_json(a));
  return ctx.json(http::status::ok, {{"items", std::move(items)},
                                     {"total", page->total},
                                     {"page", paging->page},
                                     {"page_size", paging->page_size}});
}

Response get_application(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kApplication);
  if (!id) return ctx.error(id.error());
  auto r = ctx.services().membership.get(*id, ctx.caller());
  return r ? ctx.json(http::status::ok, dto::application_json(*r)) : ctx.error(r.error());
}

Response approve_application(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kApplication);
  if (!id) return ctx.error(id.error());
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  auto tier = body->string("tier", true, 32);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = ctx.services().membership.approve(*id, *tier, ctx.caller());
  if (!r) return ctx.error(r.error());
  return ctx.json(
      http::status::ok,
      {{"member_id", r->member_id}, {"member_no", r->member_no}, {"account", r->account}});
}

Response withdraw_application(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kApplication);
  if (!id) return ctx.error(id.error());
  auto r = ctx.services().membership.withdraw(*id, ctx.caller());
  return r ? ctx.json(http::status::ok, dto::application_json(*r)) : ctx.error(r.error());
}

Response reject_application(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kApplication);
  if (!id) return ctx.error(id.error());
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  auto reason = body->text_block("reason", true, 500);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = ctx.services().membership.reject(*id, *reason, ctx.caller());
  return r ? ctx.json(http::status::ok, dto::application_json(*r)) : ctx.error(r.error());
}

namespace {

membership::MemberFilter member_filter(const RequestContext& ctx) {
  return {ctx.query("q").value_or(""),       ctx.query("city_code").value_or(""),
          ctx.query("type").value_or(""),    ctx.query("level").value_or(""),
          ctx.query("tier").value_or(""),    ctx.query("status").value_or(""),
          ctx.query("sort").value_or("name")};
}

}  // namespace

Response export_members(RequestContext& ctx) {
  const std::string format = ctx.query("format").value_or("xlsx");
  if (format != "xlsx" && format != "csv") {
    return ctx.error(invalid_fields({{"format", {"应为 xlsx 或 csv", "must be xlsx or csv"}}}));
  }
  auto fields = privacy::parse_export_fields(ctx.query("fields").value_or(""));
  if (!fields) return ctx.error(fields.error());
  auto file = ctx.services().membership.export_members(member_filter(ctx), ctx.caller(), *fields);
  if (!file) return ctx.error(file.error());
  const NamedTable sheets[] = {{"会员名录", file->table}, {"说明", file->note}};
  auto bytes = format == "csv" ? Result<std::string>(to_csv(file->table)) : to_xlsx(sheets);
  if (!bytes) return ctx.error(bytes.error());
  return download(ctx, std::move(*bytes),
                  format == "csv" ? "text/csv; charset=utf-8" : mime_type("x.xlsx"),
                  "members." + format, "会员名录." + format);
}

Response list_members(RequestContext& ctx) {
  auto paging = parse_paging(ctx);
  if (!paging) return ctx.error(paging.error());
  auto page = ctx.services().membership.list_members(member_filter(ctx), paging->page,
                                                     paging->page_size, ctx.caller());
  if (!page) return ctx.error(page.error());
  const bool full = ctx.caller().can(Permission::members_read_all);
  return ctx.json_text(http::status::ok, dto::member_page_text(*page, *paging, full));
}

Response get_member(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), {"会员单位", "member unit"});
  if (!id) return ctx.error(id.error());
  auto r = ctx.services().membership.get_member(*id, ctx.caller());
  return r ? ctx.json_text(http::status::ok, dto::member_text(r->member, r->full))
           : ctx.error(r.error());
}

Response update_member(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), {"会员单位", "member unit"});
  if (!id) return ctx.error(id.error());
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  const membership::MemberPatch patch{
      body->string("name", false, 200),         body->string("short_name", false, 100),
      body->string("address", false, 400),      body->string("city_code", false, 12),
      body->string("type", false, 40),          body->string("level", false, 40),
      body->string("sort_reading", false, 400), body->string("effective_on", false, 10)};
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = ctx.services().membership.update_member(*id, patch, ctx.caller());
  return r ? ctx.json_text(http::status::ok, dto::member_text(*r, true)) : ctx.error(r.error());
}

Response change_member_status(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), {"会员单位", "member unit"});
  if (!id) return ctx.error(id.error());
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  auto status = body->string("status", true, 16);
  auto reason = body->text_block("reason", true, 500);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = ctx.services().membership.change_status(*id, *status, *reason, ctx.caller());
  return r ? ctx.json_text(http::status::ok, dto::member_text(*r, true)) : ctx.error(r.error());
}

Response member_status_history(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), {"会员单位", "member unit"});
  if (!id) return ctx.error(id.error());
  auto r = ctx.services().membership.status_history(*id);
  if (!r) return ctx.error(r.error());
  boost::json::array items;
  for (const auto& c : *r) {
    items.push_back({{"from", c.from_status},
                     {"to", c.to_status},
                     {"reason", c.reason},
                     {"actor", c.actor_name},
                     {"changed_at", format_instant(c.changed_at)}});
  }
  return ctx.json(http::status::ok, {{"items", std::move(items)}});
}

Response change_member_tier(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), {"会员单位", "member unit"});
  if (!id) return ctx.error(id.error());
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  auto tier = body->string("tier", true, 32);
  auto effective_on = body->string("effective_on", false, 10);
  auto reason = body->text_block("reason", false, 500);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = ctx.services().membership.change_tier(*id, *tier, effective_on.value_or(""),
                                                 reason.value_or(""), ctx.caller());
  return r ? ctx.json_text(http::status::ok, dto::member_text(*r, true)) : ctx.error(r.error());
}

Response member_history(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), {"会员单位", "member unit"});
  if (!id) return ctx.error(id.error());
  auto r = ctx.services().membership.history(*id, ctx.caller());
  if (!r) return ctx.error(r.error());
  boost::json::array items;
  for (const auto& e : *r) items.push_back(dto::history_json(e));
  return ctx.json(http::status::ok, {{"items", std::move(items)}});
}

Response my_applications(RequestContext& ctx) {
  auto r = ctx.services().membership.my_applications(ctx.caller());
  if (!r) return ctx.error(r.error());
  boost::json::array items;
  for (const auto& a : *r) items.push_back(dto::application_json(a));
  return ctx.json(http::status::ok, {{"items", std::move(items)}});
}

Response list_contacts(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), {"会员单位", "member unit"});
  if (!id) return ctx.error(id.error());
  auto r = ctx.services().membership.list_contacts(*id, ctx.caller());
  if (!r) return ctx.error(r.error());
  boost::json::array items;
  for (const auto& c : *r) items.push_back(dto::contact_json(c));
  return ctx.json(http::status::ok, {{"items", std::move(items)}});
}

Response add_contact(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), {"会员单位", "member unit"});
  if (!id) return ctx.error(id.error());
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  membership::MemberContact c;
  c.role = body->string("role", true, 20).value_or("");
  c.person = {body->string("name", true, 100).value_or(""),
              body->string("title", false, 100).value_or(""),
              body->string("mobile", true, 40).value_or(""),
              body->string("email", false, 300).value_or("")};
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = ctx.services().membership.add_contact(*id, std::move(c), ctx.caller());
  return r ? ctx.json(http::status::created, dto::contact_json(*r)) : ctx.error(r.error());
}

Response update_contact(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), {"会员单位", "member unit"});
  auto cid = parse_id(ctx.param("cid"), {"联系人", "contact"});
  if (!id || !cid) return ctx.error(id ? cid.error() : id.error());
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  membership::ContactPatch patch{body->string("role", false, 20), body->string("name", false, 100),
                                 body->string("title", false, 100),
                                 body->string("mobile", false, 40),
                                 body->string("email", false, 300)};
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = ctx.services().membership.update_contact(*id, *cid, patch, ctx.caller());
  return r ? ctx.json(http::status::ok, dto::contact_json(*r)) : ctx.error(r.error());
}

Response delete_contact(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), {"会员单位", "member unit"});
  auto cid = parse_id(ctx.param("cid"), {"联系人", "contact"});
  if (!id || !cid) return ctx.error(id ? cid.error() : id.error());
  auto r = ctx.services().membership.delete_contact(*id, *cid, ctx.caller());
  return r ? ctx.no_content() : ctx.error(r.error());
}

}  // namespace xiehui::web::handlers
