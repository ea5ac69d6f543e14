#include "tests/support/test_database.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>

#include <cstdlib>
#include <filesystem>
#include <random>
#include <stdexcept>

#include "core/clock.hpp"
#include "core/db/database.hpp"
#include "core/db/migrator.hpp"
#include "tests/support/mysql_pool.hpp"

namespace xiehui::testing {
namespace {

std::string random_suffix() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  return fmt::format("{:012x}", rng() & 0xffffffffffffULL);
}

}  // namespace

bool mysql_available() {
  const char* v = std::getenv("XIEHUI_TEST_MYSQL");
  return v && *v;
}

std::vector<std::string> test_backends() {
  std::vector<std::string> out{"sqlite"};
  if (mysql_available()) {
    out.push_back("mysql");
  } else if (const char* ci = std::getenv("CI"); ci && *ci) {
    ADD_FAILURE() << "CI is set but XIEHUI_TEST_MYSQL is not: MariaDB tests would be skipped";
  }
  return out;
}

std::vector<std::string> multi_process_backends() {
  std::vector<std::string> out;
  for (const auto& b : test_backends()) {
    if (b == "mysql") out.push_back(b);
  }
  if (!TestDatabase::galera_node_params(1).empty() &&
      !TestDatabase::galera_node_params(2).empty() &&
      !TestDatabase::galera_node_params(3).empty()) {
    out.emplace_back("galera");
  }
  return out;
}

std::string TestDatabase::mysql_server_params() {
  const char* v = std::getenv("XIEHUI_TEST_MYSQL");
  return v ? v : "";
}

std::string TestDatabase::galera_node_params(int node) {
  const std::string name = "XIEHUI_TEST_GALERA_" + std::to_string(node);
  const char* v = std::getenv(name.c_str());
  return v ? v : "";
}

// The server a database is made on: on Galera node 1 (the schema replicates to the others).
std::string TestDatabase::server_params() const {
  return backend_ == "galera" ? galera_node_params(1) : mysql_server_params();
}

std::vector<std::string> TestDatabase::process_connection_strings(std::size_t n) const {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(backend_ == "galera" ? "mysql://db=" + mysql_name_ + " " +
                                             galera_node_params(static_cast<int>(i % 3) + 1)
                                       : conn_);
  }
  return out;
}

TestDatabase::TestDatabase(const std::string& backend, Schema schema) : backend_(backend) {
  if (backend == "sqlite") {
    dir_ = (std::filesystem::temp_directory_path() / ("xiehui-test-" + random_suffix())).string();
    std::filesystem::create_directories(dir_);
    conn_ = "sqlite3://db=" + dir_ + "/test.db";
    if (schema == Schema::migrated) migrate_sqlite();
    return;
  }
  const std::string server = server_params();
  if (schema == Schema::migrated) {
    pooled_ = std::make_unique<PooledMysqlDatabase>(server);
    mysql_name_ = pooled_->name();
    conn_ = "mysql://db=" + mysql_name_ + " " + server;
    return;
  }
  mysql_name_ = "xt_" + random_suffix();
  soci::session admin(soci::mysql, "db=mysql " + server);
  admin << "CREATE DATABASE " + mysql_name_ + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci";
  conn_ = "mysql://db=" + mysql_name_ + " " + server;
}

void TestDatabase::migrate_sqlite() {
  auto database = db::Database::open(conn_, 1);
  if (!database)
    throw std::runtime_error("cannot open " + conn_ + ": " + database.error().message.en);
  const SystemClock clock;
  auto migrated = db::migrate(**database, db::embedded_migrations(db::Dialect::sqlite), clock);
  if (!migrated) throw std::runtime_error("cannot migrate: " + migrated.error().message.en);
}

TestDatabase::~TestDatabase() {
  try {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
    if (!mysql_name_.empty() && !pooled_) {
      soci::session admin(soci::mysql, "db=mysql " + server_params());
      admin << "DROP DATABASE IF EXISTS " + mysql_name_;
    }
  } catch (const std::exception& e) {
    ADD_FAILURE() << "cannot drop test database: " << e.what();
  }
}

TempDir::TempDir() {
  path_ = (std::filesystem::temp_directory_path() / ("xiehui-tmp-" + random_suffix())).string();
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace xiehui::testing
