#pragma once
// Liveness and readiness of the process.

#include "core/db/database.hpp"
#include "core/error.hpp"

namespace xiehui::services {

class SystemService {
 public:
  explicit SystemService(db::Database& db) : db_(db) {}

  /// ok when the database answers a query; unavailable otherwise.
  Status readiness();

  std::size_t db_pool_size() const { return db_.pool_size(); }
  std::size_t db_in_use() const { return db_.in_use(); }

 private:
  db::Database& db_;
};

}  // namespace xiehui::services
