#pragma once
// The access log (PIPL art. 51): every view of unmasked personal data by staff is one row of the
// audit chain, so it is tamper-evident like the rest and GET /api/audit/verify covers it. One
// row per page or file, never per field: who (the audit row's actor and address), what (entity
// and a summary naming the fields and the count), when.

#include <soci/soci.h>

#include <string>
#include <string_view>
#include <utility>

#include "core/access.hpp"
#include "core/clock.hpp"
#include "core/db/database.hpp"
#include "services/privacy/sight.hpp"

namespace xiehui::privacy {

/// The audit actions that make up the access log.
inline constexpr const char* kViewAction = "personal.view";
inline constexpr const char* kExportAction = "personal.export";

/// Records that `who` saw `rows` people of `entity_type` `entity_id` (`what`: "培训名单" …) with
/// `fields` ("姓名、职务、手机、邮箱") unmasked, in the caller's transaction.
void log_view(soci::session& s, const Principal& who, std::string_view entity_type,
              long long entity_id, std::string_view what, std::string_view fields, std::size_t rows,
              Timestamp at);

/// The same for a file: `action` is kExportAction.
void log_export(soci::session& s, const Principal& who, std::string_view entity_type,
                long long entity_id, std::string_view what, std::string_view fields,
                std::size_t rows, Timestamp at);

/// Runs fn in a write transaction when the read it makes is to be logged (its log row commits
/// with it), else in a plain session.
template <class F>
auto read_logged(db::Database& db, Sight sight, F&& fn) {
  if (sight == Sight::full_logged) return db.with_transaction(std::forward<F>(fn));
  return db.with_session(std::forward<F>(fn));
}

}  // namespace xiehui::privacy
