#pragma once
// A fresh, empty database per test on each backend. SQLite always; MariaDB when
// XIEHUI_TEST_MYSQL ("host=… port=… user=… password=…") names a server, as scripts/test.sh does.

#include <memory>
#include <string>
#include <vector>

namespace xiehui::testing {

/// "sqlite", plus "mysql" when XIEHUI_TEST_MYSQL is set. Under CI=true a missing MariaDB is a
/// failure, never a silent skip.
std::vector<std::string> test_backends();

/// True when XIEHUI_TEST_MYSQL is set.
bool mysql_available();

class PooledMysqlDatabase;

/// A database for one test on `backend`: empty (dropped on destruction), or already at the
/// current schema (on MariaDB a pooled one, emptied back to the migrated state; see
/// mysql_pool.hpp: ids do not start at 1 there).
class TestDatabase {
 public:
  enum class Schema { empty, migrated };
  explicit TestDatabase(const std::string& backend, Schema schema = Schema::empty);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  /// A connection string for Database::open / --db.
  const std::string& connection_string() const { return conn_; }
  /// The MariaDB database name ("" for SQLite).
  const std::string& mysql_name() const { return mysql_name_; }
  /// The MariaDB server parameters without db= ("" for SQLite).
  static std::string mysql_server_params();

 private:
  void migrate_sqlite();

  std::string backend_;
  std::string conn_;
  std::string dir_;
  std::string mysql_name_;
  std::unique_ptr<PooledMysqlDatabase> pooled_;
};

/// A unique scratch directory removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

/// gtest parameter names: "sqlite", "mysql".
struct BackendName {
  template <class Info>
  std::string operator()(const Info& info) const {
    return info.param;
  }
};

}  // namespace xiehui::testing
