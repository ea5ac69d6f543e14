// The real xiehui binary (XIEHUI_BINARY, from CMake) run as a child process with its stdout on a
// pipe: version, serve (the listening line, signals, exit status), migrate and backup.

#include <gtest/gtest.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/db/database.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/test_database.hpp"

namespace xiehui::testing {
namespace {

// Runs serve on `db`, checks it answers, stops it with `signo` and expects exit 0 after exactly
// one line of stdout.
void serve_and_stop(const std::string& db, const fs::path& cwd, int signo) {
  Child child({"serve", "--db", db, "--listen", "127.0.0.1:0"}, cwd);
  const std::uint16_t port = read_listening_port(child);
  ASSERT_NE(port, 0);

  const HttpReply health = http_request(port, http::verb::get, "/healthz");
  EXPECT_EQ(health.status, 200u) << health.body;
  EXPECT_NE(health.body.find("\"ok\""), std::string::npos) << health.body;
  const HttpReply ready = http_request(port, http::verb::get, "/readyz");
  EXPECT_EQ(ready.status, 200u) << ready.body;

  ASSERT_EQ(::kill(child.pid(), signo), 0);
  const int status = child.wait();
  EXPECT_TRUE(exited_with(status, 0)) << describe(status) << "; stderr:\n" << child.stderr_text();
  EXPECT_EQ(child.rest(), "") << "serve printed more than one line";
}

class CliTest : public ::testing::Test {
 protected:
  fs::path dir() const { return tmp_.path(); }
  std::string sqlite(std::string_view name) const {
    return "sqlite3://db=" + (dir() / name).string();
  }

  TempDir tmp_;
};

TEST_F(CliTest, VersionPrintsTheVersion) {
  Child child({"version"}, dir());
  const int status = child.wait();
  EXPECT_TRUE(exited_with(status, 0)) << describe(status);
  EXPECT_EQ(child.rest(), "xiehui 0.1.0\n");
}

TEST_F(CliTest, ServeOnSqlitePrintsOneListeningLineAndStopsOnSigterm) {
  serve_and_stop(sqlite("x.db"), dir(), SIGTERM);
  EXPECT_TRUE(fs::exists(dir() / "x.db"));
}

TEST_F(CliTest, ServeStopsCleanlyOnSigint) { serve_and_stop(sqlite("x.db"), dir(), SIGINT); }

// stderr is a file here, so log lines are written in batches: an access line must still reach it
// while the server sits idle, and the last lines when it stops.
TEST_F(CliTest, ServeWritesBatchedLogLinesWhileIdleAndWhenItStops) {
  Child child({"serve", "--db", sqlite("x.db"), "--listen", "127.0.0.1:0"}, dir());
  const std::uint16_t port = read_listening_port(child);
  ASSERT_NE(port, 0);
  // The first line goes out with the start-up lines, old enough by now; the second, right
  // after it, starts a new batch that only the idle flush writes.
  EXPECT_EQ(http_request(port, http::verb::get, "/api/session").status, 401u);  // signed out
  EXPECT_EQ(http_request(port, http::verb::get, "/api/members").status, 401u);
  const std::string second = "GET /api/members 401";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (child.stderr_text().find(second) == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_NE(child.stderr_text().find(second), std::string::npos) << child.stderr_text();
  ASSERT_EQ(::kill(child.pid(), SIGTERM), 0);
  EXPECT_TRUE(exited_with(child.wait(), 0));
  EXPECT_NE(child.stderr_text().find(" stopped"), std::string::npos) << child.stderr_text();
}

// Installed as a package lays it out (/usr/bin/xiehui, /usr/share/xiehui/ui) and started from
// another directory with no ui_dir: the UI beside the executable is served, not the placeholder.
TEST_F(CliTest, ServeFindsTheUiInstalledBesideTheExecutable) {
  const fs::path root = dir() / "usr";
  fs::create_directories(root / "bin");
  fs::create_directories(root / "share" / "xiehui" / "ui" / "assets");
  fs::copy_file(XIEHUI_BINARY, root / "bin" / "xiehui");
  const std::string marker = "<!doctype html><title>installed-ui-marker</title>";
  std::ofstream(root / "share" / "xiehui" / "ui" / "index.html") << marker;
  std::ofstream(root / "share" / "xiehui" / "ui" / "assets" / "app.js") << "console.log(1)";
  const fs::path elsewhere = dir() / "elsewhere";
  fs::create_directories(elsewhere);
  Child child({"serve", "--db", sqlite("x.db"), "--listen", "127.0.0.1:0"}, elsewhere,
              root / "bin" / "xiehui");
  const std::uint16_t port = read_listening_port(child);
  ASSERT_NE(port, 0) << child.stderr_text();
  const HttpReply page = http_request(port, http::verb::get, "/members");  // a UI route
  EXPECT_EQ(page.status, 200u);
  EXPECT_EQ(page.body, marker);
  EXPECT_EQ(http_request(port, http::verb::get, "/assets/app.js").body, "console.log(1)");
  ASSERT_EQ(::kill(child.pid(), SIGTERM), 0);
  EXPECT_TRUE(exited_with(child.wait(), 0)) << child.stderr_text();
}

TEST_F(CliTest, ServeOnMariaDbPrintsTheListeningLine) {
  const std::vector<std::string> backends = test_backends();  // fails under CI without MariaDB
  if (std::find(backends.begin(), backends.end(), "mysql") == backends.end()) {
    GTEST_SKIP() << "XIEHUI_TEST_MYSQL is not set";
  }
  TestDatabase db("mysql");
  serve_and_stop(db.connection_string(), dir(), SIGTERM);
}

TEST_F(CliTest, ServeWithABadListenAddressFails) {
  Child child({"serve", "--db", sqlite("x.db"), "--listen", "nonsense"}, dir());
  const int status = child.wait();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) != 0) << describe(status);
  EXPECT_EQ(child.rest().find("listening on"), std::string::npos) << child.rest();
  EXPECT_FALSE(child.stderr_text().empty()) << "no reason given on stderr";
}

TEST_F(CliTest, ServeOnAPortInUseFails) {
  Child first({"serve", "--db", sqlite("a.db"), "--listen", "127.0.0.1:0"}, dir());
  const std::uint16_t port = read_listening_port(first);
  ASSERT_NE(port, 0);
  Child second({"serve", "--db", sqlite("b.db"), "--listen", "127.0.0.1:" + std::to_string(port)},
               dir());
  const int status = second.wait();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) != 0) << describe(status);
  EXPECT_EQ(second.rest().find("listening on"), std::string::npos) << second.rest();
  // The first server is unaffected.
  EXPECT_EQ(http_request(port, http::verb::get, "/healthz").status, 200u);
  ASSERT_EQ(::kill(first.pid(), SIGTERM), 0);
  EXPECT_TRUE(exited_with(first.wait(), 0));
}

TEST_F(CliTest, UnknownSubcommandFails) {
  Child child({"frobnicate"}, dir());
  const int status = child.wait();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) != 0) << describe(status);
}

TEST_F(CliTest, MigratePrintsTheSchemaVersionAndIsRepeatable) {
  static const std::regex kLine(R"(schema version ([0-9]+) → ([0-9]+) \(([0-9]+) applied\)\n)");
  std::smatch m;

  Child first({"migrate", "--db", sqlite("m.db")}, dir());
  const int status = first.wait();
  EXPECT_TRUE(exited_with(status, 0)) << describe(status) << "; stderr:\n" << first.stderr_text();
  const std::string out = first.rest();
  ASSERT_TRUE(std::regex_match(out, m, kLine)) << out;
  EXPECT_EQ(m[1].str(), "0");
  EXPECT_GT(std::stoi(m[2].str()), 0);
  EXPECT_GT(std::stoi(m[3].str()), 0);
  const std::string version = m[2].str();

  Child again({"migrate", "--db", sqlite("m.db")}, dir());
  const int again_status = again.wait();
  EXPECT_TRUE(exited_with(again_status, 0)) << describe(again_status);
  const std::string again_out = again.rest();
  ASSERT_TRUE(std::regex_match(again_out, m, kLine)) << again_out;
  EXPECT_EQ(m[1].str(), version);
  EXPECT_EQ(m[2].str(), version);
  EXPECT_EQ(m[3].str(), "0");
}

TEST_F(CliTest, BackupWritesASqliteDatabaseAndRefusesToOverwrite) {
  Child migrate({"migrate", "--db", sqlite("live.db")}, dir());
  ASSERT_TRUE(exited_with(migrate.wait(), 0)) << migrate.stderr_text();

  const fs::path file = dir() / "backup.db";
  Child backup({"backup", file.string(), "--db", sqlite("live.db")}, dir());
  const int status = backup.wait();
  EXPECT_TRUE(exited_with(status, 0)) << describe(status) << "; stderr:\n" << backup.stderr_text();
  ASSERT_TRUE(fs::exists(file));
  const std::string content = read_file(file);
  ASSERT_GE(content.size(), 16u);
  EXPECT_EQ(content.substr(0, 16), std::string("SQLite format 3\0", 16));

  // The copy is a complete database: it holds the migrated schema.
  {
    auto copy = db::Database::open("sqlite3://db=" + file.string(), 1);
    ASSERT_TRUE(copy.has_value()) << copy.error().message.en;
    auto versions = (*copy)->with_session([](soci::session& s) -> Result<int> {
      int n = 0;
      s << "SELECT COUNT(*) FROM schema_version", soci::into(n);
      return n;
    });
    ASSERT_TRUE(versions.has_value()) << versions.error().message.en;
    EXPECT_GT(*versions, 0);
  }

  const std::string before = read_file(file);
  Child again({"backup", file.string(), "--db", sqlite("live.db")}, dir());
  const int again_status = again.wait();
  EXPECT_TRUE(WIFEXITED(again_status) && WEXITSTATUS(again_status) != 0)
      << describe(again_status) << ": a second backup to the same file must fail";
  EXPECT_FALSE(again.stderr_text().empty());
  EXPECT_EQ(read_file(file), before) << "the existing backup was changed";
}

// serve --demo on `db` until it listens, then stop: a database with the demo's members, invoices,
// sign-ups, reports and audit rows.
void seed_demo(const std::string& db, const fs::path& cwd) {
  Child child({"serve", "--demo", "--db", db, "--listen", "127.0.0.1:0"}, cwd);
  // The demo accounts are printed first, then the listening line.
  std::optional<std::string> line;
  while ((line = child.read_line()) && !line->starts_with("listening on")) {
  }
  ASSERT_TRUE(line.has_value()) << child.stderr_text();
  ASSERT_EQ(::kill(child.pid(), SIGTERM), 0);
  ASSERT_TRUE(exited_with(child.wait(), 0)) << child.stderr_text();
}

TEST_F(CliTest, RestoreCopiesASqliteBackupIntoANewDatabaseAndChecksIt) {
  seed_demo(sqlite("live.db"), dir());
  const fs::path file = dir() / "backup.db";
  Child backup({"backup", file.string(), "--db", sqlite("live.db")}, dir());
  ASSERT_TRUE(exited_with(backup.wait(), 0)) << backup.stderr_text();

  Child restore({"restore", file.string(), "--db", sqlite("restored.db")}, dir());
  const int status = restore.wait();
  const std::string out = restore.rest();
  EXPECT_TRUE(exited_with(status, 0)) << describe(status) << "\n" << out << restore.stderr_text();
  EXPECT_NE(out.find("audit chain intact"), std::string::npos) << out;
  EXPECT_NE(out.find("restore check passed"), std::string::npos) << out;
  EXPECT_TRUE(std::regex_search(out, std::regex(R"(members\s+[1-9]\d* rows\s+= source)"))) << out;

  // Never over an existing database.
  const std::string before = read_file(dir() / "restored.db");
  Child again({"restore", file.string(), "--db", sqlite("restored.db")}, dir());
  const int again_status = again.wait();
  EXPECT_TRUE(WIFEXITED(again_status) && WEXITSTATUS(again_status) != 0) << describe(again_status);
  EXPECT_EQ(read_file(dir() / "restored.db"), before);

  // The live database moves on: checked against it, the restored copy differs.
  {
    auto live = db::Database::open(sqlite("live.db"), 1);
    ASSERT_TRUE(live.has_value());
    ASSERT_TRUE((*live)
                    ->with_transaction([](soci::session& s) -> Result<int> {
                      s << "UPDATE members SET status = 'withdrawn', left_on = '2026-12-05' "
                           "WHERE id = (SELECT MIN(id) FROM members WHERE status = 'active')";
                      return 0;
                    })
                    .has_value());
  }
  Child check({"restore", "--check-against", sqlite("live.db"), "--db", sqlite("restored.db")},
              dir());
  const int check_status = check.wait();
  const std::string check_out = check.rest();
  EXPECT_TRUE(WIFEXITED(check_status) && WEXITSTATUS(check_status) == 2)
      << describe(check_status) << "\n"
      << check_out;
  EXPECT_TRUE(std::regex_search(check_out, std::regex(R"(members\s+\d+ rows\s+DIFFERS)")))
      << check_out;
  EXPECT_TRUE(
      std::regex_search(check_out, std::regex(R"(report_member_counts\s+\d+ rows\s+DIFFERS)")))
      << check_out;
}

// The documented MariaDB procedure (docs/DESIGN.md "Backup and restore"): mariadb-dump
// --single-transaction, load the dump into a new database, then `xiehui restore --check-against`.
TEST_F(CliTest, MariaDbDumpRestoresIntoANewDatabaseThatPassesTheCheck) {
  const std::vector<std::string> backends = test_backends();
  if (std::find(backends.begin(), backends.end(), "mysql") == backends.end()) {
    GTEST_SKIP() << "XIEHUI_TEST_MYSQL is not set";
  }
  TestDatabase source("mysql");
  TestDatabase target("mysql");
  seed_demo(source.connection_string(), dir());

  // host=… port=… user=… password=… as mariadb client options, the password in MYSQL_PWD.
  std::string options, password;
  std::istringstream params(TestDatabase::mysql_server_params());
  for (std::string word; params >> word;) {
    const auto eq = word.find('=');
    const std::string key = word.substr(0, eq), value = word.substr(eq + 1);
    if (key == "password") {
      password = value;
    } else if (key == "host" || key == "port" || key == "user") {
      options += " --" + key + "=" + value;
    }
  }
  const std::string dump = (dir() / "dump.sql").string();
  const std::string env = "MYSQL_PWD='" + password + "'";
  const std::string dump_cmd = env + " mariadb-dump --single-transaction --routines --triggers " +
                               "--hex-blob --default-character-set=utf8mb4" + options + " " +
                               source.mysql_name() + " > " + dump;
  ASSERT_EQ(std::system(dump_cmd.c_str()), 0) << dump_cmd;
  const std::string load_cmd =
      env + " mariadb" + options + " " + target.mysql_name() + " < " + dump;
  ASSERT_EQ(std::system(load_cmd.c_str()), 0) << load_cmd;

  Child check({"restore", "--check-against", source.connection_string(), "--db",
               target.connection_string()},
              dir());
  const int status = check.wait();
  const std::string out = check.rest();
  EXPECT_TRUE(exited_with(status, 0)) << describe(status) << "\n" << out << check.stderr_text();
  EXPECT_NE(out.find("restore check passed"), std::string::npos) << out;
  EXPECT_TRUE(std::regex_search(out, std::regex(R"(dues_invoices\s+[1-9]\d* rows\s+= source)")))
      << out;
}

}  // namespace
}  // namespace xiehui::testing
