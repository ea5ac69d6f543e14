// The database layer on every backend: initialisation, transactions, error classification,
// reconnection, concurrency and backup.

#include "core/db/database.hpp"

#include <gtest/gtest.h>
#include <soci/mysql/soci-mysql.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "core/db/backup.hpp"
#include "core/db/migrator.hpp"
#include "tests/support/test_database.hpp"

namespace xiehui::db {
namespace {

using testing::BackendName;
using testing::TestDatabase;

class DatabaseTest : public ::testing::TestWithParam<std::string> {
 protected:
  std::unique_ptr<Database> open(std::size_t pool = 4) {
    auto db = Database::open(test_db_.connection_string(), pool);
    EXPECT_TRUE(db.has_value()) << (db ? "" : db.error().message.en);
    auto migrated = migrate(**db, embedded_migrations((*db)->dialect()), clock_);
    EXPECT_TRUE(migrated.has_value());
    return std::move(*db);
  }

  TestDatabase test_db_{GetParam(), TestDatabase::Schema::migrated};
  SystemClock clock_;
};

Status insert_setting(soci::session& s, const std::string& name, const std::string& value) {
  s << "INSERT INTO settings (name, value, updated_at) VALUES (:n, :v, '2026-01-01')",
      soci::use(name), soci::use(value);
  return {};
}

int count_settings(Database& db, const std::string& name) {
  auto n = db.with_session([&](soci::session& s) -> Result<int> {
    int count = 0;
    s << "SELECT COUNT(*) FROM settings WHERE name = :n", soci::use(name), soci::into(count);
    return count;
  });
  EXPECT_TRUE(n.has_value());
  return n.value_or(-1);
}

TEST_P(DatabaseTest, EverySessionIsInitialised) {
  auto db = open(3);
  // Hold all three sessions at once so each one is checked, not the same one three times.
  std::atomic<int> checked{0};
  std::vector<std::thread> threads;
  std::atomic<int> arrived{0};
  for (int i = 0; i < 3; ++i) {
    threads.emplace_back([&] {
      auto r = db->with_session([&](soci::session& s) -> Status {
        ++arrived;
        while (arrived.load() < 3) std::this_thread::yield();
        if (db->dialect() == Dialect::sqlite) {
          std::string mode;
          int sync = -1, fk = -1;
          s << "PRAGMA journal_mode", soci::into(mode);
          s << "PRAGMA synchronous", soci::into(sync);
          s << "PRAGMA foreign_keys", soci::into(fk);
          EXPECT_EQ(mode, "wal");
          EXPECT_EQ(sync, 2) << "synchronous=FULL";
          EXPECT_EQ(fk, 1);
        } else {
          std::string charset, mode, tz;
          s << "SELECT @@character_set_connection, @@sql_mode, @@time_zone", soci::into(charset),
              soci::into(mode), soci::into(tz);
          EXPECT_EQ(charset, "utf8mb4");
          EXPECT_NE(mode.find("STRICT_ALL_TABLES"), std::string::npos) << mode;
          EXPECT_EQ(tz, "+00:00");
        }
        ++checked;
        return {};
      });
      EXPECT_TRUE(r.has_value());
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(checked.load(), 3);
}

TEST_P(DatabaseTest, TransactionCommitsOnSuccess) {
  auto db = open();
  auto r = db->with_transaction([](soci::session& s) { return insert_setting(s, "a", "1"); });
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(count_settings(*db, "a"), 1);
}

TEST_P(DatabaseTest, TransactionRollsBackOnError) {
  auto db = open();
  auto r = db->with_transaction([](soci::session& s) -> Status {
    insert_setting(s, "b", "1");
    return std::unexpected(make_error(ErrorCode::conflict, {"冲突", "conflict"}));
  });
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::conflict);
  EXPECT_EQ(count_settings(*db, "b"), 0);
}

TEST_P(DatabaseTest, TransactionRollsBackOnException) {
  auto db = open();
  auto r = db->with_transaction([](soci::session& s) -> Status {
    insert_setting(s, "c", "1");
    throw std::runtime_error("boom");
  });
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::internal);
  EXPECT_EQ(r.error().message.en.find("boom"), std::string::npos) << "no internal text leaks";
  EXPECT_EQ(count_settings(*db, "c"), 0);
}

TEST_P(DatabaseTest, UniqueViolationIsAlreadyExists) {
  auto db = open();
  ASSERT_TRUE(db->with_transaction([](soci::session& s) { return insert_setting(s, "d", "1"); }));
  auto r = db->with_transaction([](soci::session& s) { return insert_setting(s, "d", "2"); });
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::already_exists);
}

TEST_P(DatabaseTest, ForeignKeyViolationIsConflict) {
  auto db = open();
  auto r = db->with_transaction([](soci::session& s) -> Status {
    s << "INSERT INTO user_roles (user_id, role) VALUES (424242, 'admin')";
    return {};
  });
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::conflict);
}

TEST_P(DatabaseTest, ChineseTextRoundTrips) {
  auto db = open();
  const std::string text = "湖南湘江新区管理委员会 · 𠮷";
  ASSERT_TRUE(
      db->with_transaction([&](soci::session& s) { return insert_setting(s, "zh", text); }));
  auto back = db->with_session([](soci::session& s) -> Result<std::string> {
    std::string v;
    s << "SELECT value FROM settings WHERE name = 'zh'", soci::into(v);
    return v;
  });
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, text);
}

// Read-then-write from many threads: each transaction must see the previous one's write.
TEST_P(DatabaseTest, ConcurrentReadModifyWriteLosesNoUpdate) {
  auto db = open(4);
  ASSERT_TRUE(db->with_transaction([](soci::session& s) { return insert_setting(s, "n", "0"); }));
  const std::string lock = db->dialect() == Dialect::mysql ? " FOR UPDATE" : "";
  constexpr int kThreads = 4, kEach = 50;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        auto r = db->with_transaction([&](soci::session& s) -> Status {
          std::string v;
          s << "SELECT value FROM settings WHERE name = 'n'" + lock, soci::into(v);
          const std::string next = std::to_string(std::stoi(v) + 1);
          s << "UPDATE settings SET value = :v WHERE name = 'n'", soci::use(next);
          return {};
        });
        if (!r) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  auto v = db->with_session([](soci::session& s) -> Result<std::string> {
    std::string value;
    s << "SELECT value FROM settings WHERE name = 'n'", soci::into(value);
    return value;
  });
  EXPECT_EQ(v.value_or(""), std::to_string(kThreads * kEach));
}

// Many writers at once, each succeeding, returning an error or throwing: on SQLite they share
// group commits, and still every write stands or falls on its own.
TEST_P(DatabaseTest, ConcurrentWritesThatFailOrThrowLoseOnlyThemselves) {
  auto db = open(4);
  constexpr int kThreads = 8, kEach = 40;
  std::atomic<int> kept{0}, refused{0}, thrown{0}, wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const std::string name = "w" + std::to_string(t) + "_" + std::to_string(i);
        const int kind = (t + i) % 3;
        auto r = db->with_transaction([&](soci::session& s) -> Status {
          Status inserted = insert_setting(s, name, "v");
          // Let other writers queue up behind this one, so groups form.
          std::this_thread::sleep_for(std::chrono::microseconds(200));
          if (kind == 1)
            return std::unexpected(make_error(ErrorCode::conflict, {"拒绝", "refused"}));
          if (kind == 2) return insert_setting(s, name, "again");  // unique violation: throws
          return inserted;
        });
        if (kind == 0 && r) ++kept;
        if (kind == 1 && !r && r.error().code == ErrorCode::conflict) ++refused;
        if (kind == 2 && !r && r.error().code == ErrorCode::already_exists) ++thrown;
        if ((kind == 0) != r.has_value()) ++wrong;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
  int rows = 0;
  ASSERT_TRUE(db->with_session([&](soci::session& s) -> Status {
    s << "SELECT COUNT(*) FROM settings WHERE name LIKE 'w%'", soci::into(rows);
    return {};
  }));
  EXPECT_EQ(rows, kept.load());
  EXPECT_EQ(kept.load() + refused.load() + thrown.load(), kThreads * kEach);
  EXPECT_GT(refused.load(), 0);
  EXPECT_GT(thrown.load(), 0);
  if (db->dialect() == Dialect::sqlite) {
    EXPECT_EQ(db->grouped_writes(), static_cast<std::uint64_t>(kThreads * kEach));
    EXPECT_LT(db->write_groups(), db->grouped_writes()) << "no two writes ever shared a commit";
  } else {
    EXPECT_EQ(db->write_groups(), 0u);
  }
}

TEST_P(DatabaseTest, PingAnswers) {
  auto db = open();
  EXPECT_TRUE(db->ping().has_value());
  EXPECT_EQ(db->in_use(), 0u);
}

TEST_P(DatabaseTest, BackupCopiesTheDatabase) {
  auto db = open();
  ASSERT_TRUE(db->with_transaction([](soci::session& s) { return insert_setting(s, "k", "v"); }));
  testing::TempDir dir;
  const std::string dest = dir.path() + "/backup.db";
  auto r = backup_sqlite(*db, dest);
  if (GetParam() == "mysql") {
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
    return;
  }
  ASSERT_TRUE(r.has_value()) << r.error().message.en;
  auto copy = Database::open("sqlite3://db=" + dest, 1);
  ASSERT_TRUE(copy.has_value());
  EXPECT_EQ(count_settings(**copy, "k"), 1);
  auto again = backup_sqlite(*db, dest);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::already_exists);
}

// Only a server connection can be lost; SQLite has none.
TEST(MariaDbConnection, LostConnectionIsUnavailableThenReconnects) {
  if (!testing::mysql_available()) GTEST_SKIP() << "needs XIEHUI_TEST_MYSQL";
  TestDatabase test_db("mysql");
  auto opened = Database::open(test_db.connection_string(), 1);
  ASSERT_TRUE(opened.has_value());
  auto& db = *opened;
  auto id = db->with_session([](soci::session& s) -> Result<long long> {
    long long cid = 0;
    s << "SELECT CONNECTION_ID()", soci::into(cid);
    return cid;
  });
  ASSERT_TRUE(id.has_value());
  {
    soci::session admin(soci::mysql, "db=mysql " + TestDatabase::mysql_server_params());
    admin << "KILL CONNECTION " + std::to_string(*id);
  }
  auto r = db->ping();
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::unavailable);
  EXPECT_TRUE(db->ping().has_value()) << "the session reconnects on its next use";
}

TEST(DatabaseOpen, UnreachableServerIsUnavailable) {
  auto db = Database::open("mysql://db=x host=127.0.0.1 port=1 user=u password=p", 1);
  ASSERT_FALSE(db.has_value());
  EXPECT_EQ(db.error().code, ErrorCode::unavailable);
}

TEST(DatabaseOpen, MalformedConnectionStringIsInvalid) {
  auto db = Database::open("postgres://db=x", 1);
  ASSERT_FALSE(db.has_value());
  EXPECT_EQ(db.error().code, ErrorCode::invalid_argument);
}

INSTANTIATE_TEST_SUITE_P(Backends, DatabaseTest, ::testing::ValuesIn(testing::test_backends()),
                         BackendName());

}  // namespace
}  // namespace xiehui::db
