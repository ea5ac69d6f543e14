// THE route table: every endpoint, its method, who may call it, and its handler.

#include "web/handlers/system.hpp"
#include "web/router.hpp"

namespace xiehui::web {

std::vector<Route> make_routes() {
  using http::verb;
  const Access kPublic = Access::public_route();
  return {
      {verb::get, "/healthz", kPublic, handlers::healthz, "Liveness: the process answers"},
      {verb::get, "/readyz", kPublic, handlers::readyz, "Readiness: the database answers"},
      // Scraped by Prometheus on the internal network; carries no personal data.
      {verb::get, "/metrics", kPublic, handlers::metrics, "Prometheus metrics"},
      {verb::get, "/api/openapi.json", kPublic, handlers::openapi, "This API's OpenAPI 3 document"},
  };
}

}  // namespace xiehui::web
