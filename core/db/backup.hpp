#pragma once
// Online backup of a SQLite database (consistent while the server keeps writing), and its
// restore into a new file.

#include <string>

#include "core/db/database.hpp"

namespace xiehui::db {

/// Copies the open SQLite database to `dest` with SQLite's online backup API. `dest` must not
/// exist yet (already_exists otherwise). For MariaDB this answers invalid_argument: use
/// mariadb-dump or mariadb-backup, as `xiehui backup` explains.
Status backup_sqlite(Database& db, const std::string& dest);

/// Copies the SQLite database file `source` (a backup) to the new file `dest` page by page with
/// the same API, then syncs it. `dest` must not exist (already_exists); `source` must be a
/// SQLite database (invalid_argument).
Status restore_sqlite(const std::string& source, const std::string& dest);

}  // namespace xiehui::db
