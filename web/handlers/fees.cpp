// The fee ledger (发票, never a 会费收据) and each unit's 开票信息.

#include <boost/json.hpp>

#include "core/time.hpp"
#include "services/dues/fee_service.hpp"
#include "web/app_services.hpp"
#include "web/downloads.hpp"
#include "web/dto/dues_json.hpp"
#include "web/handlers/dues.hpp"
#include "web/json_body.hpp"
#include "web/static_files.hpp"

namespace xiehui::web::handlers {
namespace {

dues::FeeService& svc(RequestContext& ctx) { return ctx.services().fees; }

Response fee_page(RequestContext& ctx, const Result<dues::FeePage>& page, int p, int size) {
  if (!page) return ctx.error(page.error());
  boost::json::array items;
  for (const auto& f : page->items) items.push_back(dto::fee_json(f));
  return ctx.json(
      http::status::ok,
      {{"items", std::move(items)}, {"total", page->total}, {"page", p}, {"page_size", size}});
}

Result<dues::dues_repository::FeeFilter> fee_filter(RequestContext& ctx) {
  dues::dues_repository::FeeFilter f{ctx.query("kind").value_or(""),
                                     ctx.query("status").value_or(""), std::nullopt};
  std::vector<FieldError> errors;
  if (!f.kind.empty() && f.kind != "training" && f.kind != "visit") {
    errors.push_back({"kind", {"应为 training 或 visit", "must be training or visit"}});
  }
  if (!f.status.empty() && f.status != "open" && f.status != "invoiced" && f.status != "void") {
    errors.push_back({"status", {"应为 open、invoiced 或 void", "must be open, invoiced or void"}});
  }
  if (!errors.empty()) return std::unexpected(invalid_fields(std::move(errors)));
  return f;
}

}  // namespace

Response list_fees(RequestContext& ctx) {
  auto filter = fee_filter(ctx);
  auto paging = parse_paging(ctx);
  if (!filter || !paging) return ctx.error(!filter ? filter.error() : paging.error());
  if (ctx.query("format").value_or("") == "xlsx") {
    auto t = svc(ctx).fees_table(*filter);
    auto bytes = t ? to_xlsx(*t, "费用台账") : Result<std::string>(std::unexpected(t.error()));
    if (!bytes) return ctx.error(bytes.error());
    return download(ctx, std::move(*bytes), mime_type("x.xlsx"), "fees.xlsx", "费用台账.xlsx");
  }
  return fee_page(ctx, svc(ctx).fees(*filter, paging->page, paging->page_size), paging->page,
                  paging->page_size);
}

Response my_fees(RequestContext& ctx) {
  return fee_page(ctx, svc(ctx).my_fees(ctx.caller()), 1, 1000);
}

Response update_fee(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), {"费用记录", "fee"});
  auto body = JsonBody::parse(ctx);
  if (!id || !body) return ctx.error(!id ? id.error() : body.error());
  const std::string no = body->string("fapiao_no", true, 64).value_or("");
  const std::string on = body->string("fapiao_on", true, 10).value_or("");
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto f = svc(ctx).set_fapiao(*id, no, on, ctx.caller());
  return f ? ctx.json(http::status::ok, dto::fee_json(*f)) : ctx.error(f.error());
}

Response request_fapiao(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), {"费用记录", "fee"});
  if (!id) return ctx.error(id.error());
  auto f = svc(ctx).request_fapiao(*id, ctx.caller());
  return f ? ctx.json(http::status::ok, dto::fee_json(*f)) : ctx.error(f.error());
}

Response get_invoicing(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), {"会员单位", "member unit"});
  if (!id) return ctx.error(id.error());
  auto i = svc(ctx).invoicing(*id, ctx.caller());
  return i ? ctx.json(http::status::ok, dto::invoicing_json(*i)) : ctx.error(i.error());
}

Response put_invoicing(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), {"会员单位", "member unit"});
  auto body = JsonBody::parse(ctx);
  if (!id || !body) return ctx.error(!id ? id.error() : body.error());
  auto in = dto::read_invoicing(*body);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto i = svc(ctx).put_invoicing(*id, std::move(in), ctx.caller());
  return i ? ctx.json(http::status::ok, dto::invoicing_json(*i)) : ctx.error(i.error());
}

}  // namespace xiehui::web::handlers
