#include <boost/json.hpp>

#include "core/time.hpp"
#include "services/audit/audit_service.hpp"
#include "web/app_services.hpp"
#include "web/dto/accounts_json.hpp"
#include "web/handlers/accounts.hpp"
#include "web/json_body.hpp"

namespace xiehui::web::handlers {
namespace {

// ?entity=user or ?entity=user:12; ?from=/?to= are Asia/Shanghai dates, `to` inclusive.
Result<audit::AuditFilter> read_filter(const RequestContext& ctx) {
  audit::AuditFilter f;
  std::vector<FieldError> errors;
  if (auto entity = ctx.query("entity")) {
    const auto colon = std::ranges::find(*entity, ':');
    f.entity_type.assign(entity->begin(), colon);
    if (colon != entity->end()) f.entity_id.assign(colon + 1, entity->end());
  }
  f.actor = ctx.query("actor").value_or("");
  f.action = ctx.query("action").value_or("");
  const auto day_start = [&](std::string_view name, int plus_days) -> std::optional<Timestamp> {
    auto text = ctx.query(name);
    if (!text) return std::nullopt;
    auto d = parse_date(*text);
    if (!d) {
      errors.push_back({std::string(name), {"日期格式应为 YYYY-MM-DD", "must be YYYY-MM-DD"}});
      return std::nullopt;
    }
    return Timestamp{std::chrono::sys_days{*d} + std::chrono::days{plus_days} - kShanghaiOffset};
  };
  f.from = day_start("from", 0);
  f.to = day_start("to", 1);
  if (!errors.empty()) return std::unexpected(invalid_fields(std::move(errors)));
  return f;
}

// One page of the audit log, or of its access-log part: the same filters and answer.
Response audit_page(RequestContext& ctx, bool access_log) {
  auto paging = parse_paging(ctx);
  if (!paging) return ctx.error(paging.error());
  auto filter = read_filter(ctx);
  if (!filter) return ctx.error(filter.error());
  filter->access_log = access_log;
  auto page = ctx.services().audit.list(*filter, paging->page, paging->page_size);
  if (!page) return ctx.error(page.error());
  boost::json::array items;
  for (const auto& r : page->items) items.push_back(dto::audit_json(r));
  return ctx.json(http::status::ok, {{"items", std::move(items)},
                                     {"total", page->total},
                                     {"page", paging->page},
                                     {"page_size", paging->page_size}});
}

}  // namespace

Response list_audit(RequestContext& ctx) { return audit_page(ctx, false); }

// The access log: the audit rows of views and exports of personal data and subject requests.
Response list_access_log(RequestContext& ctx) { return audit_page(ctx, true); }

Response verify_audit(RequestContext& ctx) {
  auto r = ctx.services().audit.verify();
  if (!r) return ctx.error(r.error());
  return ctx.json(http::status::ok,
                  {{"ok", r->ok},
                   {"checked", r->checked},
                   {"first_bad_id", r->first_bad_id ? boost::json::value(*r->first_bad_id)
                                                    : boost::json::value(nullptr)}});
}

}  // namespace xiehui::web::handlers
