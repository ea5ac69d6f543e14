#pragma once
// Sessions (sign in/out), users (admin) and personal API tokens.

#include "web/router.hpp"

namespace xiehui::web::handlers {

Response login(RequestContext& ctx);
Response current_session(RequestContext& ctx);
Response logout(RequestContext& ctx);

Response list_users(RequestContext& ctx);
Response create_user(RequestContext& ctx);
Response get_user(RequestContext& ctx);
Response update_user(RequestContext& ctx);
Response set_password(RequestContext& ctx);

Response create_token(RequestContext& ctx);
Response list_tokens(RequestContext& ctx);
Response revoke_token(RequestContext& ctx);

Response list_audit(RequestContext& ctx);
Response verify_audit(RequestContext& ctx);
Response list_access_log(RequestContext& ctx);

}  // namespace xiehui::web::handlers
