#pragma once
// The privacy notice (PIPL art. 17): versioned, so every record of consent names the text its
// submitter accepted, and a new version asks again.

#include <optional>
#include <string>

#include "core/clock.hpp"

namespace xiehui::privacy {

struct Notice {
  long long version = 0;
  std::string text_zh;
  std::string text_en;
  Timestamp published_at;
  std::string published_by;
};

/// What an account accepted at sign-in, against the notice in force.
struct Acceptance {
  long long version = 0;  ///< the notice in force
  std::optional<long long> accepted_version;
  std::optional<Timestamp> accepted_at;
};

}  // namespace xiehui::privacy
