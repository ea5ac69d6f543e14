#pragma once
// Schema migrations: numbered SQL files per dialect (schema/sqlite, schema/mysql), embedded in
// the binary at build time, applied in order and recorded in `schema_version`.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/db/database.hpp"
#include "core/error.hpp"

namespace xiehui::db {

/// One migration file: schema/<dialect>/NNNN_name.sql.
struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

/// The migrations compiled into this binary for a dialect, ordered by version.
std::span<const Migration> embedded_migrations(Dialect dialect);

/// Splits a script into statements at `;` outside quotes and comments; comments are dropped,
/// empty statements skipped. (SOCI's sqlite3 backend runs only the first statement of a string.)
/// A CREATE TRIGGER statement runs to the `;` after the END that closes its BEGIN.
std::vector<std::string> split_sql_statements(std::string_view script);

/// What a migration run did.
struct MigrationReport {
  int from_version = 0;
  int to_version = 0;
  std::vector<int> applied;
};

/// Applies every migration newer than the database's version. Safe against several processes
/// migrating at once (SQLite: BEGIN IMMEDIATE per migration; MariaDB: GET_LOCK; Galera, where
/// GET_LOCK is per node: a row of xiehui_migration_lock, certified cluster-wide). Refuses with
/// `conflict` when the database is newer than the newest migration given.
Result<MigrationReport> migrate(Database& db, std::span<const Migration> migrations,
                                const Clock& clock);

/// The highest applied version, 0 for an empty database.
Result<int> schema_version(Database& db);

}  // namespace xiehui::db
