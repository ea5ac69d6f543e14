#include "services/accounts/address_limit.hpp"

#include "services/accounts/session_repository.hpp"
#include "services/accounts/throttle_rules.hpp"

namespace xiehui::accounts {

Result<bool> count_hourly(db::Database& db, const std::string& key, int per_hour, Timestamp now) {
  namespace sr = session_repository;
  const std::chrono::minutes hour{60};
  const ThrottlePolicy limit{per_hour, hour, hour, hour};
  auto open = db.with_session([&](soci::session& s) -> Result<bool> {
    sr::ensure_throttle(s, key, now);
    return !locked_until(sr::find_throttle(s, key), now);
  });
  if (!open || !*open) return open;
  return db.with_transaction([&](soci::session& s) -> Result<bool> {
    const auto row = sr::lock_throttle(s, key);
    if (locked_until(row, now)) return false;
    sr::update_throttle(s, key, after_failure(row, now, limit));
    return true;
  });
}

}  // namespace xiehui::accounts
