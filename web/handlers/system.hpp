#pragma once
// Health, readiness, metrics and the API description.

#include "web/router.hpp"

namespace xiehui::web::handlers {

Response healthz(RequestContext& ctx);
Response readyz(RequestContext& ctx);
Response metrics(RequestContext& ctx);
Response openapi(RequestContext& ctx);

}  // namespace xiehui::web::handlers
