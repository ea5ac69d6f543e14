#pragma once
// Handlers of subject requests: find, export and erase one person (docs/API.md "Privacy").

#include "web/router.hpp"

namespace xiehui::web::handlers {

Response find_people(RequestContext& ctx);
Response export_person(RequestContext& ctx);
Response erase_person(RequestContext& ctx);
Response correct_person(RequestContext& ctx);

// Retention.
Response get_retention_settings(RequestContext& ctx);
Response put_retention_settings(RequestContext& ctx);
Response run_retention(RequestContext& ctx);
Response list_retention_runs(RequestContext& ctx);

// The privacy notice and consent.
Response get_privacy_notice(RequestContext& ctx);
Response put_privacy_notice(RequestContext& ctx);
Response accept_privacy_notice(RequestContext& ctx);

}  // namespace xiehui::web::handlers
