#pragma once
// The audit row every dues write appends in its own transaction, and who the actor is.

#include <soci/soci.h>

#include <optional>
#include <string>

#include "core/access.hpp"
#include "core/audit.hpp"
#include "services/membership/membership_labels.hpp"

namespace xiehui::dues {

inline void audit(soci::session& s, const Principal& who, const char* action, const char* entity,
                  long long id, std::string summary, Timestamp now) {
  audit_as(s, who, action, entity, id, std::move(summary), now);
}

/// "理事单位" for "council".
inline std::string tier_label(const std::string& tier) { return membership::label_of(tier); }

}  // namespace xiehui::dues
