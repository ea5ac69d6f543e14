#pragma once
// Migrated MariaDB databases for tests, reused across test processes.
//
// Creating a database and running every migration costs ~0.7 s of DDL on MariaDB (over 2 s on a
// busy CI machine): it was most of the MariaDB half of the suite. A pooled database is migrated
// once, then handed to one test at a time (a named lock held by the test's process: a crashed
// test frees it), and emptied back to the freshly migrated state before each use: every table's
// rows are deleted (the report triggers' rows too) and the rows the migrations wrote are copied
// back from a pristine copy. Ids do not restart at 1 (resetting AUTO_INCREMENT is DDL and as
// slow as migrating); tests must not assume them.

#include <soci/soci.h>

#include <memory>
#include <string>

namespace xiehui::testing {

class PooledMysqlDatabase {
 public:
  /// Takes a free pooled database at the current schema on the server `server_params`
  /// ("host=… port=… user=… password=…"), creating or repairing it when needed.
  explicit PooledMysqlDatabase(const std::string& server_params);
  /// Gives the database back (the lock goes with the connection).
  ~PooledMysqlDatabase();
  PooledMysqlDatabase(const PooledMysqlDatabase&) = delete;
  PooledMysqlDatabase& operator=(const PooledMysqlDatabase&) = delete;

  const std::string& name() const { return name_; }

 private:
  std::string name_;
  std::unique_ptr<soci::session> lock_;  // holds GET_LOCK(name_) while the test runs
};

}  // namespace xiehui::testing
