#pragma once
// Hourly limits per key (a client address): public forms that cost the association something
// (an application to review, a password reset mail) count each request against one.

#include <string>

#include "core/clock.hpp"
#include "core/db/database.hpp"
#include "core/error.hpp"

namespace xiehui::accounts {

/// Counts one request under `key`: false when the key's `per_hour` is used up. A cheap look
/// first, so a flood past the limit writes nothing; then the count under the counter row's
/// lock, so parallel requests cannot all slip under the limit.
Result<bool> count_hourly(db::Database& db, const std::string& key, int per_hour, Timestamp now);

}  // namespace xiehui::accounts
