#pragma once
// JSON shapes of notifications, preferences, templates and the outbox (API.md "Notifications").

#include <boost/json/object.hpp>

#include "services/notifications/notification_service.hpp"
#include "web/http.hpp"

namespace xiehui::web::dto {

boost::json::object inbox_json(const notifications::InboxPage& page, int page_no, int page_size);
boost::json::object preferences_json(const notifications::Preferences& p, Lang lang);
boost::json::object account_json(const notifications::Account& a);
boost::json::object template_json(const notifications::TemplateView& t, Lang lang);
boost::json::object templates_json(const std::vector<notifications::TemplateView>& all, Lang lang);
boost::json::object preview_json(const notifications::Preview& p);
boost::json::object outbox_message_json(const notifications::OutboxMessage& m);
boost::json::object outbox_json(const notifications::OutboxPage& page, int page_no, int page_size);
/// The queue's gauges in Prometheus text.
std::string outbox_metrics(const notifications::OutboxStats& s);

}  // namespace xiehui::web::dto
