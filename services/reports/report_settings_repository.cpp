// The reports' settings rows (the term for the 换届 countdown) in the shared settings table.

#include "core/db/rows.hpp"
#include "services/reports/report_repository.hpp"

namespace xiehui::reports::report_repository {

std::map<std::string, std::string> settings(soci::session& s) {
  std::map<std::string, std::string> out;
  soci::rowset<soci::row> rows = s.prepare
                                 << "SELECT name, value FROM settings WHERE name LIKE 'reports.%'";
  for (const soci::row& r : rows) out[db::rows::text(r, 0)] = db::rows::text(r, 1);
  return out;
}

void put_setting(soci::session& s, const std::string& name, const std::optional<std::string>& value,
                 const std::string& now) {
  s << "DELETE FROM settings WHERE name = :n", soci::use(name);
  if (value) {
    s << "INSERT INTO settings (name, value, updated_at) VALUES (:n, :v, :at)", soci::use(name),
        soci::use(*value), soci::use(now);
  }
}

}  // namespace xiehui::reports::report_repository
