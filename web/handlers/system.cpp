#include "web/handlers/system.hpp"

#include <boost/json.hpp>

#include "services/notifications/notification_service.hpp"
#include "services/system/system_service.hpp"
#include "web/app_services.hpp"
#include "web/dto/notifications_json.hpp"

namespace xiehui::web::handlers {

Response healthz(RequestContext& ctx) { return ctx.json(http::status::ok, {{"status", "ok"}}); }

Response readyz(RequestContext& ctx) {
  if (auto ready = ctx.services().system.readiness(); !ready) return ctx.error(ready.error());
  return ctx.json(http::status::ok, {{"status", "ready"}});
}

Response metrics(RequestContext& ctx) {
  Response res{http::status::ok, ctx.request.version()};
  res.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
  res.body() = ctx.services().metrics.render(ctx.services().system.db_figures());
  // The queue is shared by every process: its gauges come from the database. A database that
  // does not answer leaves them out rather than failing the scrape.
  if (auto outbox = ctx.services().notifications.stats(); outbox) {
    res.body() += dto::outbox_metrics(*outbox);
  }
  return res;
}

Response openapi(RequestContext& ctx) {
  Response res{http::status::ok, ctx.request.version()};
  res.set(http::field::content_type, "application/json; charset=utf-8");
  res.body() = ctx.router().openapi();
  return res;
}

}  // namespace xiehui::web::handlers
