#pragma once
// A fresh, empty database per test on each backend. SQLite always; MariaDB when
// XIEHUI_TEST_MYSQL ("host=… port=… user=… password=…") names a server, as scripts/test.sh does;
// for the suites of several server processes, a Galera cluster when XIEHUI_TEST_GALERA_1, _2 and
// _3 name its three nodes (scripts/galera_test_cluster.sh env, as scripts/test.sh --galera does).

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace xiehui::testing {

/// "sqlite", plus "mysql" when XIEHUI_TEST_MYSQL is set. Under CI=true a missing MariaDB is a
/// failure, never a silent skip.
std::vector<std::string> test_backends();

/// True when XIEHUI_TEST_MYSQL is set.
bool mysql_available();

/// The backends of the suites that run several server processes on one database (a SQLite file
/// has one writer process): "mysql", and "galera" when XIEHUI_TEST_GALERA_1.._3 are set.
std::vector<std::string> multi_process_backends();

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

  /// A connection string for Database::open / --db (on Galera: through node 1).
  const std::string& connection_string() const { return conn_; }
  /// Connection strings for `n` server processes, the first connection_string(): on Galera
  /// through nodes 1, 2, 3, 1, …, elsewhere all the same.
  std::vector<std::string> process_connection_strings(std::size_t n) const;
  /// The MariaDB database name ("" for SQLite).
  const std::string& mysql_name() const { return mysql_name_; }
  /// The MariaDB server parameters without db= ("" for SQLite).
  static std::string mysql_server_params();
  /// Galera node `node`'s (1–3) parameters without db= ("" when not set).
  static std::string galera_node_params(int node);

 private:
  void migrate_sqlite();

  std::string server_params() const;

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
