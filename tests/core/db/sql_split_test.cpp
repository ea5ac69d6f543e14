#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/db/database.hpp"
#include "core/db/migrator.hpp"

namespace xiehui::db {
namespace {

using Statements = std::vector<std::string>;

// ---- split_sql_statements ----

// A trigger's body holds `;` of its own: the statement runs to the END closing its BEGIN, and a
// CASE … END inside does not end it early.
TEST(SqlSplit, ATriggerIsOneStatementUpToItsEnd) {
  const std::string trigger =
      "CREATE TRIGGER t_ins AFTER INSERT ON t FOR EACH ROW\nBEGIN\n"
      "  UPDATE s SET n = n + CASE WHEN NEW.x > 0 THEN 1 ELSE 0 END;\n"
      "  INSERT INTO u (v) VALUES ('end;');\nEND";
  EXPECT_EQ(split_sql_statements("CREATE TABLE t (x INT);\n" + trigger + ";\nSELECT 2;"),
            (Statements{"CREATE TABLE t (x INT)", trigger, "SELECT 2"}));
  // Outside a trigger a CASE … END changes nothing, and an unclosed BEGIN in a plain statement
  // does not swallow the rest.
  EXPECT_EQ(split_sql_statements("SELECT CASE WHEN 1 THEN 2 END; BEGIN; SELECT 3;"),
            (Statements{"SELECT CASE WHEN 1 THEN 2 END", "BEGIN", "SELECT 3"}));
  EXPECT_EQ(split_sql_statements("create   trigger x before delete on t begin select 1; end; "
                                 "SELECT ends_at FROM t;"),
            (Statements{"create   trigger x before delete on t begin select 1; end",
                        "SELECT ends_at FROM t"}));
}

TEST(SplitSqlStatements, SplitsAtSemicolonsAndTrims) {
  EXPECT_EQ(split_sql_statements("SELECT 1;\n  SELECT 2 ;\nSELECT 3;\n"),
            (Statements{"SELECT 1", "SELECT 2", "SELECT 3"}));
}

TEST(SplitSqlStatements, KeepsTrailingStatementWithoutSemicolon) {
  EXPECT_EQ(split_sql_statements("SELECT 1;\nSELECT 2"), (Statements{"SELECT 1", "SELECT 2"}));
  EXPECT_EQ(split_sql_statements("SELECT 1"), (Statements{"SELECT 1"}));
}

TEST(SplitSqlStatements, SkipsEmptyStatements) {
  EXPECT_EQ(split_sql_statements(""), Statements{});
  EXPECT_EQ(split_sql_statements(" ;;\n\t; \r\n"), Statements{});
  EXPECT_EQ(split_sql_statements(";SELECT 1;;\n;SELECT 2;"), (Statements{"SELECT 1", "SELECT 2"}));
}

TEST(SplitSqlStatements, SemicolonInSingleQuotesDoesNotSplit) {
  EXPECT_EQ(split_sql_statements("INSERT INTO t VALUES ('a;b'); SELECT 2;"),
            (Statements{"INSERT INTO t VALUES ('a;b')", "SELECT 2"}));
}

TEST(SplitSqlStatements, SemicolonInDoubleQuotesDoesNotSplit) {
  EXPECT_EQ(split_sql_statements("SELECT \"odd;name\" FROM t; SELECT 2"),
            (Statements{"SELECT \"odd;name\" FROM t", "SELECT 2"}));
}

TEST(SplitSqlStatements, SemicolonInBackticksDoesNotSplit) {
  EXPECT_EQ(split_sql_statements("SELECT `odd;name` FROM t; SELECT 2"),
            (Statements{"SELECT `odd;name` FROM t", "SELECT 2"}));
}

TEST(SplitSqlStatements, DoubledQuoteIsAnEscapeNotAnEnd) {
  EXPECT_EQ(split_sql_statements("INSERT INTO t VALUES ('it''s;'); SELECT 2"),
            (Statements{"INSERT INTO t VALUES ('it''s;')", "SELECT 2"}));
  EXPECT_EQ(split_sql_statements("SELECT \"a\"\";b\" FROM t; SELECT 2"),
            (Statements{"SELECT \"a\"\";b\" FROM t", "SELECT 2"}));
  // An empty string literal followed by a separator.
  EXPECT_EQ(split_sql_statements("SELECT ''; SELECT 2"), (Statements{"SELECT ''", "SELECT 2"}));
}

TEST(SplitSqlStatements, OtherQuoteKindsInsideQuotesAreText) {
  EXPECT_EQ(split_sql_statements("SELECT 'say \"hi;\" `x;`'; SELECT 2"),
            (Statements{"SELECT 'say \"hi;\" `x;`'", "SELECT 2"}));
}

TEST(SplitSqlStatements, DropsLineComments) {
  EXPECT_EQ(
      split_sql_statements("-- first; still a comment\nSELECT 1; -- trailing; note\nSELECT 2;"),
      (Statements{"SELECT 1", "SELECT 2"}));
  EXPECT_EQ(split_sql_statements("-- only a comment"), Statements{});
  const Statements mid = split_sql_statements("SELECT a -- the a; column\n, b FROM t;");
  ASSERT_EQ(mid.size(), 1u);
  EXPECT_EQ(mid[0].find("column"), std::string::npos) << mid[0];
  EXPECT_EQ(mid[0].rfind("SELECT a", 0), 0u) << mid[0];
  EXPECT_NE(mid[0].find(", b FROM t"), std::string::npos) << mid[0];
}

TEST(SplitSqlStatements, DropsBlockComments) {
  const Statements out = split_sql_statements("/* header; */ SELECT /* x; y */ 1; /* end */");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].find("x; y"), std::string::npos) << out[0];
  EXPECT_EQ(out[0].find("header"), std::string::npos) << out[0];
  EXPECT_EQ(out[0].rfind("SELECT", 0), 0u) << out[0];
  EXPECT_EQ(out[0].back(), '1') << out[0];
  // A block comment separates tokens rather than gluing them together.
  const Statements glued = split_sql_statements("SELECT/**/1");
  ASSERT_EQ(glued.size(), 1u);
  EXPECT_NE(glued[0], "SELECT1");
  // An unterminated block comment runs to the end.
  EXPECT_EQ(split_sql_statements("SELECT 1; /* never closed; SELECT 2;"), (Statements{"SELECT 1"}));
}

TEST(SplitSqlStatements, CommentMarkersInsideQuotesAreText) {
  EXPECT_EQ(split_sql_statements("SELECT '--not; a comment'; SELECT '/* nor; this */'"),
            (Statements{"SELECT '--not; a comment'", "SELECT '/* nor; this */'"}));
}

TEST(SplitSqlStatements, SingleDashAndSlashAreOperators) {
  EXPECT_EQ(split_sql_statements("SELECT 4-2; SELECT 4/2;"),
            (Statements{"SELECT 4-2", "SELECT 4/2"}));
}

TEST(SplitSqlStatements, MultiLineStatementKeepsItsText) {
  const std::string ddl =
      "CREATE TABLE t (\n"
      "  id INTEGER PRIMARY KEY,\n"
      "  note TEXT NOT NULL DEFAULT 'a;b'\n"
      ")";
  EXPECT_EQ(split_sql_statements("-- t\n" + ddl + ";\nCREATE INDEX ix ON t (note);\n"),
            (Statements{ddl, "CREATE INDEX ix ON t (note)"}));
}

// ---- embedded migrations ----

TEST(EmbeddedMigrations, BothDialectsHaveTheSameVersionsAndNames) {
  const auto sqlite = embedded_migrations(Dialect::sqlite);
  const auto mysql = embedded_migrations(Dialect::mysql);
  ASSERT_FALSE(sqlite.empty());
  ASSERT_EQ(sqlite.size(), mysql.size());
  for (std::size_t i = 0; i < sqlite.size(); ++i) {
    EXPECT_EQ(sqlite[i].version, mysql[i].version) << "at index " << i;
    EXPECT_EQ(sqlite[i].name, mysql[i].name) << "at index " << i;
  }
}

TEST(EmbeddedMigrations, VersionsIncreaseStrictlyFromOne) {
  for (const Dialect dialect : {Dialect::sqlite, Dialect::mysql}) {
    const auto migrations = embedded_migrations(dialect);
    ASSERT_FALSE(migrations.empty());
    EXPECT_EQ(migrations.front().version, 1);
    for (std::size_t i = 1; i < migrations.size(); ++i) {
      EXPECT_GT(migrations[i].version, migrations[i - 1].version)
          << migrations[i].name << " is not after " << migrations[i - 1].name;
    }
  }
}

TEST(EmbeddedMigrations, EachHasANameAndSplitsIntoStatements) {
  for (const Dialect dialect : {Dialect::sqlite, Dialect::mysql}) {
    for (const Migration& m : embedded_migrations(dialect)) {
      EXPECT_FALSE(m.name.empty()) << "version " << m.version;
      const Statements statements = split_sql_statements(m.sql);
      EXPECT_GE(statements.size(), 1u) << m.version << "_" << m.name;
      for (const std::string& s : statements) {
        EXPECT_FALSE(s.empty()) << m.version << "_" << m.name;
      }
    }
  }
}

TEST(EmbeddedMigrations, DialectsDifferInSql) {
  // The two lists are separate files, not one list returned twice.
  const auto sqlite = embedded_migrations(Dialect::sqlite);
  const auto mysql = embedded_migrations(Dialect::mysql);
  ASSERT_FALSE(sqlite.empty());
  ASSERT_FALSE(mysql.empty());
  EXPECT_NE(sqlite.data(), mysql.data());
}

// ---- parse_connection_string ----

TEST(ParseConnectionString, Sqlite) {
  const auto spec = parse_connection_string("sqlite3://db=var/x.db");
  ASSERT_TRUE(spec.has_value());
  EXPECT_EQ(spec->dialect, Dialect::sqlite);
  EXPECT_EQ(spec->backend, "sqlite3");
  EXPECT_EQ(spec->sqlite_path, "var/x.db");
  EXPECT_NE(spec->params.find("db=var/x.db"), std::string::npos) << spec->params;
  EXPECT_NE(spec->params.find("timeout="), std::string::npos) << spec->params;
}

TEST(ParseConnectionString, SqliteKeepsGivenTimeout) {
  const auto spec = parse_connection_string("sqlite3://db=a.db timeout=3");
  ASSERT_TRUE(spec.has_value());
  EXPECT_EQ(spec->sqlite_path, "a.db");
  EXPECT_EQ(spec->params, "db=a.db timeout=3");
}

TEST(ParseConnectionString, SqliteAliasAndPathAfterOtherParams) {
  const auto spec = parse_connection_string("sqlite://timeout=1 db=/tmp/y.db");
  ASSERT_TRUE(spec.has_value());
  EXPECT_EQ(spec->backend, "sqlite3");
  EXPECT_EQ(spec->dialect, Dialect::sqlite);
  EXPECT_EQ(spec->sqlite_path, "/tmp/y.db");
}

TEST(ParseConnectionString, Mysql) {
  const auto spec =
      parse_connection_string("mysql://db=x user=u password=p host=127.0.0.1 port=3306");
  ASSERT_TRUE(spec.has_value());
  EXPECT_EQ(spec->dialect, Dialect::mysql);
  EXPECT_EQ(spec->backend, "mysql");
  EXPECT_TRUE(spec->sqlite_path.empty());
  EXPECT_EQ(spec->params.rfind("db=x user=u password=p host=127.0.0.1 port=3306", 0), 0u)
      << spec->params;
  EXPECT_NE(spec->params.find("charset=utf8mb4"), std::string::npos) << spec->params;
}

TEST(ParseConnectionString, MysqlKeepsGivenCharset) {
  const auto spec = parse_connection_string("mariadb://dbname=x charset=latin1");
  ASSERT_TRUE(spec.has_value());
  EXPECT_EQ(spec->dialect, Dialect::mysql);
  EXPECT_EQ(spec->backend, "mysql");
  EXPECT_EQ(spec->params.find("utf8mb4"), std::string::npos) << spec->params;
}

void expect_rejected(std::string_view conn) {
  const auto spec = parse_connection_string(conn);
  ASSERT_FALSE(spec.has_value()) << conn << " was accepted";
  EXPECT_EQ(spec.error().code, ErrorCode::invalid_argument) << conn;
  EXPECT_FALSE(spec.error().message.zh.empty());
  EXPECT_FALSE(spec.error().message.en.empty());
}

TEST(ParseConnectionString, RejectsOtherShapes) {
  expect_rejected("postgresql://dbname=x user=u");
  expect_rejected("nothing");
  expect_rejected("");
  expect_rejected("sqlite3://");
  expect_rejected("sqlite3://timeout=5");
  expect_rejected("sqlite3://mydb=x.db");
  expect_rejected("mysql://user=u");
  expect_rejected("mysql://");
}

TEST(ParseConnectionString, ErrorNeverContainsThePassword) {
  for (const char* conn :
       {"postgresql://dbname=x user=u password=hunter2 host=h",
        "mysql://user=u password=hunter2 host=h", "mysql://user=u PASSWORD='hunter2 x' host=h"}) {
    const auto spec = parse_connection_string(conn);
    ASSERT_FALSE(spec.has_value()) << conn;
    EXPECT_EQ(spec.error().code, ErrorCode::invalid_argument);
    EXPECT_EQ(spec.error().message.zh.find("hunter2"), std::string::npos)
        << spec.error().message.zh;
    EXPECT_EQ(spec.error().message.en.find("hunter2"), std::string::npos)
        << spec.error().message.en;
  }
}

}  // namespace
}  // namespace xiehui::db
