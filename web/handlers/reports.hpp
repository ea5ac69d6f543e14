#pragma once
// Handlers of the leadership's reports and dashboard (docs/API.md "Reports").

#include "web/router.hpp"

namespace xiehui::web::handlers {

Response report_dashboard(RequestContext& ctx);
Response report_membership(RequestContext& ctx);
Response report_dues(RequestContext& ctx);
Response report_training(RequestContext& ctx);
Response report_meetings(RequestContext& ctx);
Response report_visits(RequestContext& ctx);
Response report_engagement(RequestContext& ctx);
Response report_annual(RequestContext& ctx);
Response report_drill(RequestContext& ctx);
Response get_report_settings(RequestContext& ctx);
Response put_report_settings(RequestContext& ctx);

}  // namespace xiehui::web::handlers
