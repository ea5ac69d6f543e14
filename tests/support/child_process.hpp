#pragma once
// The real xiehui binary (XIEHUI_BINARY, from CMake) as a child process with its stdout on a
// pipe, for tests that need a separate process: the CLI, several servers on one database.

#include <gtest/gtest.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

extern char** environ;

namespace xiehui::testing {

namespace fs = std::filesystem;

// A safety bound on every wait for the child, never a synchronisation device.
constexpr int kSafetyBoundMs = 60'000;
constexpr std::string_view kAdminPassword = "some-long-test-password-123";

inline std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// One run of the xiehui binary. stdout is a pipe read by the test; stderr goes to a file that is
// printed when an expectation fails; stdin is /dev/null. The child is killed and reaped if the
// test ends before it exits.
class Child {
 public:
  /// Runs `binary` (by default the build's xiehui) with `args` in `cwd`.
  Child(const std::vector<std::string>& args, const fs::path& cwd,
        const fs::path& binary = XIEHUI_BINARY) {
    stderr_path_ = cwd / ("stderr-" + std::to_string(counter_++) + ".log");
    std::vector<std::string> argv_s{binary.string()};
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

inline bool exited_with(int status, int code) {
  return WIFEXITED(status) && WEXITSTATUS(status) == code;
}

inline std::string describe(int status) {
  if (WIFEXITED(status)) return "exit " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "status " + std::to_string(status);
}

// Reads the one line `serve` prints and returns the port it names (0 when it is not one).
inline std::uint16_t read_listening_port(Child& child) {
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

}  // namespace xiehui::testing
