#pragma once
// Liveness and readiness of the process.

#include <cstddef>
#include <cstdint>

#include "core/db/database.hpp"
#include "core/db/sqlite_statement_cache.hpp"
#include "core/error.hpp"

namespace xiehui::services {

struct DbFigures {
  std::size_t pool_size = 0;
  std::size_t in_use = 0;
  std::uint64_t write_groups = 0;
  std::uint64_t grouped_writes = 0;
  std::uint64_t statement_cache_hits = 0;
  std::uint64_t statement_cache_misses = 0;
  std::uint64_t write_retries = 0;
  std::uint64_t write_conflicts_lost = 0;
};

class SystemService {
 public:
  explicit SystemService(db::Database& db) : db_(db) {}

  /// ok when the database answers a query; unavailable otherwise.
  Status readiness();

  /// The connection pool, the SQLite group commit and statement cache, MariaDB's transaction
  /// retries, sampled now (for /metrics).
  DbFigures db_figures() const {
    const auto cache = db::sqlite_statement_cache_figures();
    return {db_.pool_size(), db_.in_use(), db_.write_groups(),  db_.grouped_writes(),
            cache.hits,      cache.misses, db_.write_retries(), db_.write_conflicts_lost()};
  }

 private:
  db::Database& db_;
};

}  // namespace xiehui::services
