#include "services/privacy/access_log.hpp"

#include <fmt/format.h>

#include "core/audit.hpp"

namespace xiehui::privacy {
namespace {

void log_row(soci::session& s, const Principal& who, const char* action,
             std::string_view entity_type, long long entity_id, std::string_view what,
             std::string_view fields, std::size_t rows, Timestamp at) {
  append_audit(s,
               {actor_id(who), who.username, who.address, action, std::string(entity_type),
                std::to_string(entity_id), fmt::format("{}：{} 人（{}）", what, rows, fields)},
               at);
}

}  // namespace

void log_view(soci::session& s, const Principal& who, std::string_view entity_type,
              long long entity_id, std::string_view what, std::string_view fields, std::size_t rows,
              Timestamp at) {
  log_row(s, who, kViewAction, entity_type, entity_id, what, fields, rows, at);
}

void log_export(soci::session& s, const Principal& who, std::string_view entity_type,
                long long entity_id, std::string_view what, std::string_view fields,
                std::size_t rows, Timestamp at) {
  log_row(s, who, kExportAction, entity_type, entity_id, what, fields, rows, at);
}

}  // namespace xiehui::privacy
