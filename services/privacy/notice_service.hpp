#pragma once
// The privacy notice: anyone reads the version in force, an admin publishes the next, and each
// account records the version it accepted (asked again at sign-in when a newer one is out).

#include <string_view>

#include "core/access.hpp"
#include "core/clock.hpp"
#include "core/db/database.hpp"
#include "core/error.hpp"
#include "services/privacy/notice.hpp"

namespace xiehui::privacy {

class NoticeService {
 public:
  NoticeService(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  Result<Notice> current();

  /// Publishes the texts as the next version (the same texts as in force: nothing new), accepted
  /// by its author. Each text is required and at most 20,000 characters (400 naming it
  /// otherwise). Audited.
  Result<Notice> publish(const Principal& who, std::string_view text_zh, std::string_view text_en);

  /// What the signed-in account accepted.
  Result<Acceptance> acceptance(long long user_id);

  /// Records that the account accepted `version`; 400 naming consent_version unless it is the
  /// version in force. Audited.
  Result<Acceptance> accept(const Principal& who, std::optional<long long> version);

 private:
  db::Database& db_;
  const Clock& clock_;
};

}  // namespace xiehui::privacy
