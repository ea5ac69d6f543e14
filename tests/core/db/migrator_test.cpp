// Migrations on every backend, and the two dialects building the same schema.

#include "core/db/migrator.hpp"

#include <gtest/gtest.h>

#include <soci/soci.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <thread>

#include "core/db/schema_inspect.hpp"
#include "tests/support/test_database.hpp"

namespace xiehui::db {
namespace {

using testing::BackendName;
using testing::TestDatabase;

class MigratorTest : public ::testing::TestWithParam<std::string> {
 protected:
  std::unique_ptr<Database> open() {
    auto db = Database::open(test_db_.connection_string(), 2);
    EXPECT_TRUE(db.has_value());
    return std::move(*db);
  }
  TestDatabase test_db_{GetParam()};
  SystemClock clock_;
};

TEST_P(MigratorTest, AppliesAllThenNothing) {
  auto db = open();
  const auto all = embedded_migrations(db->dialect());
  auto first = migrate(*db, all, clock_);
  ASSERT_TRUE(first.has_value()) << first.error().message.en;
  EXPECT_EQ(first->from_version, 0);
  EXPECT_EQ(first->to_version, all.back().version);
  EXPECT_EQ(first->applied.size(), all.size());
  auto second = migrate(*db, all, clock_);
  ASSERT_TRUE(second.has_value());
  EXPECT_TRUE(second->applied.empty());
  EXPECT_EQ(schema_version(*db).value_or(-1), all.back().version);
}

TEST_P(MigratorTest, AppliesOnlyNewerMigrations) {
  auto db = open();
  const auto all = embedded_migrations(db->dialect());
  ASSERT_TRUE(migrate(*db, all, clock_).has_value());
  const std::vector<Migration> more{all.begin(), all.end()};
  std::vector<Migration> extended = more;
  extended.push_back({all.back().version + 1, "test_extra",
                      "CREATE TABLE test_extra (id INTEGER NOT NULL PRIMARY KEY, note "
                      "VARCHAR(20) NOT NULL DEFAULT 'a;b');\n-- comment; with semicolon\n"
                      "INSERT INTO test_extra (id) VALUES (1);"});
  auto r = migrate(*db, extended, clock_);
  ASSERT_TRUE(r.has_value()) << r.error().message.en;
  ASSERT_EQ(r->applied.size(), 1u);
  auto note = db->with_session([](soci::session& s) -> Result<std::string> {
    std::string n;
    s << "SELECT note FROM test_extra WHERE id = 1", soci::into(n);
    return n;
  });
  EXPECT_EQ(note.value_or(""), "a;b");
}

TEST_P(MigratorTest, RefusesADatabaseNewerThanTheBinary) {
  auto db = open();
  const auto all = embedded_migrations(db->dialect());
  ASSERT_TRUE(migrate(*db, all, clock_).has_value());
  ASSERT_TRUE(db->with_transaction([](soci::session& s) -> Status {
    s << "INSERT INTO schema_version (version, name, applied_at) VALUES (9999, 'future', 'x')";
    return {};
  }));
  auto r = migrate(*db, all, clock_);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::conflict);
  EXPECT_NE(r.error().message.en.find("9999"), std::string::npos);
}

TEST_P(MigratorTest, FailedMigrationIsReported) {
  auto db = open();
  std::vector<Migration> broken{{1, "broken",
                                 "CREATE TABLE ok_table (id INTEGER PRIMARY KEY);\n"
                                 "THIS IS NOT SQL;"}};
  auto r = migrate(*db, broken, clock_);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(schema_version(*db).value_or(-1), 0) << "a failed migration is not recorded";
}

TEST_P(MigratorTest, ConcurrentMigratorsApplyEachMigrationOnce) {
  std::vector<std::unique_ptr<Database>> dbs;
  for (int i = 0; i < 3; ++i) dbs.push_back(open());
  std::vector<std::thread> threads;
  std::vector<Result<MigrationReport>> results(dbs.size());
  for (std::size_t i = 0; i < dbs.size(); ++i) {
    threads.emplace_back(
        [&, i] { results[i] = migrate(*dbs[i], embedded_migrations(dbs[i]->dialect()), clock_); });
  }
  for (auto& t : threads) t.join();
  std::size_t applied = 0;
  for (auto& r : results) {
    ASSERT_TRUE(r.has_value()) << r.error().message.en;
    applied += r->applied.size();
  }
  EXPECT_EQ(applied, embedded_migrations(dbs[0]->dialect()).size());
}

// Three migrators at once, each on another node of a Galera cluster
// (scripts/galera_test_cluster.sh; runs when XIEHUI_TEST_GALERA_1..3 are set, as `scripts/test.sh
// --galera` sets them). GET_LOCK holds per node there, so this is the cluster-wide lock row's test.
TEST(MigratorGalera, ThreeNodesMigratingAtOnceApplyEachMigrationOnce) {
  std::vector<std::string> nodes;
  for (const char* var : {"XIEHUI_TEST_GALERA_1", "XIEHUI_TEST_GALERA_2", "XIEHUI_TEST_GALERA_3"}) {
    if (const char* v = std::getenv(var); v && *v) nodes.emplace_back(v);
  }
  if (nodes.size() < 3) GTEST_SKIP() << "no Galera cluster (XIEHUI_TEST_GALERA_1..3)";
  const std::string name = "xh_migrate_galera_" + std::to_string(::getpid());
  soci::session admin("mysql", nodes[0]);
  admin << "DROP DATABASE IF EXISTS " + name;
  admin << "CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci";
  SystemClock clock;
  std::vector<std::unique_ptr<Database>> dbs;
  for (const std::string& node : nodes) {
    auto db = Database::open("mysql://db=" + name + " " + node, 1);
    ASSERT_TRUE(db.has_value()) << db.error().message.en;
    dbs.push_back(std::move(*db));
  }
  std::vector<Result<MigrationReport>> results(dbs.size());
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < dbs.size(); ++i) {
    threads.emplace_back(
        [&, i] { results[i] = migrate(*dbs[i], embedded_migrations(Dialect::mysql), clock); });
  }
  for (auto& t : threads) t.join();
  std::vector<int> applied;
  for (auto& r : results) {
    ASSERT_TRUE(r.has_value()) << r.error().message.en;
    applied.insert(applied.end(), r->applied.begin(), r->applied.end());
  }
  std::ranges::sort(applied);
  std::vector<int> all;
  for (const Migration& m : embedded_migrations(Dialect::mysql)) all.push_back(m.version);
  EXPECT_EQ(applied, all) << "each migration applied exactly once over the three nodes";
  for (auto& db : dbs) EXPECT_EQ(schema_version(*db).value_or(-1), all.back());
  int locks = -1;
  admin << "SELECT COUNT(*) FROM " + name + ".xiehui_migration_lock", soci::into(locks);
  EXPECT_EQ(locks, 0) << "the lock row is released";
  dbs.clear();
  admin << "DROP DATABASE " + name;
}

INSTANTIATE_TEST_SUITE_P(Backends, MigratorTest, ::testing::ValuesIn(testing::test_backends()),
                         BackendName());

TEST(SchemaParity, BothDialectsBuildTheSameTablesColumnsAndIndexes) {
  if (!testing::mysql_available()) GTEST_SKIP() << "needs XIEHUI_TEST_MYSQL";
  SystemClock clock;
  TestDatabase sqlite_db("sqlite"), mysql_db("mysql");
  auto lite = Database::open(sqlite_db.connection_string(), 1);
  auto maria = Database::open(mysql_db.connection_string(), 1);
  ASSERT_TRUE(lite && maria);
  ASSERT_TRUE(migrate(**lite, embedded_migrations(Dialect::sqlite), clock));
  ASSERT_TRUE(migrate(**maria, embedded_migrations(Dialect::mysql), clock));
  auto a = inspect_schema(**lite);
  auto b = inspect_schema(**maria);
  ASSERT_TRUE(a && b);
  EXPECT_GT(a->size(), 1u);
  for (const auto& [table, shape] : *a) {
    ASSERT_TRUE(b->contains(table)) << "MariaDB lacks table " << table;
    EXPECT_EQ(shape.columns, b->at(table).columns) << "columns of " << table;
    EXPECT_EQ(shape.indexes, b->at(table).indexes) << "indexes of " << table;
  }
  for (const auto& [table, shape] : *b) EXPECT_TRUE(a->contains(table)) << "SQLite lacks " << table;
}

}  // namespace
}  // namespace xiehui::db
