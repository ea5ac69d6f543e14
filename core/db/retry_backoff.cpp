#include "core/db/retry_backoff.hpp"

#include <algorithm>

namespace xiehui::db {

std::chrono::microseconds retry_backoff(int attempt, double unit, std::chrono::microseconds base,
                                        std::chrono::microseconds cap) {
  if (attempt < 2) return std::chrono::microseconds(0);
  // Doubling stops at the cap: 2^30 base units would overflow long before any real attempt count.
  auto ceiling = base;
  for (int i = 2; i < attempt && ceiling < cap; ++i) ceiling *= 2;
  ceiling = std::min(ceiling, cap);
  const double u = std::clamp(unit, 0.0, 1.0);
  return std::chrono::microseconds(
      static_cast<std::chrono::microseconds::rep>(u * static_cast<double>(ceiling.count())));
}

}  // namespace xiehui::db
