#pragma once
// What handlers can reach: the services and process-wide state, all owned by the App.

#include "web/metrics.hpp"

namespace xiehui::services {
class SystemService;
}

namespace xiehui::web {

struct AppServices {
  services::SystemService& system;
  Metrics& metrics;
};

}  // namespace xiehui::web
