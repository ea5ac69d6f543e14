// The real server on 127.0.0.1:0, driven over TCP: health and readiness, routing errors, body and
// header limits, strict framing, deadlines, keep-alive, request ids, languages, metrics, the
// OpenAPI document, the catch boundary, the connection cap and graceful shutdown.

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "tests/support/http_client.hpp"
#include "tests/support/running_app.hpp"
#include "tests/support/tcp_proxy.hpp"
#include "tests/support/test_database.hpp"

namespace xiehui::testing {
namespace {

using web::RequestContext;
using web::Route;

constexpr std::size_t kMiB = 1024 * 1024;
// A safety bound for waits on the server, never a synchronisation device.
constexpr auto kSafetyBound = std::chrono::seconds(30);
constexpr auto kSafetyBoundMs = std::chrono::milliseconds(kSafetyBound).count();

// ---- helpers ----

boost::json::object json_object(const std::string& body) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(body, ec);
  EXPECT_FALSE(ec) << "not JSON: " << body;
  EXPECT_TRUE(v.is_object()) << "not a JSON object: " << body;
  return !ec && v.is_object() ? v.as_object() : boost::json::object{};
}

// The string at `key`, or a marker that fails any comparison when it is missing or not a string.
std::string text_at(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v) return "<missing " + std::string(key) + ">";
  return v->is_string() ? std::string(v->as_string()) : "<not a string: " + serialize(*v) + ">";
}

// The status code of the first response in raw bytes; 0 when they do not start with one.
unsigned raw_status(std::string_view raw) {
  if (raw.size() < 12 || raw.substr(0, 7) != "HTTP/1.") return 0;
  const std::string_view code = raw.substr(9, 3);
  unsigned n = 0;
  for (const char c : code) {
    if (c < '0' || c > '9') return 0;
    n = n * 10 + static_cast<unsigned>(c - '0');
  }
  return n;
}

// The body of the first response in raw bytes (everything after the header block).
std::string raw_body(const std::string& raw) {
  const auto end = raw.find("\r\n\r\n");
  return end == std::string::npos ? std::string() : raw.substr(end + 4);
}

std::size_t count_of(std::string_view haystack, std::string_view needle) {
  std::size_t n = 0;
  for (auto pos = haystack.find(needle); pos != std::string_view::npos;
       pos = haystack.find(needle, pos + needle.size())) {
    ++n;
  }
  return n;
}

bool is_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

bool is_hex16(std::string_view s) {
  return s.size() == 16 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// A request head with the given extra header lines, each ending in "\r\n".
std::string head(std::string_view request_line, std::string_view header_lines) {
  return std::string(request_line) + "\r\nHost: 127.0.0.1\r\n" + std::string(header_lines) + "\r\n";
}

// `size` bytes as chunks of at most 64 KiB, with the terminating chunk.
std::string chunked(std::size_t size) {
  std::string out;
  constexpr std::size_t kChunk = 64 * 1024;
  for (std::size_t sent = 0; sent < size;) {
    const std::size_t n = std::min(kChunk, size - sent);
    std::ostringstream line;
    line << std::hex << n << "\r\n";
    out += line.str();
    out.append(n, 'c');
    out += "\r\n";
    sent += n;
  }
  return out + "0\r\n\r\n";
}

// A client connection whose every wait is bounded by poll(), so a server that never answers or
// never closes fails the test instead of hanging it. (Asio's synchronous reads ignore
// SO_RCVTIMEO: after EAGAIN they poll without a timeout.)
class Connection {
 public:
  /// Connects to 127.0.0.1:port, from `source` (another loopback address such as "127.0.0.2",
  /// a second client) when given; throws std::system_error (ECONNREFUSED, ...) when it cannot.
  explicit Connection(std::uint16_t port, const char* source = nullptr) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "socket");
    if (source) {
      sockaddr_in from{};
      from.sin_family = AF_INET;
      if (::inet_pton(AF_INET, source, &from.sin_addr) != 1 ||
          ::bind(fd_, reinterpret_cast<const sockaddr*>(&from), sizeof from) != 0) {
        const int err = errno;
        ::close(fd_);
        throw std::system_error(err, std::generic_category(), "bind");
      }
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
      const int err = errno;
      ::close(fd_);
      throw std::system_error(err, std::generic_category(), "connect");
    }
  }
  ~Connection() { ::close(fd_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// Writes all bytes; stops quietly when the server has closed (the test reads what it said).
  void send(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
  }

  /// A request with Host and, when there is a body, Content-Length.
  void send_request(http::verb method, std::string_view target, const std::string& body = {},
                    const Headers& headers = {}) {
    std::string out = std::string(http::to_string(method)) + " " + std::string(target) +
                      " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (const auto& [name, value] : headers) out += name + ": " + value + "\r\n";
    if (!body.empty() || method == http::verb::post) {
      out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    }
    out += "\r\n";
    out += body;
    send(out);
  }

  /// Reads one response; a failed test and status 0 when none arrives.
  HttpReply read_response() {
    http::response_parser<http::string_body> parser;
    parser.body_limit(256 * kMiB);
    parser.eager(true);
    for (;;) {
      while (!pending_.empty() && !parser.is_done()) {
        boost::system::error_code ec;
        const std::size_t used =
            parser.put(boost::asio::buffer(pending_.data(), pending_.size()), ec);
        pending_.erase(0, used);
        if (ec == http::error::need_more) break;
        if (ec) {
          ADD_FAILURE() << "unparsable response: " << ec.message();
          return {};
        }
        if (used == 0) break;
      }
      if (parser.is_done()) break;
      const Read r = read_more();
      if (r != Read::data) {
        ADD_FAILURE() << (r == Read::timeout ? "no response in time" : "closed before a response")
                      << "; received: " << pending_.substr(0, 300);
        return {};
      }
    }
    HttpReply reply;
    const auto& res = parser.get();
    reply.status = res.result_int();
    reply.body = res.body();
    for (const auto& f : res) reply.headers.insert(f.name_string(), f.value());
    return reply;
  }

  /// Everything until the server closes; a failed test when it does not close in time.
  std::string read_until_closed() {
    for (;;) {
      const Read r = read_more();
      if (r == Read::closed) return std::exchange(pending_, {});
      if (r == Read::timeout) {
        ADD_FAILURE() << "the server did not close the connection; received: "
                      << pending_.substr(0, 300);
        return std::exchange(pending_, {});
      }
    }
  }

  /// The bytes up to and including `delimiter`; a failed test and what arrived when it does not.
  std::string read_until(std::string_view delimiter) {
    for (;;) {
      const auto pos = pending_.find(delimiter);
      if (pos != std::string::npos) {
        std::string out = pending_.substr(0, pos + delimiter.size());
        pending_.erase(0, pos + delimiter.size());
        return out;
      }
      if (read_more() != Read::data) {
        ADD_FAILURE() << "the connection ended or stalled before the expected bytes";
        return std::exchange(pending_, {});
      }
    }
  }

  /// Waits until response bytes arrive, without consuming them.
  bool wait_for_data() {
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, static_cast<int>(kSafetyBoundMs)) == 1;
  }

 private:
  enum class Read { data, closed, timeout };

  Read read_more() {
    pollfd p{fd_, POLLIN, 0};
    int ready = 0;
    while ((ready = ::poll(&p, 1, static_cast<int>(kSafetyBoundMs))) < 0 && errno == EINTR) {
    }
    if (ready == 0) return Read::timeout;
    char buf[64 * 1024];
    ssize_t n = 0;
    while ((n = ::recv(fd_, buf, sizeof buf, 0)) < 0 && errno == EINTR) {
    }
    if (n <= 0) return Read::closed;  // end of stream or reset
    pending_.append(buf, static_cast<std::size_t>(n));
    return Read::data;
  }

  int fd_ = -1;
  std::string pending_;
};

/// One request on a new connection.
HttpReply fetch(std::uint16_t port, http::verb method, std::string_view target,
                const std::string& body = {}, const Headers& headers = {}) {
  Connection conn(port);
  conn.send_request(method, target, body, headers);
  return conn.read_response();
}

// POST /test/echo (default body limit) and /test/upload (4 MiB) answer {"bytes": N}.
Route echo_route(std::string pattern, std::size_t body_limit) {
  return Route{http::verb::post,
               std::move(pattern),
               Access::public_route(),
               [](RequestContext& ctx) {
                 return ctx.json(
                     http::status::ok,
                     {{"bytes", static_cast<std::uint64_t>(ctx.request.body().size())}});
               },
               "test: size of the request body",
               body_limit};
}

constexpr std::string_view kSecretDetail = "secret-internal-detail-7f3a";

// GET /test/throw: a handler bug.
Route throwing_route() {
  return Route{http::verb::get, "/test/throw", Access::public_route(),
               [](RequestContext&) -> web::Response {
                 throw std::runtime_error(std::string(kSecretDetail) + " at /srv/xiehui/x.cpp");
               },
               "test: throws"};
}

std::vector<Route> test_routes() {
  std::vector<Route> routes;
  routes.push_back(echo_route("/test/echo", 0));
  routes.push_back(echo_route("/test/upload", 4 * kMiB));
  routes.push_back(throwing_route());
  return routes;
}

class ServerTest : public ::testing::Test {
 protected:
  // One I/O thread: several tests rely on connections being accepted in arrival order, which
  // one acceptor guarantees and several (SO_REUSEPORT) do not. Every other HTTP suite runs the
  // default two.
  AppConfig config() const {
    AppConfig c = test_config(db_.connection_string());
    c.io_threads = 1;
    return c;
  }

  TestDatabase db_{"sqlite"};
};

// Asserts the raw bytes are exactly one response with `status` and a JSON error `code`.
void expect_single_error(const std::string& raw, unsigned status, std::string_view code) {
  EXPECT_EQ(raw_status(raw), status) << raw.substr(0, 400);
  EXPECT_EQ(count_of(raw, "HTTP/1."), 1u) << "expected exactly one response:\n"
                                          << raw.substr(0, 2000);
  const boost::json::object body = json_object(raw_body(raw));
  EXPECT_EQ(text_at(body, "code"), code);
}

// ---- health and readiness ----

TEST_F(ServerTest, HealthzAnswersOk) {
  RunningApp app(config());
  const HttpReply r = fetch(app.port(), http::verb::get, "/healthz");
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.header("Content-Type").rfind("application/json", 0), 0u) << r.header("Content-Type");
  const boost::json::object body = json_object(r.body);
  EXPECT_EQ(text_at(body, "status"), "ok");
  EXPECT_EQ(body.size(), 1u) << r.body;
}

TEST_F(ServerTest, ReadyzOnSqliteIsOk) {
  RunningApp app(config());
  const HttpReply r = fetch(app.port(), http::verb::get, "/readyz");
  EXPECT_EQ(r.status, 200u) << r.body;
}

// host/port/user/password/... from XIEHUI_TEST_MYSQL ("host=… port=… user=… password=…").
std::map<std::string, std::string> mysql_params() {
  std::map<std::string, std::string> out;
  std::istringstream in(TestDatabase::mysql_server_params());
  std::string token;
  while (in >> token) {
    const auto eq = token.find('=');
    if (eq != std::string::npos) out[token.substr(0, eq)] = token.substr(eq + 1);
  }
  return out;
}

TEST(ServerReadiness, ReadyzIs503WhileMariaDbIsDownAndRecovers) {
  const std::vector<std::string> backends = test_backends();  // fails under CI without MariaDB
  if (std::find(backends.begin(), backends.end(), "mysql") == backends.end()) {
    GTEST_SKIP() << "XIEHUI_TEST_MYSQL is not set";
  }
  auto params = mysql_params();
  ASSERT_TRUE(params.contains("host") && params.contains("port"))
      << TestDatabase::mysql_server_params();
  TestDatabase db("mysql");
  TcpProxy proxy(params["host"], static_cast<std::uint16_t>(std::stoi(params["port"])));
  std::string conn =
      "mysql://db=" + db.mysql_name() + " host=127.0.0.1 port=" + std::to_string(proxy.port());
  for (const auto& [key, value] : params) {
    if (key != "host" && key != "port" && key != "db" && key != "dbname") {
      conn += " " + key + "=" + value;
    }
  }
  RunningApp app(test_config(conn));

  HttpReply r = fetch(app.port(), http::verb::get, "/readyz");
  EXPECT_EQ(r.status, 200u) << r.body;

  proxy.cut();
  // The first ping finds its connection gone; the second has to reconnect and cannot.
  for (int attempt = 1; attempt <= 2; ++attempt) {
    r = fetch(app.port(), http::verb::get, "/readyz");
    EXPECT_EQ(r.status, 503u) << "attempt " << attempt << ": " << r.body;
    const boost::json::object body = json_object(r.body);
    EXPECT_EQ(text_at(body, "code"), "unavailable") << "attempt " << attempt;
    EXPECT_EQ(r.body.find("127.0.0.1"), std::string::npos)
        << "connection detail leaked: " << r.body;
  }
  // Liveness does not depend on the database.
  EXPECT_EQ(fetch(app.port(), http::verb::get, "/healthz").status, 200u);

  proxy.restore();
  r = fetch(app.port(), http::verb::get, "/readyz");
  EXPECT_EQ(r.status, 200u) << r.body;
  r = fetch(app.port(), http::verb::get, "/readyz");
  EXPECT_EQ(r.status, 200u) << r.body;
}

// ---- routing errors ----

TEST_F(ServerTest, UnknownApiPathIsJson404) {
  RunningApp app(config());
  const HttpReply r = fetch(app.port(), http::verb::get, "/api/nothing");
  EXPECT_EQ(r.status, 404u);
  EXPECT_EQ(r.header("Content-Type").rfind("application/json", 0), 0u) << r.header("Content-Type");
  const boost::json::object body = json_object(r.body);
  EXPECT_EQ(text_at(body, "code"), "not_found");
  EXPECT_FALSE(text_at(body, "message").empty());
  ASSERT_TRUE(body.contains("request_id")) << r.body;
  EXPECT_EQ(text_at(body, "request_id"), r.header("X-Request-Id"));
  EXPECT_FALSE(r.header("X-Request-Id").empty());
}

TEST_F(ServerTest, WrongMethodIs405WithAllow) {
  RunningApp app(config());
  const HttpReply r = fetch(app.port(), http::verb::post, "/healthz");
  EXPECT_EQ(r.status, 405u);
  EXPECT_EQ(r.header("Allow"), "GET");
  EXPECT_EQ(text_at(json_object(r.body), "code"), "method_not_allowed");
}

// ---- body limits ----

TEST_F(ServerTest, BodyAtTheDefaultLimitIsAccepted) {
  RunningApp app(config(), test_routes());
  const HttpReply r = fetch(app.port(), http::verb::post, "/test/echo", std::string(kMiB, 'x'));
  EXPECT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(json_object(r.body)["bytes"], boost::json::value(kMiB)) << r.body;
}

TEST_F(ServerTest, OversizeBodyIs413AndCloses) {
  RunningApp app(config(), test_routes());
  Connection conn(app.port());
  conn.send(head("POST /test/echo HTTP/1.1", "Content-Length: 1048577\r\n") +
            std::string(kMiB + 1, 'x'));
  expect_single_error(conn.read_until_closed(), 413, "payload_too_large");
}

TEST_F(ServerTest, OversizeContentLengthIsRefusedBeforeTheBody) {
  RunningApp app(config(), test_routes());
  Connection conn(app.port());
  // The client waits for 100 Continue before sending the body; the server must not invite it.
  conn.send(
      head("POST /test/echo HTTP/1.1", "Content-Length: 1048577\r\nExpect: 100-continue\r\n"));
  const std::string raw = conn.read_until_closed();
  EXPECT_EQ(raw.find(" 100 "), std::string::npos) << raw;
  expect_single_error(raw, 413, "payload_too_large");
}

TEST_F(ServerTest, OversizeChunkedBodyIs413) {
  RunningApp app(config(), test_routes());
  Connection conn(app.port());
  conn.send(head("POST /test/echo HTTP/1.1", "Transfer-Encoding: chunked\r\n") + chunked(kMiB + 1));
  expect_single_error(conn.read_until_closed(), 413, "payload_too_large");
}

TEST_F(ServerTest, ChunkedBodyWithinTheLimitIsAccepted) {
  RunningApp app(config(), test_routes());
  Connection conn(app.port());
  conn.send(head("POST /test/echo HTTP/1.1", "Transfer-Encoding: chunked\r\n") +
            chunked(200 * 1024));
  const HttpReply r = conn.read_response();
  EXPECT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(json_object(r.body)["bytes"], boost::json::value(200 * 1024)) << r.body;
}

TEST_F(ServerTest, RouteBodyLimitOverrideAcceptsLargerBodies) {
  RunningApp app(config(), test_routes());
  const HttpReply r =
      fetch(app.port(), http::verb::post, "/test/upload", std::string(2 * kMiB, 'u'));
  EXPECT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(json_object(r.body)["bytes"], boost::json::value(2 * kMiB)) << r.body;

  Connection conn(app.port());
  conn.send(head("POST /test/upload HTTP/1.1", "Content-Length: 4194305\r\n"));
  expect_single_error(conn.read_until_closed(), 413, "payload_too_large");
}

TEST_F(ServerTest, ExpectContinueGets100ThenTheResponse) {
  RunningApp app(config(), test_routes());
  Connection conn(app.port());
  conn.send(head("POST /test/echo HTTP/1.1", "Content-Length: 5\r\nExpect: 100-continue\r\n"));
  EXPECT_EQ(conn.read_until("\r\n\r\n"), "HTTP/1.1 100 Continue\r\n\r\n");
  conn.send("hello");
  const HttpReply r = conn.read_response();
  EXPECT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(json_object(r.body)["bytes"], boost::json::value(5)) << r.body;
}

// ---- framing ----

TEST_F(ServerTest, ContentLengthWithTransferEncodingIs400AndCloses) {
  RunningApp app(config(), test_routes());
  Connection conn(app.port());
  // Whatever the server took as the body, the request smuggled after it must not be answered.
  const std::string smuggled = head("GET /healthz HTTP/1.1", "");
  conn.send(
      head("POST /test/echo HTTP/1.1", "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n") +
      "5\r\nhello\r\n0\r\n\r\n" + smuggled);
  expect_single_error(conn.read_until_closed(), 400, "invalid_argument");
}

TEST_F(ServerTest, TransferEncodingOtherThanChunkedIs400) {
  RunningApp app(config(), test_routes());
  for (const std::string te : {"gzip", "gzip, chunked", "chunked, chunked", "identity"}) {
    Connection conn(app.port());
    conn.send(head("POST /test/echo HTTP/1.1", "Transfer-Encoding: " + te + "\r\n") +
              "5\r\nhello\r\n0\r\n\r\n");
    SCOPED_TRACE("Transfer-Encoding: " + te);
    expect_single_error(conn.read_until_closed(), 400, "invalid_argument");
  }
}

TEST_F(ServerTest, RepeatedTransferEncodingHeaderIs400) {
  RunningApp app(config(), test_routes());
  Connection conn(app.port());
  conn.send(head("POST /test/echo HTTP/1.1",
                 "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n") +
            "5\r\nhello\r\n0\r\n\r\n");
  expect_single_error(conn.read_until_closed(), 400, "invalid_argument");
}

TEST_F(ServerTest, MalformedContentLengthIs400) {
  RunningApp app(config(), test_routes());
  for (const std::string cl : {"12abc", "-1", "0x10", "5, 6"}) {
    Connection conn(app.port());
    conn.send(head("POST /test/echo HTTP/1.1", "Content-Length: " + cl + "\r\n") + "hello world!");
    SCOPED_TRACE("Content-Length: " + cl);
    expect_single_error(conn.read_until_closed(), 400, "invalid_argument");
  }
}

TEST_F(ServerTest, RepeatedContentLengthIs400) {
  RunningApp app(config(), test_routes());
  Connection conn(app.port());
  conn.send(head("POST /test/echo HTTP/1.1", "Content-Length: 5\r\nContent-Length: 5\r\n") +
            "hello");
  expect_single_error(conn.read_until_closed(), 400, "invalid_argument");
}

TEST_F(ServerTest, GarbageRequestLineIs400) {
  RunningApp app(config());
  const std::vector<std::string> requests = {
      "THIS IS NOT HTTP\r\n\r\n", "GET\r\n\r\n", "GET /healthz HTTP/9.9\r\n\r\n",
      std::string("\x16\x03\x01\x02\x00\x01\r\n\r\n", 10),  // a TLS ClientHello on plain HTTP
  };
  for (const std::string& garbage : requests) {
    Connection conn(app.port());
    conn.send(garbage);
    SCOPED_TRACE("request: " + garbage);
    expect_single_error(conn.read_until_closed(), 400, "invalid_argument");
  }
  // The server is still serving.
  EXPECT_EQ(fetch(app.port(), http::verb::get, "/healthz").status, 200u);
}

// ---- header limit ----

TEST_F(ServerTest, HeaderBlockOver16KiBIs431) {
  RunningApp app(config());
  Connection conn(app.port());
  std::string big = "X-Big: ";
  big.append(17 * 1024, 'h');
  big += "\r\n";
  conn.send(head("GET /healthz HTTP/1.1", big));
  expect_single_error(conn.read_until_closed(), 431, "headers_too_large");
}

TEST_F(ServerTest, HeaderBlockUnder16KiBIsAccepted) {
  RunningApp app(config());
  const HttpReply r =
      fetch(app.port(), http::verb::get, "/healthz", "", {{"X-Big", std::string(12 * 1024, 'h')}});
  EXPECT_EQ(r.status, 200u) << r.body;
}

// ---- deadlines ----

TEST_F(ServerTest, SlowClientIsDroppedAfterTheReadDeadline) {
  AppConfig c = config();
  c.read_timeout = std::chrono::seconds(1);
  RunningApp app(c);
  Connection conn(app.port());
  conn.send("GET /heal");
  // read_until_closed fails the test if the server has not closed within the safety bound.
  EXPECT_EQ(conn.read_until_closed(), "");
  EXPECT_EQ(fetch(app.port(), http::verb::get, "/healthz").status, 200u);
}

TEST_F(ServerTest, SlowBodyIsDroppedAfterTheReadDeadline) {
  AppConfig c = config();
  c.read_timeout = std::chrono::seconds(1);
  RunningApp app(c, test_routes());
  Connection conn(app.port());
  conn.send(head("POST /test/echo HTTP/1.1", "Content-Length: 10\r\n") + "abc");
  EXPECT_EQ(conn.read_until_closed(), "");
}

TEST_F(ServerTest, IdleKeepAliveConnectionIsClosedAfterTheDeadline) {
  AppConfig c = config();
  c.read_timeout = std::chrono::seconds(1);
  RunningApp app(c);
  Connection conn(app.port());
  conn.send_request(http::verb::get, "/healthz");
  EXPECT_EQ(conn.read_response().status, 200u);
  EXPECT_EQ(conn.read_until_closed(), "");
}

// A connection that has not delivered a whole request header holds its slot for
// header_timeout, not read_timeout: a new connection that sends nothing, one that sends half a
// header, and a keep-alive connection idle after its response.
TEST_F(ServerTest, ConnectionsWithoutACompleteHeaderAreClosedAfterTheHeaderTimeout) {
  AppConfig c = config();
  c.header_timeout = std::chrono::seconds(1);
  c.read_timeout = std::chrono::seconds(10);
  RunningApp app(c);
  const auto start = std::chrono::steady_clock::now();
  Connection silent(app.port());
  Connection partial(app.port());
  partial.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  Connection kept_alive(app.port());
  kept_alive.send_request(http::verb::get, "/healthz");
  EXPECT_EQ(kept_alive.read_response().status, 200u);

  EXPECT_EQ(silent.read_until_closed(), "");
  EXPECT_EQ(partial.read_until_closed(), "");
  EXPECT_EQ(kept_alive.read_until_closed(), "");
  // Not a wait: a bound that tells the header timeout (1 s) from the read timeout (10 s).
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5))
      << "the connections were held until the read timeout";
}

// Once the header is in, the body has the (longer) read timeout.
TEST_F(ServerTest, BodyArrivingWithinTheReadTimeoutOutlivesTheHeaderTimeout) {
  AppConfig c = config();
  c.header_timeout = std::chrono::seconds(1);
  c.read_timeout = std::chrono::seconds(10);
  RunningApp app(c, test_routes());
  Connection conn(app.port());
  conn.send(head("POST /test/echo HTTP/1.1", "Content-Length: 10\r\n") + "abc");
  // The client is slow, not waiting for the server: the rest of the body comes after the
  // header timeout has run out.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  conn.send("defghij");
  const HttpReply r = conn.read_response();
  EXPECT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(json_object(r.body)["bytes"], boost::json::value(10)) << r.body;
}

// ---- keep-alive ----

TEST_F(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  RunningApp app(config());
  Connection conn(app.port());
  conn.send_request(http::verb::get, "/healthz");
  EXPECT_EQ(conn.read_response().status, 200u);
  conn.send_request(http::verb::get, "/api/nothing");
  EXPECT_EQ(conn.read_response().status, 404u);
  conn.send_request(http::verb::get, "/healthz");
  EXPECT_EQ(conn.read_response().status, 200u);
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  RunningApp app(config());
  Connection conn(app.port());
  conn.send(head("GET /healthz HTTP/1.1", "X-Request-Id: first\r\n") +
            head("GET /api/nothing HTTP/1.1", "X-Request-Id: second\r\n") +
            head("GET /readyz HTTP/1.1", "X-Request-Id: third\r\n"));
  const HttpReply a = conn.read_response();
  const HttpReply b = conn.read_response();
  const HttpReply c = conn.read_response();
  EXPECT_EQ(a.status, 200u);
  EXPECT_EQ(a.header("X-Request-Id"), "first");
  EXPECT_EQ(b.status, 404u);
  EXPECT_EQ(b.header("X-Request-Id"), "second");
  EXPECT_EQ(c.status, 200u);
  EXPECT_EQ(c.header("X-Request-Id"), "third");
}

TEST_F(ServerTest, ConnectionCloseIsHonoured) {
  RunningApp app(config());
  Connection conn(app.port());
  conn.send(head("GET /healthz HTTP/1.1", "Connection: close\r\n"));
  const std::string raw = conn.read_until_closed();
  EXPECT_EQ(raw_status(raw), 200u) << raw;
  EXPECT_EQ(count_of(raw, "HTTP/1."), 1u) << raw;
}

TEST_F(ServerTest, Http10WithoutKeepAliveIsClosedAfterTheResponse) {
  RunningApp app(config());
  Connection conn(app.port());
  conn.send("GET /healthz HTTP/1.0\r\n\r\n");
  const std::string raw = conn.read_until_closed();
  EXPECT_EQ(raw_status(raw), 200u) << raw;
  EXPECT_EQ(json_object(raw_body(raw)).size(), 1u) << raw;
}

// ---- request ids and languages ----

// Requests the server refuses before routing (413, 431, 400) are answered like any other error:
// with the client's X-Request-Id, or a generated one, in the header and the body.
TEST_F(ServerTest, RefusedRequestsCarryARequestId) {
  RunningApp app(config(), test_routes());
  {
    Connection conn(app.port());
    conn.send(
        head("POST /test/echo HTTP/1.1", "Content-Length: 1048577\r\nX-Request-Id: upload-7\r\n"));
    const HttpReply r = conn.read_response();
    EXPECT_EQ(r.status, 413u);
    EXPECT_EQ(r.header("X-Request-Id"), "upload-7");
    EXPECT_EQ(text_at(json_object(r.body), "request_id"), "upload-7");
  }
  {
    Connection conn(app.port());
    conn.send("THIS IS NOT HTTP\r\n\r\n");
    const HttpReply r = conn.read_response();
    EXPECT_EQ(r.status, 400u);
    EXPECT_TRUE(is_hex16(r.header("X-Request-Id"))) << r.header("X-Request-Id");
    EXPECT_EQ(text_at(json_object(r.body), "request_id"), r.header("X-Request-Id"));
  }
}

TEST_F(ServerTest, RequestIdIsEchoedWhenSent) {
  RunningApp app(config());
  HttpReply r =
      fetch(app.port(), http::verb::get, "/healthz", "", {{"X-Request-Id", "client-id_42.a"}});
  EXPECT_EQ(r.header("X-Request-Id"), "client-id_42.a");
  r = fetch(app.port(), http::verb::get, "/api/nothing", "", {{"X-Request-Id", "client-id_43"}});
  EXPECT_EQ(r.header("X-Request-Id"), "client-id_43");
  EXPECT_EQ(text_at(json_object(r.body), "request_id"), "client-id_43");
}

TEST_F(ServerTest, RequestIdIsGeneratedWhenAbsent) {
  RunningApp app(config());
  const HttpReply a = fetch(app.port(), http::verb::get, "/healthz");
  const HttpReply b = fetch(app.port(), http::verb::get, "/healthz");
  EXPECT_TRUE(is_hex16(a.header("X-Request-Id"))) << a.header("X-Request-Id");
  EXPECT_TRUE(is_hex16(b.header("X-Request-Id"))) << b.header("X-Request-Id");
  EXPECT_NE(a.header("X-Request-Id"), b.header("X-Request-Id"));
}

TEST_F(ServerTest, UnsafeRequestIdIsReplaced) {
  RunningApp app(config());
  // Would otherwise be written into the access log and the response verbatim.
  const std::vector<std::string> bad_ids = {"evil id\\nforged", std::string(100, 'a'), "<script>"};
  for (const std::string& bad : bad_ids) {
    const HttpReply r = fetch(app.port(), http::verb::get, "/healthz", "", {{"X-Request-Id", bad}});
    EXPECT_TRUE(is_hex16(r.header("X-Request-Id"))) << bad << " → " << r.header("X-Request-Id");
  }
}

TEST_F(ServerTest, MessagesFollowAcceptLanguage) {
  RunningApp app(config());
  const std::string zh =
      text_at(json_object(fetch(app.port(), http::verb::get, "/api/nothing").body), "message");
  const std::string zh_explicit =
      text_at(json_object(fetch(app.port(), http::verb::get, "/api/nothing", "",
                                {{"Accept-Language", "zh-CN,zh;q=0.9,en;q=0.8"}})
                              .body),
              "message");
  const std::string en = text_at(
      json_object(
          fetch(app.port(), http::verb::get, "/api/nothing", "", {{"Accept-Language", "en"}}).body),
      "message");
  const std::string en_us = text_at(json_object(fetch(app.port(), http::verb::get, "/api/nothing",
                                                      "", {{"Accept-Language", "en-US,en;q=0.9"}})
                                                    .body),
                                    "message");
  EXPECT_FALSE(zh.empty());
  EXPECT_FALSE(is_ascii(zh)) << "the default language is Chinese: " << zh;
  EXPECT_EQ(zh_explicit, zh);
  EXPECT_FALSE(en.empty());
  EXPECT_TRUE(is_ascii(en)) << en;
  EXPECT_NE(en, zh);
  EXPECT_EQ(en_us, en);
}

// ---- metrics and OpenAPI ----

TEST_F(ServerTest, MetricsCountRequestsAndShowThePool) {
  const AppConfig c = config();
  RunningApp app(c);
  ASSERT_EQ(fetch(app.port(), http::verb::get, "/healthz").status, 200u);
  ASSERT_EQ(fetch(app.port(), http::verb::get, "/healthz").status, 200u);
  const HttpReply r = fetch(app.port(), http::verb::get, "/metrics");
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.header("Content-Type").rfind("text/plain", 0), 0u) << r.header("Content-Type");
  const std::string healthz_2xx =
      R"(xiehui_http_requests_total{method="GET",route="/healthz",code="2xx"} )";
  const auto pos = r.body.find(healthz_2xx);
  ASSERT_NE(pos, std::string::npos) << r.body;
  const std::string count =
      r.body.substr(pos + healthz_2xx.size(), r.body.find('\n', pos) - pos - healthz_2xx.size());
  EXPECT_EQ(count, "2") << r.body;
  EXPECT_NE(r.body.find("\nxiehui_db_pool_size " + std::to_string(c.db_pool_size) + "\n"),
            std::string::npos)
      << r.body;
  EXPECT_NE(
      r.body.find("xiehui_http_request_duration_seconds_bucket{method=\"GET\",route=\"/healthz\""),
      std::string::npos)
      << r.body;
}

// The value of the sample `series` (name with labels) in Prometheus text; -1 when absent.
long long metric_value(const std::string& text, const std::string& series) {
  const std::string prefix = series + " ";
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t end = std::min(text.find('\n', pos), text.size());
    const std::string_view line(text.data() + pos, end - pos);
    if (line.substr(0, prefix.size()) == prefix)
      return std::stoll(std::string(line.substr(prefix.size())));
    pos = end + 1;
  }
  return -1;
}

TEST_F(ServerTest, MetricsCountRejectedConnections) {
  AppConfig c = config();
  c.max_connections = 1;
  RunningApp app(c);
  Connection scraper(app.port());  // the one allowed connection
  const auto scrape = [&scraper] {
    scraper.send_request(http::verb::get, "/metrics");
    return scraper.read_response().body;
  };
  const std::string before = scrape();
  const long long rejected = metric_value(before, "xiehui_http_connections_rejected_total");
  ASSERT_GE(rejected, 0) << before;
  EXPECT_EQ(metric_value(before, "xiehui_http_connections_open"), 1) << before;
  {
    Connection over_the_cap(app.port());
    EXPECT_EQ(over_the_cap.read_until_closed(), "");
  }
  const std::string after = scrape();
  EXPECT_EQ(metric_value(after, "xiehui_http_connections_rejected_total"), rejected + 1) << after;
}

TEST_F(ServerTest, MetricsCountProtocolErrors) {
  RunningApp app(config());
  const std::string before = fetch(app.port(), http::verb::get, "/metrics").body;
  const long long errors = metric_value(before, "xiehui_http_protocol_errors_total");
  ASSERT_GE(errors, 0) << before;
  {
    Connection conn(app.port());
    conn.send("THIS IS NOT HTTP\r\n\r\n");
    EXPECT_EQ(raw_status(conn.read_until_closed()), 400u);
  }
  const std::string after = fetch(app.port(), http::verb::get, "/metrics").body;
  EXPECT_EQ(metric_value(after, "xiehui_http_protocol_errors_total"), errors + 1) << after;
}

TEST_F(ServerTest, OpenApiDocumentDescribesTheRoutes) {
  RunningApp app(config());
  const HttpReply r = fetch(app.port(), http::verb::get, "/api/openapi.json");
  EXPECT_EQ(r.status, 200u);
  const boost::json::object doc = json_object(r.body);
  ASSERT_TRUE(doc.contains("openapi")) << r.body;
  const auto* get = doc.at("paths").as_object().if_contains("/healthz");
  ASSERT_NE(get, nullptr) << r.body;
  ASSERT_TRUE(get->is_object());
  const auto* op = get->as_object().if_contains("get");
  ASSERT_NE(op, nullptr) << r.body;
  ASSERT_TRUE(op->is_object());
  EXPECT_EQ(text_at(op->as_object(), "x-permission"), "public");
  for (const auto& [path, item] : doc.at("paths").as_object()) {
    for (const auto& [method, operation] : item.as_object()) {
      EXPECT_TRUE(operation.as_object().contains("x-permission")) << method << " " << path;
    }
  }
}

// ---- JSON compressed on the fly ----

// GET /test/units: a list of 100 units (several KiB of JSON); GET /test/one: a short object.
std::vector<Route> json_routes() {
  std::vector<Route> routes;
  routes.push_back(Route{http::verb::get, "/test/units", Access::public_route(),
                         [](RequestContext& ctx) {
                           boost::json::array items;
                           for (int i = 1; i <= 100; ++i) {
                             items.push_back({{"id", i},
                                              {"name", "长沙经济技术开发区"},
                                              {"member_no", "XH" + std::to_string(1000 + i)}});
                           }
                           return ctx.json(http::status::ok, {{"items", std::move(items)}});
                         },
                         "test: a long list"});
  routes.push_back(Route{http::verb::get, "/test/one", Access::public_route(),
                         [](RequestContext& ctx) {
                           return ctx.json(http::status::ok, {{"id", 1}, {"name", "园区"}});
                         },
                         "test: a short object"});
  return routes;
}

TEST_F(ServerTest, LargeJsonIsGzippedWhenTheClientAcceptsIt) {
  RunningApp app(config(), json_routes());
  const HttpReply plain = fetch(app.port(), http::verb::get, "/test/units");
  ASSERT_EQ(plain.status, 200u);
  ASSERT_GT(plain.body.size(), 1024u);
  for (const char* accept : {"gzip, deflate, br, zstd", "gzip"}) {
    SCOPED_TRACE(accept);
    const HttpReply r =
        fetch(app.port(), http::verb::get, "/test/units", {}, {{"Accept-Encoding", accept}});
    EXPECT_EQ(r.status, 200u);
    EXPECT_EQ(r.header("Content-Encoding"), "gzip");
    EXPECT_EQ(r.header("Vary"), "Accept-Encoding");
    EXPECT_EQ(r.header("Content-Type").rfind("application/json", 0), 0u);
    EXPECT_EQ(r.header("Content-Length"), std::to_string(r.body.size()));
    EXPECT_LT(r.body.size(), plain.body.size() / 3);
    const std::string json = gunzip(r.body);
    EXPECT_EQ(json, plain.body);
    EXPECT_EQ(json_object(json).at("items").as_array().size(), 100u);
  }
  // A real endpoint: the OpenAPI document.
  const HttpReply doc =
      fetch(app.port(), http::verb::get, "/api/openapi.json", {}, {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(doc.header("Content-Encoding"), "gzip");
  EXPECT_TRUE(json_object(gunzip(doc.body)).contains("openapi"));
}

TEST_F(ServerTest, JsonIsPlainWithoutGzipInAcceptEncoding) {
  RunningApp app(config(), json_routes());
  for (const Headers& headers :
       {Headers{}, Headers{{"Accept-Encoding", "identity"}}, Headers{{"Accept-Encoding", "br"}},
        Headers{{"Accept-Encoding", "gzip;q=0"}}}) {
    SCOPED_TRACE(headers.empty() ? "no Accept-Encoding" : headers.front().second);
    const HttpReply r = fetch(app.port(), http::verb::get, "/test/units", {}, headers);
    EXPECT_EQ(r.status, 200u);
    EXPECT_EQ(r.header("Content-Encoding"), "");
    EXPECT_EQ(r.header("Vary"), "Accept-Encoding");
    EXPECT_EQ(json_object(r.body).at("items").as_array().size(), 100u);
  }
}

TEST_F(ServerTest, SmallJsonIsNotCompressed) {
  RunningApp app(config(), json_routes());
  for (const char* target : {"/test/one", "/healthz", "/api/nothing"}) {
    SCOPED_TRACE(target);
    const HttpReply r =
        fetch(app.port(), http::verb::get, target, {}, {{"Accept-Encoding", "gzip, br"}});
    EXPECT_EQ(r.header("Content-Encoding"), "");
    EXPECT_LE(r.body.size(), 1024u);
    EXPECT_FALSE(json_object(r.body).empty()) << r.body;
  }
}

// ---- the catch boundary ----

TEST_F(ServerTest, HandlerExceptionIs500WithoutInternalTextAndServingContinues) {
  RunningApp app(config(), test_routes());
  Connection conn(app.port());
  conn.send_request(http::verb::get, "/test/throw");
  const HttpReply r = conn.read_response();
  EXPECT_EQ(r.status, 500u);
  const boost::json::object body = json_object(r.body);
  EXPECT_EQ(text_at(body, "code"), "internal");
  EXPECT_EQ(text_at(body, "request_id"), r.header("X-Request-Id"));
  EXPECT_EQ(r.body.find(kSecretDetail), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("x.cpp"), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("runtime_error"), std::string::npos) << r.body;
  // The same connection and new ones keep working.
  conn.send_request(http::verb::get, "/healthz");
  EXPECT_EQ(conn.read_response().status, 200u);
  EXPECT_EQ(fetch(app.port(), http::verb::get, "/healthz").status, 200u);
}

// ---- connection cap ----

TEST_F(ServerTest, ConnectionsOverTheCapAreClosed) {
  AppConfig c = config();
  c.max_connections = 2;
  RunningApp app(c);
  Connection first(app.port());
  Connection second(app.port());
  // Answers prove both connections were accepted and count against the cap.
  first.send_request(http::verb::get, "/healthz");
  EXPECT_EQ(first.read_response().status, 200u);
  second.send_request(http::verb::get, "/healthz");
  EXPECT_EQ(second.read_response().status, 200u);

  Connection third(app.port());
  third.send_request(http::verb::get, "/healthz");
  EXPECT_EQ(third.read_until_closed(), "");

  first.send_request(http::verb::get, "/healthz");
  EXPECT_EQ(first.read_response().status, 200u);
  second.send_request(http::verb::get, "/healthz");
  EXPECT_EQ(second.read_response().status, 200u);
}

// The metric of rejected connections, read over a connection from `source` that the server
// closes (so its slot is free again when this returns).
long long rejected_connections(std::uint16_t port, const char* source) {
  Connection conn(port, source);
  conn.send(head("GET /metrics HTTP/1.1", "Connection: close\r\n"));
  const std::string raw = conn.read_until_closed();
  EXPECT_EQ(raw_status(raw), 200u) << raw.substr(0, 300);
  return metric_value(raw_body(raw), "xiehui_http_connections_rejected_total");
}

// `n` connections from `source`, accepted and held idle (no request). The server accepts in
// arrival order, so a connection made after these is judged with these already counted.
std::vector<std::unique_ptr<Connection>> idle_connections(std::uint16_t port, std::size_t n,
                                                          const char* source = nullptr) {
  std::vector<std::unique_ptr<Connection>> held;
  for (std::size_t i = 0; i < n; ++i) held.push_back(std::make_unique<Connection>(port, source));
  return held;
}

// Whether a new connection from `source` is served: a request on it is answered. The server
// closes it after the answer, which frees its slot before this returns.
bool served(std::uint16_t port, const char* source = nullptr) {
  Connection conn(port, source);
  conn.send(head("GET /healthz HTTP/1.1", "Connection: close\r\n"));
  return raw_status(conn.read_until_closed()) == 200u;
}

// Idle sockets from one address must not use up the server: over the per-address cap a
// connection is closed unanswered, other clients are still served, and a slot given back is
// usable again.
TEST_F(ServerTest, ConnectionsOverThePerAddressCapAreClosed) {
  AppConfig c = config();
  c.max_connections_per_address = 3;
  RunningApp app(c);
  const long long rejected = rejected_connections(app.port(), "127.0.0.2");
  ASSERT_GE(rejected, 0);

  auto held = idle_connections(app.port(), 3);
  {
    Connection over_the_cap(app.port());
    over_the_cap.send_request(http::verb::get, "/healthz");
    EXPECT_EQ(over_the_cap.read_until_closed(), "");
  }
  EXPECT_TRUE(served(app.port(), "127.0.0.2")) << "another client was refused";
  EXPECT_EQ(rejected_connections(app.port(), "127.0.0.2"), rejected + 1);

  // One of the three finishes a request and is closed by the server: its slot is free.
  held[0]->send(head("GET /healthz HTTP/1.1", "Connection: close\r\n"));
  EXPECT_EQ(raw_status(held[0]->read_until_closed()), 200u);
  auto again = idle_connections(app.port(), 1);
  again.front()->send_request(http::verb::get, "/healthz");
  EXPECT_EQ(again.front()->read_response().status, 200u);
  // ...and only that one.
  EXPECT_FALSE(served(app.port()));
  EXPECT_EQ(rejected_connections(app.port(), "127.0.0.2"), rejected + 2);
}

// The slot of a connection closed by the header timeout is given back too.
TEST_F(ServerTest, PerAddressSlotIsGivenBackWhenTheHeaderTimeoutCloses) {
  AppConfig c = config();
  c.max_connections_per_address = 1;
  c.header_timeout = std::chrono::seconds(1);
  c.read_timeout = std::chrono::seconds(10);
  RunningApp app(c);
  {
    Connection idle(app.port());
    EXPECT_FALSE(served(app.port()));
    EXPECT_EQ(idle.read_until_closed(), "");
  }
  // Beast's tcp_stream closes the socket from its timer, and the read handler that gives the
  // slot back runs just after: a client reconnecting within that instant may still be refused.
  bool given_back = false;
  for (int attempt = 0; attempt < 50 && !given_back; ++attempt) {
    given_back = served(app.port());
    if (!given_back) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(given_back) << "the slot was not given back within a second";
}

// A reverse proxy's connections carry many clients: a trusted proxy is held only to
// max_connections.
TEST_F(ServerTest, TrustedProxyIsNotHeldToThePerAddressCap) {
  AppConfig c = config();
  c.max_connections_per_address = 1;
  c.trusted_proxies = {"127.0.0.2"};
  RunningApp app(c);
  const auto proxy = idle_connections(app.port(), 3, "127.0.0.2");
  EXPECT_TRUE(served(app.port(), "127.0.0.2"));
  const auto client = idle_connections(app.port(), 1);
  EXPECT_FALSE(served(app.port()));
}

// A dual-stack listener sees IPv4 clients as ::ffff:a.b.c.d: they count, and match
// trusted_proxies, as their IPv4 address.
TEST_F(ServerTest, IpV4ClientsOfADualStackListenerCountByTheirIpv4Address) {
  AppConfig c = config();
  c.listen = {"::", 0};
  c.max_connections_per_address = 1;
  c.trusted_proxies = {"127.0.0.2"};
  std::unique_ptr<RunningApp> app;
  try {
    app = std::make_unique<RunningApp>(c);
  } catch (const std::exception& e) {
    GTEST_SKIP() << "no IPv6 listener here: " << e.what();
  }
  const auto proxy = idle_connections(app->port(), 2, "127.0.0.2");
  EXPECT_TRUE(served(app->port(), "127.0.0.2"));
  const auto client = idle_connections(app->port(), 1, "127.0.0.3");
  EXPECT_FALSE(served(app->port(), "127.0.0.3"));
  EXPECT_TRUE(served(app->port())) << "127.0.0.1 was counted with 127.0.0.3";
}

// ---- security headers ----

// The directive `name` of a Content-Security-Policy ("script-src 'self'"), or "" when absent.
std::string csp_directive(const std::string& policy, std::string_view name) {
  std::istringstream in(policy);
  std::string directive;
  while (std::getline(in, directive, ';')) {
    const auto begin = directive.find_first_not_of(' ');
    if (begin == std::string::npos) continue;
    directive.erase(0, begin);
    if (directive.rfind(std::string(name) + " ", 0) == 0 || directive == name) return directive;
  }
  return {};
}

void expect_security_headers(const HttpReply& r, bool hsts) {
  const std::string csp = r.header("Content-Security-Policy");
  EXPECT_EQ(csp_directive(csp, "script-src"), "script-src 'self'") << csp;
  EXPECT_EQ(csp_directive(csp, "object-src"), "object-src 'none'") << csp;
  EXPECT_EQ(csp_directive(csp, "frame-ancestors"), "frame-ancestors 'none'") << csp;
  EXPECT_EQ(csp_directive(csp, "base-uri"), "base-uri 'self'") << csp;
  EXPECT_EQ(csp_directive(csp, "default-src"), "default-src 'self'") << csp;
  EXPECT_EQ(r.header("X-Frame-Options"), "DENY");
  EXPECT_EQ(r.header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(r.header("Referrer-Policy"), "same-origin");
  EXPECT_EQ(r.header("Strict-Transport-Security"),
            hsts ? "max-age=31536000; includeSubDomains" : "");
  EXPECT_EQ(r.headers.count("X-Content-Type-Options"), 1u);
}

// Every response carries them: the UI page, API answers (success and error), and requests the
// server refuses before routing.
TEST_F(ServerTest, ResponsesCarryTheSecurityHeaders) {
  RunningApp app(config());
  const HttpReply page = fetch(app.port(), http::verb::get, "/");
  EXPECT_EQ(page.status, 200u);
  EXPECT_EQ(page.header("Content-Type").rfind("text/html", 0), 0u) << page.header("Content-Type");
  SCOPED_TRACE("the UI page");
  expect_security_headers(page, false);
  for (const char* target : {"/healthz", "/api/nothing", "/api/openapi.json"}) {
    SCOPED_TRACE(target);
    expect_security_headers(fetch(app.port(), http::verb::get, target), false);
  }
  Connection garbage(app.port());
  garbage.send("THIS IS NOT HTTP\r\n\r\n");
  const HttpReply refused = garbage.read_response();
  EXPECT_EQ(refused.status, 400u);
  SCOPED_TRACE("a request refused by the server");
  expect_security_headers(refused, false);
}

// HSTS only when the site is served over HTTPS, which secure_cookies says.
TEST_F(ServerTest, HstsIsSentOnlyWithSecureCookies) {
  AppConfig c = config();
  c.secure_cookies = true;
  RunningApp app(c);
  for (const char* target : {"/", "/healthz", "/api/nothing"}) {
    SCOPED_TRACE(target);
    expect_security_headers(fetch(app.port(), http::verb::get, target), true);
  }
}

// ---- graceful shutdown ----

// Lets a test hold a request inside its handler.
struct Gate {
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::once_flag opened;

  void open() {
    std::call_once(opened, [this] { release.set_value(); });
  }
};

// Opens the gate on scope exit, so a failing test never leaves a worker blocked.
struct OpenOnExit {
  Gate& gate;
  ~OpenOnExit() { gate.open(); }
};

Route gated_route(Gate& gate) {
  return Route{http::verb::get, "/test/slow", Access::public_route(),
               [&gate](RequestContext& ctx) {
                 gate.entered.set_value();
                 gate.released.wait();
                 return ctx.json(http::status::ok, {{"finished", true}});
               },
               "test: waits until released"};
}

// Once the server has stopped accepting, a new connection is refused (or, should the kernel
// still complete it, closed without an answer).
void expect_refused_or_closed(std::uint16_t port) {
  std::unique_ptr<Connection> conn;
  try {
    conn = std::make_unique<Connection>(port);
  } catch (const std::system_error& e) {
    EXPECT_EQ(e.code().value(), ECONNREFUSED) << e.what();
    return;
  }
  conn->send(head("GET /healthz HTTP/1.1", ""));
  EXPECT_EQ(conn->read_until_closed(), "") << "a connection made during shutdown was served";
}

// A connection the server has accepted and holds idle, waiting for its first request. The
// server accepts connections one at a time in arrival order, so once a later connection has
// been answered this one is registered. (A connection that has just been answered would not
// do: the client can read the response before the server has finished its write.)
std::unique_ptr<Connection> idle_connection(std::uint16_t port) {
  auto conn = std::make_unique<Connection>(port);
  EXPECT_EQ(fetch(port, http::verb::get, "/healthz").status, 200u);
  return conn;
}

// Runs RunningApp::stop() on its own thread (it blocks until the drain is over).
class Stopper {
 public:
  explicit Stopper(RunningApp& app)
      : stopped_(returned_.get_future()), thread_([&app, this] {
          app.stop();
          returned_.set_value();
        }) {}
  /// Not a timing check: whether stop() has returned at this point.
  bool returned() const {
    return stopped_.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
  }
  /// Waits for stop() to return (bounded); false when it did not.
  bool wait() const { return stopped_.wait_for(kSafetyBound) == std::future_status::ready; }

 private:
  std::promise<void> returned_;
  std::future<void> stopped_;
  std::jthread thread_;
};

TEST_F(ServerTest, GracefulStopFinishesTheInFlightRequest) {
  Gate gate;
  std::vector<Route> routes;
  routes.push_back(gated_route(gate));
  RunningApp app(config(), std::move(routes));
  std::unique_ptr<Stopper> stopper;
  const OpenOnExit open_on_exit{gate};  // destroyed first: releases the handler

  const auto idle = idle_connection(app.port());
  Connection in_flight(app.port());
  in_flight.send_request(http::verb::get, "/test/slow");
  ASSERT_EQ(gate.entered.get_future().wait_for(kSafetyBound), std::future_status::ready)
      << "the handler was never entered";

  stopper = std::make_unique<Stopper>(app);
  // The idle connection is closed by the stop: from then on the server no longer accepts.
  EXPECT_EQ(idle->read_until_closed(), "");
  expect_refused_or_closed(app.port());
  EXPECT_FALSE(stopper->returned()) << "stop() returned while a request was in flight";

  gate.open();
  const HttpReply r = in_flight.read_response();
  EXPECT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(json_object(r.body)["finished"], boost::json::value(true)) << r.body;
  EXPECT_EQ(in_flight.read_until_closed(), "") << "the connection stayed open after the drain";
  EXPECT_TRUE(stopper->wait()) << "stop() did not return";
}

TEST_F(ServerTest, StopClosesIdleConnections) {
  RunningApp app(config());
  const auto idle = idle_connection(app.port());
  Stopper stopper(app);
  EXPECT_EQ(idle->read_until_closed(), "");
  EXPECT_TRUE(stopper.wait());
}

TEST_F(ServerTest, StopGivesUpOnAStuckRequestAfterTheGracePeriod) {
  Gate gate;
  std::vector<Route> routes;
  routes.push_back(gated_route(gate));
  AppConfig c = config();
  c.shutdown_grace = std::chrono::seconds(1);
  RunningApp app(c, std::move(routes));
  std::unique_ptr<Stopper> stopper;
  const OpenOnExit open_on_exit{gate};

  Connection stuck(app.port());
  stuck.send_request(http::verb::get, "/test/slow");
  ASSERT_EQ(gate.entered.get_future().wait_for(kSafetyBound), std::future_status::ready);
  stopper = std::make_unique<Stopper>(app);
  // The handler is never released: stop() returns once the grace period is over, and the
  // connection it gave up on is closed rather than left open without an answer.
  EXPECT_TRUE(stopper->wait()) << "stop() waited beyond the grace period";
  EXPECT_EQ(stuck.read_until_closed(), "");
}

// GET /test/big: a response far larger than the socket buffers, so its write is still in
// progress until the client reads it.
constexpr std::size_t kBigResponse = 64 * kMiB;

Route big_route() {
  return Route{http::verb::get, "/test/big", Access::public_route(),
               [](RequestContext& ctx) {
                 web::Response res{http::status::ok, ctx.request.version()};
                 res.set(http::field::content_type, "application/octet-stream");
                 res.body().assign(kBigResponse, 'b');
                 return res;
               },
               "test: a large response"};
}

// A keep-alive response whose write began before the stop must not return its connection to
// the idle state: the server closes it once the response is out, instead of holding it open.
TEST_F(ServerTest, StopClosesAConnectionWhoseResponseWasBeingWritten) {
  std::vector<Route> routes;
  routes.push_back(big_route());
  RunningApp app(config(), std::move(routes));
  const auto idle = idle_connection(app.port());

  Connection busy(app.port());
  busy.send_request(http::verb::get, "/test/big");
  // The first bytes have arrived: the write is under way and cannot finish until we read.
  ASSERT_TRUE(busy.wait_for_data());

  Stopper stopper(app);
  EXPECT_EQ(idle->read_until_closed(), "");  // the stop has reached the sessions

  const HttpReply r = busy.read_response();
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.body.size(), kBigResponse);
  EXPECT_EQ(busy.read_until_closed(), "") << "the connection was kept open after the stop";
  EXPECT_TRUE(stopper.wait());
}

}  // namespace
}  // namespace xiehui::testing
