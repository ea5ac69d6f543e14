#pragma once
// Handlers of exchange visits (docs/API.md "Exchange visits").

#include "web/router.hpp"

namespace xiehui::web::handlers {

Response list_visits(RequestContext& ctx);
Response create_visit(RequestContext& ctx);
Response get_visit(RequestContext& ctx);
Response update_visit(RequestContext& ctx);
Response visit_itinerary(RequestContext& ctx);
Response get_rooming(RequestContext& ctx);
Response put_rooming(RequestContext& ctx);
Response reset_rooming(RequestContext& ctx);
Response visit_attendance(RequestContext& ctx);
Response get_visit_report(RequestContext& ctx);
Response put_visit_report(RequestContext& ctx);
Response upload_visit_report_file(RequestContext& ctx);
Response download_visit_report_file(RequestContext& ctx);
Response delete_visit_report_file(RequestContext& ctx);

Response apply_for_visit(RequestContext& ctx);
Response visit_applications(RequestContext& ctx);
Response get_visit_application(RequestContext& ctx);
Response approve_visit_application(RequestContext& ctx);
Response reject_visit_application(RequestContext& ctx);
Response visit_delegates(RequestContext& ctx);
Response get_visit_delegate(RequestContext& ctx);
Response approve_visit_delegate(RequestContext& ctx);
Response reject_visit_delegate(RequestContext& ctx);
Response withdraw_visit_delegate(RequestContext& ctx);
Response visit_delegate_pass(RequestContext& ctx);
Response public_visit_pass(RequestContext& ctx);
Response visit_delegate_by_token(RequestContext& ctx);
Response visit_check_in(RequestContext& ctx);
Response undo_visit_check_in(RequestContext& ctx);

Response list_topics(RequestContext& ctx);
Response create_topic(RequestContext& ctx);
Response update_topic(RequestContext& ctx);
Response list_host_offers(RequestContext& ctx);
Response create_host_offer(RequestContext& ctx);
Response update_host_offer(RequestContext& ctx);
Response delete_host_offer(RequestContext& ctx);
Response list_visit_interests(RequestContext& ctx);
Response create_visit_interest(RequestContext& ctx);
Response update_visit_interest(RequestContext& ctx);
Response delete_visit_interest(RequestContext& ctx);
Response visit_matches(RequestContext& ctx);
Response visit_from_match(RequestContext& ctx);
Response visit_participation(RequestContext& ctx);

}  // namespace xiehui::web::handlers
