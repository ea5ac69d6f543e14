#pragma once
// Handlers of the caller's own security: two-factor sign-in, signed-in sessions, and the
// security settings admins review (docs/API.md "Security").

#include "web/router.hpp"

namespace xiehui::web::handlers {

Response get_two_factor(RequestContext& ctx);
Response begin_two_factor(RequestContext& ctx);
Response confirm_two_factor(RequestContext& ctx);
Response disable_two_factor(RequestContext& ctx);
Response reset_two_factor(RequestContext& ctx);
Response list_my_sessions(RequestContext& ctx);
Response end_my_session(RequestContext& ctx);
Response security_settings(RequestContext& ctx);
Response put_security_settings(RequestContext& ctx);

}  // namespace xiehui::web::handlers
