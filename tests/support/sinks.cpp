#include "tests/support/sinks.hpp"

#include <boost/json.hpp>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string_view>
#include <system_error>

extern char** environ;

namespace xiehui::testing {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using Clock = std::chrono::steady_clock;

// Safety bounds, never synchronisation: the child says when it listens, and ends its stdout
// when it exits.
constexpr std::chrono::milliseconds kStartBound{20'000};
constexpr std::chrono::milliseconds kStopBound{5'000};
// Debian's python, which sees python3-aiosmtpd (a pyenv or venv python first on PATH does not).
constexpr const char* kPython = "/usr/bin/python3";

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string describe_status(int status) {
  std::string text = WIFEXITED(status) ? "exit " : WIFSIGNALED(status) ? "signal " : "status ";
  text += std::to_string(WIFEXITED(status)     ? WEXITSTATUS(status)
                         : WIFSIGNALED(status) ? WTERMSIG(status)
                                               : status);
  return text;
}

// Waits up to `until` for data on `fd`; appends what one read returns. 0 at end of file, -1 on
// timeout, else the bytes read.
long read_some(int fd, std::string& into, Clock::time_point until) {
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
    if (left.count() <= 0) return -1;
    pollfd p{fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return -1;
    std::array<char, 4096> buf;
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return 0;
    into.append(buf.data(), static_cast<std::size_t>(n));
    return n;
  }
}

struct Child {
  fs::path dir;
  pid_t pid = -1;
  int out = -1;
  int port = 0;
};

// Ends the child (SIGTERM, SIGKILL after kStopBound), reaps it and removes its directory.
void stop(Child& child) {
  if (child.pid > 0) {
    ::kill(child.pid, SIGTERM);
    bool ended = child.out < 0;
    const auto until = Clock::now() + kStopBound;
    std::string ignored;
    while (!ended) {
      const long n = read_some(child.out, ignored, until);
      if (n < 0) break;
      ended = n == 0;
      ignored.clear();
    }
    if (!ended) ::kill(child.pid, SIGKILL);
    int status = 0;
    while (::waitpid(child.pid, &status, 0) < 0 && errno == EINTR) {
    }
    child.pid = -1;
  }
  if (child.out >= 0) ::close(child.out);
  child.out = -1;
  if (!child.dir.empty()) {
    std::error_code ignored;
    fs::remove_all(child.dir, ignored);
  }
}

// Runs tests/support/<script> with `options` in a fresh directory under /tmp and waits for the
// port it prints once it listens. Throws (leaving nothing behind) when it does not start.
Child start(std::string_view script, const std::vector<std::string>& options) {
  Child child;
  std::string pattern = "/tmp/xiehui-sink-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::system_error(errno, std::generic_category(), "mkdtemp");
  }
  child.dir = pattern;

  std::string script_path = XIEHUI_SUPPORT_DIR;
  script_path += '/';
  script_path += script;
  std::vector<std::string> args{kPython, script_path, "--dir", child.dir.string()};
  args.insert(args.end(), options.begin(), options.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const fs::path log = child.dir / "stderr.log";

  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) {
    stop(child);
    throw std::system_error(errno, std::generic_category(), "pipe2");
  }
  const int err = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  const int null_in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  const pid_t parent = ::getpid();
  child.pid = (err < 0 || null_in < 0) ? -1 : ::fork();
  if (child.pid == 0) {
    // Only async-signal-safe calls between fork and exec. The sink dies with the test process,
    // even when that is killed.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(125);
    ::dup2(null_in, 0);
    ::dup2(out[1], 1);
    ::dup2(err, 2);
    ::execve(argv[0], argv.data(), environ);
    ::_exit(127);
  }
  ::close(out[1]);
  if (err >= 0) ::close(err);
  if (null_in >= 0) ::close(null_in);
  child.out = out[0];
  if (child.pid < 0) {
    stop(child);
    throw std::runtime_error("cannot start " + std::string(script));
  }

  std::string printed;
  const auto until = Clock::now() + kStartBound;
  while (printed.find('\n') == std::string::npos) {
    const long n = read_some(child.out, printed, until);
    if (n > 0) continue;
    std::string problem = std::string(script);
    if (n < 0) {
      problem += " printed no port within ";
      problem += std::to_string(kStartBound.count());
      problem += " ms";
      ::kill(child.pid, SIGKILL);
    } else {
      problem += " ended before listening";
    }
    int status = 0;
    while (::waitpid(child.pid, &status, 0) < 0 && errno == EINTR) {
    }
    child.pid = -1;
    problem += " (";
    problem += describe_status(status);
    problem += "); stderr:\n";
    problem += slurp(log);
    stop(child);
    throw std::runtime_error(problem);
  }
  // The port file is written before the line is printed; both name the same port.
  child.port = std::atoi(slurp(child.dir / "port").c_str());
  if (child.port <= 0 || child.port > 65535 || child.port != std::atoi(printed.c_str())) {
    stop(child);
    throw std::runtime_error(std::string(script) + " printed an unexpected port: " + printed);
  }
  return child;
}

// The complete lines of a JSON-lines file (none when it does not exist yet).
std::vector<json::object> read_lines(const fs::path& path) {
  std::vector<json::object> records;
  const std::string text = slurp(path);
  std::size_t begin = 0;
  for (std::size_t end; (end = text.find('\n', begin)) != std::string::npos; begin = end + 1) {
    if (end == begin) continue;
    json::value v = json::parse(std::string_view(text).substr(begin, end - begin));
    if (!v.is_object()) throw std::runtime_error("not a JSON object in " + path.string());
    records.push_back(std::move(v.as_object()));
  }
  return records;
}

int read_count(const fs::path& path) { return std::atoi(slurp(path).c_str()); }

std::string text_of(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::map<std::string, std::string> headers_of(const json::object& o) {
  std::map<std::string, std::string> headers;
  if (const json::value* v = o.if_contains("headers"); v != nullptr && v->is_object()) {
    for (const auto& [name, value] : v->as_object()) {
      if (value.is_string()) headers[std::string(name)] = std::string(value.as_string());
    }
  }
  return headers;
}

std::vector<std::string> texts_of(const json::object& o, std::string_view key) {
  std::vector<std::string> texts;
  if (const json::value* v = o.if_contains(key); v != nullptr && v->is_array()) {
    for (const json::value& item : v->as_array()) {
      if (item.is_string()) texts.emplace_back(item.as_string());
    }
  }
  return texts;
}

}  // namespace

SmtpSink::SmtpSink(SmtpSinkOptions options) {
  std::vector<std::string> args;
  if (options.tls) args.emplace_back("--tls");
  if (!options.auth_user.empty()) {
    args.emplace_back("--auth");
    args.push_back(options.auth_user + ":" + options.auth_password);
  }
  if (options.refuse_first > 0) {
    args.emplace_back("--refuse-first");
    args.push_back(std::to_string(options.refuse_first));
  }
  if (options.reject_all) args.emplace_back("--reject-all");
  if (options.delay_ms > 0) {
    args.emplace_back("--delay-ms");
    args.push_back(std::to_string(options.delay_ms));
  }
  Child child = start("smtp_sink.py", args);
  dir_ = child.dir;
  pid_ = child.pid;
  stdout_ = child.out;
  port_ = child.port;
}

SmtpSink::~SmtpSink() {
  Child child{dir_, pid_, stdout_, port_};
  stop(child);
}

std::vector<ReceivedMail> SmtpSink::messages() const {
  std::vector<ReceivedMail> mails;
  for (const json::object& o : read_lines(dir_ / "messages.jsonl")) {
    ReceivedMail m;
    m.mail_from = text_of(o, "mail_from");
    m.rcpt_to = texts_of(o, "rcpt_to");
    m.headers = headers_of(o);
    m.message_id = text_of(o, "message_id");
    m.subject = text_of(o, "subject");
    m.from_name = text_of(o, "from_name");
    m.from_address = text_of(o, "from_address");
    m.to_name = text_of(o, "to_name");
    m.to_address = text_of(o, "to_address");
    m.list_unsubscribe = text_of(o, "list_unsubscribe");
    m.content_type = text_of(o, "content_type");
    m.text = text_of(o, "text");
    m.html = text_of(o, "html");
    m.defects = texts_of(o, "defects");
    const json::value* tls = o.if_contains("tls");
    m.tls = tls != nullptr && tls->is_bool() && tls->as_bool();
    m.auth_user = text_of(o, "auth_user");
    m.raw = text_of(o, "raw");
    mails.push_back(std::move(m));
  }
  return mails;
}

int SmtpSink::refused() const { return read_count(dir_ / "refused"); }

HttpSink::HttpSink(HttpSinkOptions options) {
  std::vector<std::string> args;
  if (options.fail_first > 0) {
    args.emplace_back("--fail-first");
    args.push_back(std::to_string(options.fail_first));
  }
  args.emplace_back("--fail-status");
  args.push_back(std::to_string(options.fail_status));
  if (options.delay_ms > 0) {
    args.emplace_back("--delay-ms");
    args.push_back(std::to_string(options.delay_ms));
  }
  Child child = start("http_sink.py", args);
  dir_ = child.dir;
  pid_ = child.pid;
  stdout_ = child.out;
  port_ = child.port;
}

HttpSink::~HttpSink() {
  Child child{dir_, pid_, stdout_, port_};
  stop(child);
}

std::string HttpSink::url(const std::string& path) const {
  std::string url = "http://127.0.0.1:";
  url += std::to_string(port_);
  url += path;
  return url;
}

std::vector<ReceivedRequest> HttpSink::requests() const {
  std::vector<ReceivedRequest> requests;
  for (const json::object& o : read_lines(dir_ / "requests.jsonl")) {
    requests.push_back(
        {text_of(o, "method"), text_of(o, "path"), headers_of(o), text_of(o, "body")});
  }
  return requests;
}

int HttpSink::failed() const { return read_count(dir_ / "failed"); }

}  // namespace xiehui::testing
