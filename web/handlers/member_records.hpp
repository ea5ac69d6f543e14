#pragma once
// Member import (with its template and background jobs) and membership certificates.

#include "web/router.hpp"

namespace xiehui::web::handlers {

Response import_members(RequestContext& ctx);
Response import_template(RequestContext& ctx);
Response get_job(RequestContext& ctx);
Response member_certificate(RequestContext& ctx);
Response verify_certificate(RequestContext& ctx);

}  // namespace xiehui::web::handlers
