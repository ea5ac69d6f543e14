#include "core/db/migrator.hpp"

#include <spdlog/spdlog.h>

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <thread>

#include "core/audit.hpp"
#include "core/time.hpp"

namespace xiehui::db {
namespace {

// The migration that adds the audit chain's hash version (0018_personal_data.sql).
constexpr int kAuditChainV2Schema = 18;

void trim_into(std::string& current, std::vector<std::string>& out) {
  const auto first = current.find_first_not_of(" \t\r\n");
  if (first != std::string::npos) {
    const auto last = current.find_last_not_of(" \t\r\n");
    out.push_back(current.substr(first, last - first + 1));
  }
  current.clear();
}

void ensure_version_table(soci::session& s, Dialect dialect) {
  if (dialect == Dialect::sqlite) {
    s << "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
         "name TEXT NOT NULL, applied_at TEXT NOT NULL)";
  } else {
    s << "CREATE TABLE IF NOT EXISTS schema_version (version INT NOT NULL PRIMARY KEY, "
         "name VARCHAR(200) NOT NULL, applied_at VARCHAR(32) NOT NULL) "
         "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci";
  }
}

int read_version(soci::session& s) {
  // MAX() comes back as text from SQLite: read through a long long with a null indicator.
  long long v = 0;
  soci::indicator ind = soci::i_null;
  s << "SELECT MAX(version) FROM schema_version", soci::into(v, ind);
  return ind == soci::i_ok ? static_cast<int>(v) : 0;
}

Error newer_database(int have, int know) {
  return make_error(
      ErrorCode::conflict,
      {"数据库结构版本 " + std::to_string(have) + " 比本程序支持的 " + std::to_string(know) +
           " 新：请使用更新版本的 xiehui",
       "the database schema version " + std::to_string(have) + " is newer than this binary's " +
           std::to_string(know) + ": use a newer xiehui"});
}

void apply(soci::session& s, const Migration& m, const Clock& clock) {
  for (const std::string& stmt : split_sql_statements(m.sql)) s << stmt;
  const std::string name(m.name);
  const std::string at = format_db_timestamp(clock.now());
  s << "INSERT INTO schema_version (version, name, applied_at) VALUES (:v, :n, :a)",
      soci::use(m.version), soci::use(name), soci::use(at);
}

// SQLite: each migration in its own BEGIN IMMEDIATE transaction, re-reading the version inside
// it so a second process that migrated first is noticed.
void migrate_sqlite(soci::session& s, std::span<const Migration> migrations, const Clock& clock,
                    MigrationReport& report) {
  for (const Migration& m : migrations) {
    s << "BEGIN IMMEDIATE";
    try {
      if (read_version(s) >= m.version) {
        s << "ROLLBACK";
        continue;
      }
      apply(s, m, clock);
      s << "COMMIT";
      report.applied.push_back(m.version);
    } catch (...) {
      try {
        s << "ROLLBACK";
      } catch (...) {
      }
      throw;
    }
  }
}

// On Galera, GET_LOCK holds on its own node only: two processes on two nodes would both migrate.
// A row is certified cluster-wide instead: of two inserts of it, one commits and the other fails
// (duplicate key, or a certification conflict) and waits. A process that dies while migrating
// leaves the row; after kStaleLock it is taken as abandoned. Returns the holder name used.
constexpr std::chrono::minutes kStaleLock{30};
constexpr std::chrono::seconds kLockWait{300};

std::string take_cluster_migration_lock(soci::session& s, const Clock& clock) {
  s << "CREATE TABLE IF NOT EXISTS xiehui_migration_lock (id INT NOT NULL PRIMARY KEY, "
       "holder VARCHAR(100) NOT NULL, taken_at VARCHAR(32) NOT NULL) "
       "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci";
  std::string host;
  s << "SELECT @@hostname", soci::into(host);
  const std::string holder = host + ":" + std::to_string(::getpid());
  const auto deadline = std::chrono::steady_clock::now() + kLockWait;
  for (;;) {
    const std::string now = format_db_timestamp(clock.now());
    try {
      s << "INSERT INTO xiehui_migration_lock (id, holder, taken_at) VALUES (1, :h, :t)",
          soci::use(holder), soci::use(now);
      return holder;
    } catch (const soci::soci_error&) {
      // Held by another process (or lost a simultaneous insert): wait, unless it is abandoned.
    }
    const std::string stale = format_db_timestamp(clock.now() - kStaleLock);
    s << "DELETE FROM xiehui_migration_lock WHERE id = 1 AND taken_at < :t", soci::use(stale);
    if (std::chrono::steady_clock::now() > deadline) {
      std::string other;
      std::string since;
      s << "SELECT holder, taken_at FROM xiehui_migration_lock WHERE id = 1", soci::into(other),
          soci::into(since);
      throw std::runtime_error("could not take the migration lock: held by " + other + " since " +
                               since +
                               " (if no xiehui is migrating: DELETE FROM xiehui_migration_lock)");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
}

void migrate_locked(soci::session& s, std::span<const Migration> migrations, const Clock& clock,
                    MigrationReport& report) {
  const int current = read_version(s);
  for (const Migration& m : migrations) {
    if (m.version <= current) continue;
    apply(s, m, clock);
    report.applied.push_back(m.version);
  }
}

// MariaDB commits DDL implicitly, so a lock serialises migrating processes instead: a named lock
// on one server (released with the connection if the process dies), a certified row on Galera.
void migrate_mysql(soci::session& s, bool galera, std::span<const Migration> migrations,
                   const Clock& clock, MigrationReport& report) {
  if (galera) {
    const std::string holder = take_cluster_migration_lock(s, clock);
    try {
      migrate_locked(s, migrations, clock, report);
    } catch (...) {
      s << "DELETE FROM xiehui_migration_lock WHERE id = 1 AND holder = :h", soci::use(holder);
      throw;
    }
    s << "DELETE FROM xiehui_migration_lock WHERE id = 1 AND holder = :h", soci::use(holder);
    return;
  }
  int got = 0;
  s << "SELECT GET_LOCK('xiehui_migrate', 120)", soci::into(got);
  if (got != 1) throw std::runtime_error("could not take the migration lock");
  try {
    migrate_locked(s, migrations, clock, report);
  } catch (...) {
    s << "SELECT RELEASE_LOCK('xiehui_migrate')", soci::into(got);
    throw;
  }
  s << "SELECT RELEASE_LOCK('xiehui_migrate')", soci::into(got);
}

}  // namespace

namespace {

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

// Whether `text` starts (after blanks) with CREATE TRIGGER, in any case and spacing.
bool starts_trigger(std::string_view text) {
  std::string squeezed;
  for (char c : text) {
    if (squeezed.size() >= 14) break;
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!squeezed.empty() && squeezed.back() != ' ') squeezed += ' ';
    } else {
      squeezed += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
  }
  return squeezed == "CREATE TRIGGER";
}

}  // namespace

std::vector<std::string> split_sql_statements(std::string_view script) {
  std::vector<std::string> out;
  std::string current;
  // In a CREATE TRIGGER, a `;` ends the statement only once its BEGIN … END is closed: BEGIN and
  // CASE open a block, END closes one (trigger bodies use CASE expressions, never END IF).
  int depth = 0;
  bool opened = false;
  std::size_t i = 0;
  const std::size_t n = script.size();
  while (i < n) {
    const char c = script[i];
    if (c == '-' && i + 1 < n && script[i + 1] == '-') {
      while (i < n && script[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < n && script[i + 1] == '*') {
      const auto end = script.find("*/", i + 2);
      i = end == std::string_view::npos ? n : end + 2;
      current += ' ';
    } else if (c == '\'' || c == '"' || c == '`') {
      // Copy the quoted text verbatim; a doubled quote is an escaped quote.
      current += c;
      ++i;
      while (i < n) {
        current += script[i];
        if (script[i] == c) {
          if (i + 1 < n && script[i + 1] == c) {
            current += script[++i];
          } else {
            ++i;
            break;
          }
        }
        ++i;
      }
    } else if (word_char(c)) {
      std::size_t j = i;
      while (j < n && word_char(script[j])) ++j;
      std::string word(script.substr(i, j - i));
      for (char& w : word) w = static_cast<char>(std::toupper(static_cast<unsigned char>(w)));
      if (word == "BEGIN" || word == "CASE") {
        ++depth;
        opened = opened || word == "BEGIN";
      } else if (word == "END") {
        --depth;
      }
      current.append(script.substr(i, j - i));
      i = j;
    } else if (c == ';') {
      if (opened && depth > 0 && starts_trigger(current)) {
        current += c;
      } else {
        trim_into(current, out);
        depth = 0;
        opened = false;
      }
      ++i;
    } else {
      current += c;
      ++i;
    }
  }
  trim_into(current, out);
  return out;
}

Result<int> schema_version(Database& db) {
  return db.with_session([&](soci::session& s) -> Result<int> {
    ensure_version_table(s, db.dialect());
    return read_version(s);
  });
}

Result<MigrationReport> migrate(Database& db, std::span<const Migration> migrations,
                                const Clock& clock) {
  const int latest = migrations.empty() ? 0 : migrations.back().version;
  auto migrated = db.with_session([&](soci::session& s) -> Result<MigrationReport> {
    ensure_version_table(s, db.dialect());
    MigrationReport report;
    report.from_version = read_version(s);
    if (report.from_version > latest) {
      return std::unexpected(newer_database(report.from_version, latest));
    }
    if (db.dialect() == Dialect::sqlite) {
      migrate_sqlite(s, migrations, clock, report);
    } else {
      // The session is connected here, so the database knows whether it is on a Galera node.
      migrate_mysql(s, db.galera(), migrations, clock, report);
    }
    report.to_version = read_version(s);
    for (int v : report.applied) spdlog::info("applied schema migration {}", v);
    return report;
  });
  if (!migrated || migrated->to_version < kAuditChainV2Schema) return migrated;
  // The one data change SQL cannot make: hashing the audit chain again (SHA-256), once. Read
  // first, so that a start on a converted or empty chain (which starts at version 2 with its
  // first row) writes nothing.
  auto pending = db.with_session([](soci::session& s) -> Result<bool> {
    int version = 1;
    long long rows = 0;
    s << "SELECT hash_version, last_id FROM audit_head WHERE id = 1", soci::into(version),
        soci::into(rows);
    return version < kAuditHashVersion && rows > 0;
  });
  if (!pending) return std::unexpected(pending.error());
  if (!*pending) return migrated;
  auto upgraded =
      db.with_transaction([](soci::session& s) -> Result<bool> { return upgrade_audit_chain(s); });
  if (!upgraded) return std::unexpected(upgraded.error());
  if (!*upgraded) {
    spdlog::error(
        "the audit chain does not verify (xiehui audit verify names the row): it keeps hash "
        "version 1, and erasing a person cannot replace names in its summaries");
  }
  return migrated;
}

}  // namespace xiehui::db
