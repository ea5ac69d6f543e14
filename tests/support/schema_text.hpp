#pragma once
// The text columns of a migrated database, read off its catalogue (SQLite's pragma_table_info,
// MariaDB's information_schema), for tests that must cover every column: the personal-data
// catalogue and the erasure test.

#include <map>
#include <set>
#include <string>

#include "core/db/database.hpp"

namespace xiehui::testing {

/// Table → its CHAR, VARCHAR and TEXT columns, for every base table.
using TextColumns = std::map<std::string, std::set<std::string>>;

TextColumns text_columns(db::Database& db);

/// "table.column" of every text column holding `needle` anywhere in its value.
std::set<std::string> columns_containing(db::Database& db, const std::string& needle);

}  // namespace xiehui::testing
