#pragma once
// Applications to join: public submission and the secretariat's review.

#include "web/router.hpp"

namespace xiehui::web::handlers {

Response submit_application(RequestContext& ctx);
Response list_applications(RequestContext& ctx);
Response get_application(RequestContext& ctx);
Response approve_application(RequestContext& ctx);
Response reject_application(RequestContext& ctx);
Response withdraw_application(RequestContext& ctx);
Response list_members(RequestContext& ctx);
Response get_member(RequestContext& ctx);
Response update_member(RequestContext& ctx);
Response change_member_status(RequestContext& ctx);
Response member_status_history(RequestContext& ctx);
Response export_members(RequestContext& ctx);
Response change_member_tier(RequestContext& ctx);
Response member_history(RequestContext& ctx);
Response my_applications(RequestContext& ctx);
Response list_contacts(RequestContext& ctx);
Response add_contact(RequestContext& ctx);
Response update_contact(RequestContext& ctx);
Response delete_contact(RequestContext& ctx);

}  // namespace xiehui::web::handlers
