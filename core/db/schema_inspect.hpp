#pragma once
// Reads the live schema (tables, columns, index names) so tests and `xiehui migrate --check`
// can prove the two dialects' migrations build the same shape.

#include <map>
#include <set>
#include <string>

#include "core/db/database.hpp"

namespace xiehui::db {

/// Column names and secondary index names of one table (primary keys excluded).
struct TableShape {
  std::set<std::string> columns;
  std::set<std::string> indexes;
  bool operator==(const TableShape&) const = default;
};

/// Table or view name → shape, for every table and view of the connected database; the
/// pseudo-table "(triggers)" lists the trigger names as its columns.
using SchemaShape = std::map<std::string, TableShape>;

Result<SchemaShape> inspect_schema(Database& db);

}  // namespace xiehui::db
