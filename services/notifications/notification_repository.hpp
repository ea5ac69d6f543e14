#pragma once
// The only SQL that writes notifications: a message to a unit (member_id) or a person (user_id)
// about an entity. Delivery (inbox, e-mail, SMS) reads them later.

#include <soci/soci.h>

#include <optional>
#include <string>

#include "core/clock.hpp"

namespace xiehui::notifications {

struct Notice {
  std::optional<long long> member_id;
  std::optional<long long> user_id;
  std::string kind;  ///< "visit.approved", "training.promoted", ...
  std::string message;
  std::string entity_type;
  long long entity_id = 0;
};

void notify(soci::session& s, const Notice& n, Timestamp now);

}  // namespace xiehui::notifications
