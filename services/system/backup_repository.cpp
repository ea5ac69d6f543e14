#include "services/system/backup_repository.hpp"

#include <algorithm>
#include <ctime>

#include "core/crypto.hpp"
#include "core/db/sql.hpp"

namespace xiehui::services::backup_repository {
namespace {

// The tables a restore must return row for row. The audit log is checked by its hash chain.
constexpr const char* kTables[] = {
    "report_member_counts", "report_unit_year",   "report_group_year", "report_units",
    "report_classes",       "report_dues_months", "members",           "dues_invoices",
    "dues_payments",        "enrollments",        "visit_delegates",   "bookings"};

std::string value_text(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return "\\N";
  switch (r.get_properties(i).get_data_type()) {
    case soci::dt_string:
    case soci::dt_blob:
    case soci::dt_xml:
      return r.get<std::string>(i);
    case soci::dt_double:
      return std::to_string(r.get<double>(i));
    case soci::dt_date: {
      std::tm t = r.get<std::tm>(i);
      char buf[32];
      std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &t);
      return buf;
    }
    default:
      return std::to_string(db::get_int64(r, i));
  }
}

}  // namespace

std::vector<TableFingerprint> fingerprints(soci::session& s) {
  std::vector<TableFingerprint> out;
  for (const char* table : kTables) {
    std::vector<std::string> lines;
    const soci::rowset<soci::row> rows = (s.prepare << "SELECT * FROM " + std::string(table));
    for (const soci::row& r : rows) {
      std::string line;
      for (std::size_t i = 0; i < r.size(); ++i) {
        line += value_text(r, i);
        line += '\x1f';
      }
      lines.push_back(std::move(line));
    }
    std::ranges::sort(lines);
    std::string all;
    for (const auto& line : lines) all += line + '\n';
    out.push_back({table, static_cast<long long>(lines.size()), sha256_hex(all)});
  }
  return out;
}

}  // namespace xiehui::services::backup_repository
