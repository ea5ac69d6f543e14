#include "tests/support/schema_text.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <vector>

namespace xiehui::testing {

TextColumns text_columns(db::Database& db) {
  auto r = db.with_session([&](soci::session& s) -> Result<TextColumns> {
    TextColumns out;
    if (db.dialect() == db::Dialect::sqlite) {
      std::vector<std::string> tables;
      soci::rowset<std::string> names =
          (s.prepare << "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                        "'sqlite_%'");
      for (const auto& n : names) tables.push_back(n);
      for (const auto& t : tables) {
        soci::rowset<soci::row> cols =
            (s.prepare << "SELECT name, type FROM pragma_table_info('" + t + "')");
        for (const soci::row& c : cols) {
          std::string type = c.get<std::string>(1);
          for (char& ch : type)
            ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
          if (type.find("TEXT") != std::string::npos || type.find("CHAR") != std::string::npos) {
            out[t].insert(c.get<std::string>(0));
          }
        }
      }
    } else {
      soci::rowset<soci::row> cols =
          (s.prepare << "SELECT c.table_name, c.column_name FROM information_schema.columns c "
                        "JOIN information_schema.tables t ON t.table_schema = c.table_schema AND "
                        "t.table_name = c.table_name WHERE c.table_schema = DATABASE() AND "
                        "t.table_type = 'BASE TABLE' AND c.data_type IN ('char', 'varchar', "
                        "'text', 'tinytext', 'mediumtext', 'longtext')");
      for (const soci::row& c : cols) out[c.get<std::string>(0)].insert(c.get<std::string>(1));
    }
    return out;
  });
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message.en);
  return r.value_or(TextColumns{});
}

std::set<std::string> columns_containing(db::Database& db, const std::string& needle) {
  std::set<std::string> found;
  // MariaDB: ASCII-only columns (tokens, codes) are compared as UTF-8 too.
  const bool mysql = db.dialect() != db::Dialect::sqlite;
  for (const auto& [table, columns] : text_columns(db)) {
    for (const auto& column : columns) {
      const std::string value = mysql ? "CONVERT(" + column + " USING utf8mb4)" : column;
      auto n = db.with_session([&](soci::session& s) -> Result<long long> {
        long long count = 0;
        s << "SELECT COUNT(*) FROM " + table + " WHERE INSTR(" + value + ", :n) > 0",
            soci::use(needle), soci::into(count);
        return count;
      });
      EXPECT_TRUE(n.has_value()) << table << "." << column;
      if (n.value_or(0) > 0) found.insert(table + "." + column);
    }
  }
  return found;
}

}  // namespace xiehui::testing
