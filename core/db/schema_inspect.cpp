#include "core/db/schema_inspect.hpp"

namespace xiehui::db {
namespace {

// Triggers keep the reports' aggregates (0014): both dialects must define the same ones.
constexpr const char* kTriggers = "(triggers)";

SchemaShape inspect_sqlite(soci::session& s) {
  SchemaShape shape;
  std::vector<std::string> tables;
  soci::rowset<std::string> names =
      (s.prepare << "SELECT name FROM sqlite_master WHERE "
                    "type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'");
  for (const std::string& t : names) tables.push_back(t);
  for (const std::string& t : tables) {
    TableShape& table = shape[t];
    soci::rowset<soci::row> cols = (s.prepare << "PRAGMA table_info(" + t + ")");
    for (const soci::row& r : cols) table.columns.insert(r.get<std::string>(1));
  }
  soci::rowset<soci::row> idx = (s.prepare << "SELECT name, tbl_name FROM sqlite_master WHERE "
                                              "type = 'index' AND name NOT LIKE 'sqlite_%'");
  for (const soci::row& r : idx) shape[r.get<std::string>(1)].indexes.insert(r.get<std::string>(0));
  soci::rowset<std::string> triggers =
      (s.prepare << "SELECT name FROM sqlite_master WHERE type = 'trigger'");
  for (const std::string& t : triggers) shape[kTriggers].columns.insert(t);
  return shape;
}

SchemaShape inspect_mysql(soci::session& s) {
  SchemaShape shape;
  soci::rowset<soci::row> cols =
      (s.prepare << "SELECT table_name, column_name FROM information_schema.columns "
                    "WHERE table_schema = DATABASE()");
  for (const soci::row& r : cols)
    shape[r.get<std::string>(0)].columns.insert(r.get<std::string>(1));
  soci::rowset<soci::row> idx =
      (s.prepare << "SELECT DISTINCT table_name, index_name FROM information_schema.statistics "
                    "WHERE table_schema = DATABASE() AND index_name <> 'PRIMARY'");
  for (const soci::row& r : idx) shape[r.get<std::string>(0)].indexes.insert(r.get<std::string>(1));
  soci::rowset<std::string> triggers =
      (s.prepare << "SELECT trigger_name FROM information_schema.triggers "
                    "WHERE trigger_schema = DATABASE()");
  for (const std::string& t : triggers) shape[kTriggers].columns.insert(t);
  return shape;
}

}  // namespace

Result<SchemaShape> inspect_schema(Database& db) {
  return db.with_session([&](soci::session& s) -> Result<SchemaShape> {
    return db.dialect() == Dialect::sqlite ? inspect_sqlite(s) : inspect_mysql(s);
  });
}

}  // namespace xiehui::db
