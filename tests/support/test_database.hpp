#pragma once
// A fresh, empty database per test on each backend. SQLite always; MariaDB when
// XIEHUI_TEST_MYSQL ("host=… port=… user=… password=…") names a server, as scripts/test.sh does.

#include <string>
#include <vector>

namespace xiehui::testing {

/// "sqlite", plus "mysql" when XIEHUI_TEST_MYSQL is set. Under CI=true a missing MariaDB is a
/// failure, never a silent skip.
std::vector<std::string> test_backends();

/// True when XIEHUI_TEST_MYSQL is set.
bool mysql_available();

/// Creates an empty database on `backend` and drops it on destruction.
class TestDatabase {
 public:
  explicit TestDatabase(const std::string& backend);
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
  std::string backend_;
  std::string conn_;
  std::string dir_;
  std::string mysql_name_;
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
