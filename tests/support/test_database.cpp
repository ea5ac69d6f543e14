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

std::string TestDatabase::mysql_server_params() {
  const char* v = std::getenv("XIEHUI_TEST_MYSQL");
  return v ? v : "";
}

TestDatabase::TestDatabase(const std::string& backend, Schema schema) : backend_(backend) {
  if (backend == "sqlite") {
    dir_ = (std::filesystem::temp_directory_path() / ("xiehui-test-" + random_suffix())).string();
    std::filesystem::create_directories(dir_);
    conn_ = "sqlite3://db=" + dir_ + "/test.db";
    if (schema == Schema::migrated) migrate_sqlite();
    return;
  }
  if (schema == Schema::migrated) {
    pooled_ = std::make_unique<PooledMysqlDatabase>(mysql_server_params());
    mysql_name_ = pooled_->name();
    conn_ = "mysql://db=" + mysql_name_ + " " + mysql_server_params();
    return;
  }
  mysql_name_ = "xt_" + random_suffix();
  soci::session admin(soci::mysql, "db=mysql " + mysql_server_params());
  admin << "CREATE DATABASE " + mysql_name_ + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci";
  conn_ = "mysql://db=" + mysql_name_ + " " + mysql_server_params();
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
      soci::session admin(soci::mysql, "db=mysql " + mysql_server_params());
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
