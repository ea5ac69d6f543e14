#include "core/db/backup.hpp"

#include <soci/sqlite3/soci-sqlite3.h>

#include <filesystem>

namespace xiehui::db {

// SOCI's header wraps SQLite's C API in this namespace.
using namespace sqlite_api;

Status backup_sqlite(Database& db, const std::string& dest) {
  if (db.dialect() != Dialect::sqlite) {
    return std::unexpected(make_error(ErrorCode::invalid_argument,
                                      {"MariaDB 请用 mariadb-dump 或 mariadb-backup 备份",
                                       "back up MariaDB with mariadb-dump or mariadb-backup"}));
  }
  if (std::filesystem::exists(dest)) {
    return std::unexpected(make_error(ErrorCode::already_exists,
                                      {"备份文件已存在：" + dest, "backup file exists: " + dest}));
  }
  return db.with_session([&](soci::session& s) -> Status {
    auto* backend = static_cast<soci::sqlite3_session_backend*>(s.get_backend());
    sqlite3* target = nullptr;
    if (sqlite3_open(dest.c_str(), &target) != SQLITE_OK) {
      sqlite3_close(target);
      return std::unexpected(
          make_error(ErrorCode::invalid_argument,
                     {"无法创建备份文件：" + dest, "cannot create backup file: " + dest}));
    }
    sqlite3_backup* job = sqlite3_backup_init(target, "main", backend->conn_, "main");
    int rc = job ? sqlite3_backup_step(job, -1) : sqlite3_errcode(target);
    if (job) sqlite3_backup_finish(job);
    const int close_rc = sqlite3_close(target);
    if (rc != SQLITE_DONE || close_rc != SQLITE_OK) {
      std::filesystem::remove(dest);
      return std::unexpected(
          make_error(ErrorCode::unavailable, {"备份失败，请稍后重试", "backup failed, try again"}));
    }
    return {};
  });
}

Status restore_sqlite(const std::string& source, const std::string& dest) {
  if (std::filesystem::exists(dest)) {
    return std::unexpected(make_error(ErrorCode::already_exists,
                                      {"目标数据库已存在，不会覆盖：" + dest,
                                       "the target database exists, not overwritten: " + dest}));
  }
  sqlite3* from = nullptr;
  if (sqlite3_open_v2(source.c_str(), &from, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK ||
      sqlite3_exec(from, "SELECT COUNT(*) FROM sqlite_master", nullptr, nullptr, nullptr) !=
          SQLITE_OK) {
    sqlite3_close(from);
    return std::unexpected(make_error(
        ErrorCode::invalid_argument,
        {"不是可读的 SQLite 备份：" + source, "not a readable SQLite backup: " + source}));
  }
  sqlite3* to = nullptr;
  int rc = sqlite3_open(dest.c_str(), &to);
  sqlite3_backup* job = rc == SQLITE_OK ? sqlite3_backup_init(to, "main", from, "main") : nullptr;
  rc = job ? sqlite3_backup_step(job, -1) : SQLITE_ERROR;
  if (job) sqlite3_backup_finish(job);
  // The restored file is the database from now on: on disk before anyone is told it is there.
  if (rc == SQLITE_DONE)
    rc = sqlite3_exec(to, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr);
  const int close_to = sqlite3_close(to);
  sqlite3_close(from);
  if (rc != SQLITE_OK || close_to != SQLITE_OK) {
    std::filesystem::remove(dest);
    return std::unexpected(
        make_error(ErrorCode::unavailable,
                   {"恢复失败：无法写入 " + dest, "restore failed: cannot write " + dest}));
  }
  return {};
}

}  // namespace xiehui::db
