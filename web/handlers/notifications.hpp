#pragma once
// Handlers of notifications, preferences, templates, the outbox and password resets
// (docs/API.md "Notifications").

#include "web/router.hpp"

namespace xiehui::web::handlers {

Response list_notifications(RequestContext& ctx);
Response unread_notifications(RequestContext& ctx);
Response read_notification(RequestContext& ctx);
Response read_all_notifications(RequestContext& ctx);
Response get_notification_preferences(RequestContext& ctx);
Response put_notification_preferences(RequestContext& ctx);
Response get_account(RequestContext& ctx);
Response patch_account(RequestContext& ctx);

Response list_outbox(RequestContext& ctx);
Response retry_outbox(RequestContext& ctx);
Response cancel_outbox(RequestContext& ctx);
Response list_notification_templates(RequestContext& ctx);
Response get_notification_template(RequestContext& ctx);
Response put_notification_template(RequestContext& ctx);
Response delete_notification_template(RequestContext& ctx);
Response preview_notification_template(RequestContext& ctx);

Response request_password_reset(RequestContext& ctx);
Response confirm_password_reset(RequestContext& ctx);

}  // namespace xiehui::web::handlers
