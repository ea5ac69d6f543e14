#pragma once
// The delivery sections of the config file: "mail_from", "smtp", "sms", "outbox" (the names in
// docs/API.md "Notifications" are the contract). A template that cannot render is refused at
// start-up, never at send time.

#include <boost/json/value.hpp>

#include <string>

#include "core/config.hpp"
#include "core/error.hpp"

namespace xiehui::web {

/// Applies one delivery key (`key` is one of mail_from, smtp, sms, outbox); false in the
/// optional when `key` is not a delivery key.
std::optional<Status> apply_delivery_key(AppConfig& config, const std::string& path,
                                         const std::string& key, const boost::json::value& value);

}  // namespace xiehui::web
