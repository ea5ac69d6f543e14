#pragma once
// The audit row every dues write appends in its own transaction, and who the actor is.

#include <soci/soci.h>

#include <optional>
#include <string>

#include "core/access.hpp"
#include "core/audit.hpp"
#include "services/membership/membership_labels.hpp"

namespace xiehui::dues {

/// The acting user's id; none for the daily run (user id 0).
inline std::optional<long long> actor_id(const Principal& p) {
  return p.user_id ? std::optional<long long>(p.user_id) : std::nullopt;
}

inline void audit(soci::session& s, const Principal& who, const char* action, const char* entity,
                  long long id, std::string summary, Timestamp now) {
  append_audit(s,
               {actor_id(who), who.username, who.address, action, entity, std::to_string(id),
                std::move(summary)},
               now);
}

/// "理事单位" for "council".
inline std::string tier_label(const std::string& tier) { return membership::label_of(tier); }

}  // namespace xiehui::dues
