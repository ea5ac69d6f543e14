#include "services/system/system_service.hpp"

namespace xiehui::services {

Status SystemService::readiness() { return db_.ping(); }

}  // namespace xiehui::services
