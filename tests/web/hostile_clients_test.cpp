// Clients that try to tie the server up or confuse its framing: a slowloris sending its header
// a byte a second, bodies trickled in, thousands of idle connections, and request-smuggling
// shapes. Each time the server keeps answering everybody else, on inline routes (/healthz) and on
// the worker pool (/readyz) alike, and closes the slow ones within their deadline.

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/http_client.hpp"
#include "tests/support/running_app.hpp"
#include "tests/support/test_database.hpp"

namespace xiehui::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

// A plain blocking socket connected to the server (no reads: an idle or slow client).
int connect_to(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Whether the server has closed `fd` (end of stream or reset) within `bound`.
bool closed_within(int fd, milliseconds bound) {
  const auto until = Clock::now() + bound;
  char buf[512];
  while (Clock::now() < until) {
    pollfd p{fd, POLLIN, 0};
    const auto left = std::chrono::duration_cast<milliseconds>(until - Clock::now()).count();
    if (::poll(&p, 1, static_cast<int>(std::max<long>(left, 1))) <= 0) continue;
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return true;  // closed (0) or reset (-1)
  }
  return false;
}

// Requests by a well-behaved client while the hostile ones work: all must be answered.
struct Bystander {
  explicit Bystander(std::uint16_t port) : port_(port) {
    thread_ = std::thread([this] {
      while (!stop_) {
        for (const char* path : {"/healthz", "/readyz"}) {
          const auto started = Clock::now();
          const HttpReply r = http_request(port_, http::verb::get, path);
          ++(r.status == 200u ? answered_ : failed_);
          slowest_ms_ = std::max<long>(
              slowest_ms_,
              std::chrono::duration_cast<milliseconds>(Clock::now() - started).count());
        }
        std::this_thread::sleep_for(milliseconds(50));
      }
    });
  }
  ~Bystander() { finish(); }
  void finish() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }

  std::uint16_t port_;
  std::atomic<bool> stop_{false};
  std::atomic<int> answered_{0}, failed_{0};
  std::atomic<long> slowest_ms_{0};
  std::thread thread_;
};

class HostileClientsTest : public ::testing::Test {
 protected:
  AppConfig config() const {
    AppConfig c = test_config(db_.connection_string());
    c.header_timeout = seconds(2);
    c.read_timeout = seconds(3);
    // Every hostile connection here comes from 127.0.0.1.
    c.max_connections_per_address = 20000;
    return c;
  }
  TestDatabase db_{"sqlite"};
};

TEST_F(HostileClientsTest, SlowlorisAtAByteASecondIsClosedWithinTheHeaderTimeout) {
  RunningApp app(config());
  Bystander bystander(app.port());
  const std::string header = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: aaaaaaaaaa";
  std::vector<int> slow;
  for (int i = 0; i < 50; ++i) slow.push_back(connect_to(app.port()));
  const auto started = Clock::now();
  std::vector<bool> closed(slow.size(), false);
  // One byte a second on every connection, until the server has closed them all.
  for (std::size_t at = 0; at < header.size() && Clock::now() - started < seconds(10); ++at) {
    bool all_closed = true;
    for (std::size_t i = 0; i < slow.size(); ++i) {
      if (closed[i]) continue;
      if (::send(slow[i], &header[at], 1, MSG_NOSIGNAL) != 1 ||
          closed_within(slow[i], milliseconds(0))) {
        closed[i] = true;
      } else {
        all_closed = false;
      }
    }
    if (all_closed) break;
    std::this_thread::sleep_for(seconds(1));
  }
  for (std::size_t i = 0; i < slow.size(); ++i) {
    EXPECT_TRUE(closed[i] || closed_within(slow[i], seconds(2))) << "connection " << i;
    ::close(slow[i]);
  }
  // Header timeout 2 s, plus the one-second steps of this loop.
  EXPECT_LT(Clock::now() - started, seconds(5));
  bystander.finish();
  EXPECT_EQ(bystander.failed_, 0);
  EXPECT_GT(bystander.answered_, 10);
}

TEST_F(HostileClientsTest, TrickledBodiesAreClosedAtTheReadDeadlineWhileOthersAreServed) {
  RunningApp app(config());
  Bystander bystander(app.port());
  std::vector<int> slow;
  for (int i = 0; i < 50; ++i) {
    const int fd = connect_to(app.port());
    const std::string head =
        "POST /api/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        "Content-Length: 1000\r\n\r\n{";
    ASSERT_EQ(::send(fd, head.data(), head.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(head.size()));
    slow.push_back(fd);
  }
  const auto started = Clock::now();
  // A byte every half second each: far too slow for 1000 bytes in the 3-second read timeout.
  while (Clock::now() - started < seconds(4)) {
    for (int fd : slow) (void)::send(fd, " ", 1, MSG_NOSIGNAL);
    std::this_thread::sleep_for(milliseconds(500));
  }
  for (int fd : slow) {
    EXPECT_TRUE(closed_within(fd, seconds(3)));
    ::close(fd);
  }
  bystander.finish();
  EXPECT_EQ(bystander.failed_, 0);
  EXPECT_GT(bystander.answered_, 10);
}

TEST_F(HostileClientsTest, ThousandsOfIdleConnectionsNeitherBlockOthersNorStayOpen) {
  // Both ends of every connection live in this process.
  rlimit files{};
  ::getrlimit(RLIMIT_NOFILE, &files);
  files.rlim_cur = files.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &files);
  const int wanted = 3000;
  if (files.rlim_cur < 2 * wanted + 200) {
    GTEST_SKIP() << "open-file limit " << files.rlim_cur << " is below " << 2 * wanted + 200;
  }
  RunningApp app(config());
  std::vector<int> idle;
  for (int i = 0; i < wanted; ++i) {
    const int fd = connect_to(app.port());
    ASSERT_GE(fd, 0) << "connection " << i;
    idle.push_back(fd);
  }
  const auto opened = Clock::now();
  // With all of them open, a new client is answered at once, inline and by a worker.
  EXPECT_EQ(http_request(app.port(), http::verb::get, "/healthz").status, 200u);
  EXPECT_EQ(http_request(app.port(), http::verb::get, "/readyz").status, 200u);
  int closed = 0;
  for (int fd : idle) {
    if (closed_within(fd, seconds(5))) ++closed;
    ::close(fd);
  }
  EXPECT_EQ(closed, wanted) << "idle connections outlived the header timeout";
  EXPECT_LT(Clock::now() - opened, seconds(8));
  EXPECT_EQ(http_request(app.port(), http::verb::get, "/healthz").status, 200u);
}

// Shapes that make two parsers disagree about where a request ends. Each is refused with one
// answer and a closed connection: the request hidden behind it is never answered.
TEST_F(HostileClientsTest, SmugglingShapesGetOneRefusalAndNeverASecondAnswer) {
  RunningApp app(config());
  const std::string hidden = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  const std::string post = "POST /api/session HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  const std::vector<std::string> shapes = {
      post + "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n",
      post + "Transfer-Encoding: chunked\r\n\r\n+5\r\nhello\r\n0\r\n\r\n",
      post + "Transfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n",
      post + "Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\nhello\r\n0\r\n\r\n",
      post + "Transfer-Encoding: chunked\r\n\r\n5\nhello\n0\n\n",
      post + "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n",
      post + "Transfer-Encoding: chunked\r\nContent-Length: 0\r\n\r\n0\r\n\r\n",
      post + "Content-Length: 5\r\n 6\r\n\r\nhello",
      post + "Content-Length: 5\r\nContent-Length: 0\r\n\r\nhello",
      post + "Content-Length: +5\r\n\r\nhello",
      "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nTransfer-Encoding: "
      "chunked\r\n\r\n0\r\n\r\n",
  };
  for (const std::string& shape : shapes) {
    SCOPED_TRACE(shape);
    RawConnection conn(app.port());
    conn.send(shape + hidden);
    const std::string raw = conn.read_until_closed();
    ASSERT_GE(raw.size(), 12u);
    const std::string status = raw.substr(9, 3);
    EXPECT_TRUE(status == "400" || status == "413") << raw.substr(0, 200);
    std::size_t answers = 0;
    for (auto at = raw.find("HTTP/1.1 "); at != std::string::npos;
         at = raw.find("HTTP/1.1 ", at + 1)) {
      ++answers;
    }
    EXPECT_EQ(answers, 1u) << "the hidden request was answered:\n" << raw;
  }
  EXPECT_EQ(http_request(app.port(), http::verb::get, "/healthz").status, 200u);
}

// Pipelined requests that mix routes answered inline with routes answered by a worker keep
// their order.
TEST_F(HostileClientsTest, PipelinedInlineAndWorkerRequestsAreAnsweredInOrder) {
  RunningApp app(config());
  RawConnection conn(app.port());
  std::string batch;
  for (int i = 0; i < 30; ++i) {
    static constexpr std::string_view kPaths[] = {"/readyz", "/healthz", "/api/nothing"};
    batch += "GET ";
    batch.append(kPaths[i % 3]);
    batch += " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Request-Id: r";
    batch += std::to_string(i);
    batch += "\r\n\r\n";
  }
  conn.send(batch);
  for (int i = 0; i < 30; ++i) {
    const HttpReply r = conn.read_response();
    std::string id = "r";
    id += std::to_string(i);
    EXPECT_EQ(r.header("X-Request-Id"), id);
    EXPECT_EQ(r.status, i % 3 == 2 ? 404u : 200u) << i;
  }
}

}  // namespace
}  // namespace xiehui::testing
