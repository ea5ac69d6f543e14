// The SQLite statement cache under SOCI, on a real database file: kept statements answer like
// fresh ones whatever happened since they were kept.

#include "core/db/sqlite_statement_cache.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/db/database.hpp"

namespace xiehui::db {
namespace {

class SqliteStatementCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("xiehui-stmt-cache-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    remove_files();
    auto db = Database::open("sqlite3://db=" + path_.string(), 2);
    ASSERT_TRUE(db.has_value()) << db.error().message.en;
    db_ = std::move(*db);
  }
  void TearDown() override {
    db_.reset();
    remove_files();
  }
  void remove_files() {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(path_.string() + suffix);
    }
  }

  template <class F>
  void run(F&& fn) {
    auto done = db_->with_session([&](soci::session& s) -> Status {
      fn(s);
      return {};
    });
    ASSERT_TRUE(done.has_value()) << done.error().message.en;
  }

  std::filesystem::path path_;
  std::unique_ptr<Database> db_;
};

TEST_F(SqliteStatementCacheTest, IsLinkedIntoThisBinary) {
  EXPECT_TRUE(sqlite_statement_cache_active());
}

TEST_F(SqliteStatementCacheTest, ARepeatedQueryIsCompiledOnceAndBindsEachCallsValues) {
  const auto before = sqlite_statement_cache_figures();
  run([](soci::session& s) {
    for (int i = 0; i < 50; ++i) {
      int sum = 0;
      std::string text;
      const std::string word = "字" + std::to_string(i);
      s << "SELECT :a + 1, :w || '!'", soci::use(i), soci::use(word), soci::into(sum),
          soci::into(text);
      EXPECT_EQ(sum, i + 1);
      EXPECT_EQ(text, word + "!");
    }
  });
  const auto after = sqlite_statement_cache_figures();
  EXPECT_GE(after.hits - before.hits, 49u);
}

TEST_F(SqliteStatementCacheTest, AKeptStatementFollowsASchemaChange) {
  run([](soci::session& s) {
    s << "CREATE TABLE t (a INTEGER)";
    s << "INSERT INTO t (a) VALUES (1)";
    soci::row first;
    s << "SELECT * FROM t", soci::into(first);
    EXPECT_EQ(first.size(), 1u);
    s << "DROP TABLE t";
    s << "CREATE TABLE t (a INTEGER, b TEXT)";
    s << "INSERT INTO t (a, b) VALUES (2, 'x')";
    soci::row second;
    s << "SELECT * FROM t", soci::into(second);
    ASSERT_EQ(second.size(), 2u);
    EXPECT_EQ(second.get<std::string>(1), "x");
  });
}

TEST_F(SqliteStatementCacheTest, ASchemaChangeOnAnotherConnectionDropsKeptStatements) {
  run([&](soci::session& first) {
    first << "CREATE TABLE t (a INTEGER)";
    first << "INSERT INTO t (a) VALUES (1)";
    soci::row before;
    first << "SELECT * FROM t", soci::into(before);
    EXPECT_EQ(before.size(), 1u);
    // The pool holds two sessions and this one is lent: the nested lease is the other.
    run([](soci::session& second) { second << "ALTER TABLE t ADD COLUMN b TEXT DEFAULT 'y'"; });
    // SQLite itself reads the other connection's change when this one next steps a statement;
    // from then on a fresh statement sees two columns, and so must a kept one.
    int rows = 0;
    first << "SELECT COUNT(*) FROM t", soci::into(rows);
    EXPECT_EQ(rows, 1);
    soci::row after;
    first << "SELECT * FROM t", soci::into(after);
    ASSERT_EQ(after.size(), 2u);
    EXPECT_EQ(after.get<std::string>(1), "y");
  });
}

TEST_F(SqliteStatementCacheTest, TheSameTextOpenTwiceAtOnceGivesTwoStatements) {
  run([](soci::session& s) {
    s << "CREATE TABLE n (v INTEGER)";
    for (int i = 1; i <= 5; ++i) s << "INSERT INTO n (v) VALUES (:v)", soci::use(i);
    const std::string all = "SELECT v FROM n WHERE v >= :from ORDER BY v";
    int from = 1;
    int outer_sum = 0;
    int inner_rows = 0;
    soci::rowset<int> outer = (s.prepare << all, soci::use(from));
    for (int v : outer) {
      outer_sum += v;
      // The outer statement is still stepping: the inner one must be its own.
      int inner_from = v;
      soci::rowset<int> inner = (s.prepare << all, soci::use(inner_from));
      for (int w : inner) {
        EXPECT_GE(w, v);
        ++inner_rows;
      }
    }
    EXPECT_EQ(outer_sum, 15);
    EXPECT_EQ(inner_rows, 5 + 4 + 3 + 2 + 1);
  });
}

TEST_F(SqliteStatementCacheTest, AFailedStatementFailsAgainAndLeavesNoLock) {
  run([](soci::session& s) { s << "CREATE TABLE u (k TEXT PRIMARY KEY)"; });
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto r = db_->with_transaction([](soci::session& s) -> Status {
      s << "INSERT INTO u (k) VALUES ('same')";
      return {};
    });
    EXPECT_EQ(r.has_value(), attempt == 0) << attempt;
    if (!r) {
      EXPECT_EQ(r.error().code, ErrorCode::already_exists);
    }
  }
  run([](soci::session& s) {
    int count = 0;
    s << "SELECT COUNT(*) FROM u", soci::into(count);
    EXPECT_EQ(count, 1);
  });
}

TEST_F(SqliteStatementCacheTest, MoreTextsThanTheCacheHoldsStayRightAndTheFileClosesCleanly) {
  const std::size_t texts = 3 * kIdlePerConnection;
  for (int round = 0; round < 2; ++round) {
    run([&](soci::session& s) {
      for (std::size_t i = 0; i < texts; ++i) {
        long long got = 0;
        s << "SELECT " + std::to_string(i) + " * :k", soci::use(round + 1), soci::into(got);
        EXPECT_EQ(got, static_cast<long long>(i) * (round + 1));
      }
    });
  }
  run([](soci::session& s) { s << "CREATE TABLE w (v INTEGER)"; });
  db_.reset();
  // SQLite removes the write-ahead log when its last connection closes, and only then: a
  // statement left unfinalized would have made the close fail and kept the file.
  EXPECT_FALSE(std::filesystem::exists(path_.string() + "-wal"));
  EXPECT_TRUE(std::filesystem::exists(path_));
}

}  // namespace
}  // namespace xiehui::db
