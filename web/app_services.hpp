#pragma once
// What handlers can reach: the services and process-wide state, all owned by the App.

#include "web/metrics.hpp"

namespace xiehui::services {
class SystemService;
}
namespace xiehui::accounts {
class AccountsService;
class AuthService;
}  // namespace xiehui::accounts
namespace xiehui::audit {
class AuditService;
}
namespace xiehui::membership {
class MembershipService;
}

namespace xiehui::web {

struct AppServices {
  services::SystemService& system;
  accounts::AccountsService& accounts;
  accounts::AuthService& auth;
  audit::AuditService& audit;
  membership::MembershipService& membership;
  Metrics& metrics;
  bool secure_cookies = false;  ///< behind TLS: session cookies carry Secure
};

}  // namespace xiehui::web
