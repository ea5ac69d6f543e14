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
#include <string>
#include <string_view>
#include <vector>

#include "core/db/database.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/test_database.hpp"

extern char** environ;

namespace xiehui::testing {
namespace {

namespace fs = std::filesystem;

// A safety bound on every wait for the child, never a synchronisation device.
constexpr int kSafetyBoundMs = 60'000;
constexpr std::string_view kAdminPassword = "some-long-test-password-123";

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// One run of the xiehui binary. stdout is a pipe read by the test; stderr goes to a file that is
// printed when an expectation fails; stdin is /dev/null. The child is killed and reaped if the
// test ends before it exits.
class Child {
 public:
  Child(const std::vector<std::string>& args, const fs::path& cwd) {
    stderr_path_ = cwd / ("stderr-" + std::to_string(counter_++) + ".log");
    std::vector<std::string> argv_s{XIEHUI_BINARY};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    // A clean environment for the child: nothing XIEHUI_* from the test's own environment.
    std::vector<std::string> env_s;
    for (char** e = environ; *e; ++e) {
      if (std::string_view(*e).rfind("XIEHUI_", 0) != 0) env_s.emplace_back(*e);
    }
    env_s.push_back("XIEHUI_INITIAL_ADMIN_PASSWORD=" + std::string(kAdminPassword));
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (auto& e : env_s) envp.push_back(e.data());
    envp.push_back(nullptr);
    const std::string cwd_s = cwd.string();

    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
    const int err = ::open(stderr_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    const int null_in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (err < 0 || null_in < 0) throw std::runtime_error("cannot open the child's stdio");
    pid_ = ::fork();
    if (pid_ == 0) {
      // Only async-signal-safe calls between fork and exec.
      ::dup2(null_in, 0);
      ::dup2(out[1], 1);
      ::dup2(err, 2);
      if (::chdir(cwd_s.c_str()) != 0) ::_exit(126);
      ::execve(argv[0], argv.data(), envp.data());
      ::_exit(127);
    }
    ::close(out[1]);
    ::close(err);
    ::close(null_in);
    if (pid_ < 0) {
      ::close(out[0]);
      throw std::runtime_error("fork failed");
    }
    out_ = out[0];
  }

  ~Child() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
    if (out_ >= 0) ::close(out_);
  }

  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  pid_t pid() const { return pid_; }

  /// The next stdout line without its '\n' (blocking read); nullopt at end of output.
  std::optional<std::string> read_line() {
    for (;;) {
      const auto nl = pending_.find('\n');
      if (nl != std::string::npos) {
        std::string line = pending_.substr(0, nl);
        pending_.erase(0, nl + 1);
        return line;
      }
      if (!read_some()) return std::nullopt;
    }
  }

  /// The rest of stdout up to end of output (the child exited or closed it).
  std::string read_rest() {
    while (read_some()) {
    }
    return std::exchange(pending_, {});
  }

  /// Reads stdout to its end, then reaps the child; returns its wait status.
  int wait() {
    rest_ = read_rest();
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    return status;
  }

  /// Output read by wait() after the last read_line().
  const std::string& rest() const { return rest_; }

  /// What the child wrote to stderr, for failure messages.
  std::string stderr_text() const { return read_file(stderr_path_); }

 private:
  // Appends what one read returns to pending_; false at end of output or on a stuck child.
  bool read_some() {
    pollfd p{out_, POLLIN, 0};
    int ready = 0;
    while ((ready = ::poll(&p, 1, kSafetyBoundMs)) < 0 && errno == EINTR) {
    }
    if (ready == 0) {
      ADD_FAILURE() << "xiehui wrote nothing for " << kSafetyBoundMs << " ms; stderr:\n"
                    << stderr_text();
      ::kill(pid_, SIGKILL);
      return false;
    }
    std::array<char, 4096> buf;
    ssize_t n = 0;
    while ((n = ::read(out_, buf.data(), buf.size())) < 0 && errno == EINTR) {
    }
    if (n <= 0) return false;
    pending_.append(buf.data(), static_cast<std::size_t>(n));
    return true;
  }

  static inline int counter_ = 0;
  pid_t pid_ = -1;
  int out_ = -1;
  fs::path stderr_path_;
  std::string pending_;
  std::string rest_;
};

bool exited_with(int status, int code) { return WIFEXITED(status) && WEXITSTATUS(status) == code; }

std::string describe(int status) {
  if (WIFEXITED(status)) return "exit " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "status " + std::to_string(status);
}

// Reads the one line `serve` prints and returns the port it names (0 when it is not one).
std::uint16_t read_listening_port(Child& child) {
  const std::optional<std::string> line = child.read_line();
  if (!line) {
    ADD_FAILURE() << "serve printed no line; stderr:\n" << child.stderr_text();
    return 0;
  }
  static const std::regex kListening(R"(listening on http://127\.0\.0\.1:([0-9]{1,5}))");
  std::smatch m;
  if (!std::regex_match(*line, m, kListening)) {
    ADD_FAILURE() << "unexpected first line: '" << *line << "'; stderr:\n" << child.stderr_text();
    return 0;
  }
  const int port = std::stoi(m[1].str());
  EXPECT_GT(port, 0);
  EXPECT_LT(port, 65536);
  return static_cast<std::uint16_t>(port);
}

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

}  // namespace
}  // namespace xiehui::testing
