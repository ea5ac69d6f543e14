#pragma once
// The HTTP/1.1 server: keep-alive sessions with read deadlines, header and body limits,
// connection caps (in all and per client address), strict message framing, the browser security
// headers on every response and graceful shutdown. Each I/O thread runs its own io_context with
// its own acceptor on the shared port (SO_REUSEPORT: the kernel spreads connections), so a
// connection lives on one thread and needs no strand. Requests are handled on worker pools,
// because SOCI calls block, except routes that never block (RequestHandler::runs_inline), which
// are answered on the I/O thread without the two thread hops. Reads (GET, HEAD) have a pool as
// large as the database's; other methods a larger one, because a write on SQLite waits for the
// group commit without holding a session, and the more wait together, the fewer fsyncs.

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/error.hpp"
#include "web/http.hpp"
#include "web/metrics.hpp"

namespace xiehui::web {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::size_t io_threads = 2;
  std::size_t worker_threads = 8;  ///< GET and HEAD
  std::size_t writer_threads = 8;  ///< every other method
  /// Open connections in all; a connection over the cap is closed at once, without an answer.
  std::size_t max_connections = 10000;
  /// Open connections from one client: an IPv4 address (also as ::ffff:a.b.c.d on a
  /// dual-stack socket) or an IPv6 /64. Over the cap a connection is closed at once.
  std::size_t max_connections_per_address = 256;
  /// Peers not held to max_connections_per_address: reverse proxies (nginx), whose
  /// connections carry many clients. IP addresses; IPv4-mapped IPv6 peers match their IPv4.
  std::vector<std::string> uncapped_addresses;
  std::size_t header_limit = 16 * 1024;
  /// A connection must deliver a complete request header within this time (or read_timeout,
  /// when shorter): on a new connection, and between requests on a keep-alive one.
  std::chrono::milliseconds header_timeout{10'000};
  /// The body of a request, once its header is in, must arrive within this time; a response
  /// must be written within it.
  std::chrono::milliseconds read_timeout{30'000};
  std::chrono::milliseconds shutdown_grace{10'000};
  /// Send Strict-Transport-Security (only when the site is served over HTTPS).
  bool hsts = false;
};

class Session;

class Server {
 public:
  Server(ServerOptions options, RequestHandler& handler, Metrics& metrics);
  ~Server();

  /// Binds and listens; returns the real endpoint (port 0 gives a free port).
  Result<boost::asio::ip::tcp::endpoint> listen();

  /// Serves until stop() (or SIGINT/SIGTERM after handle_signals()) and the drain complete.
  void run();

  /// Stops SIGINT/SIGTERM from killing the process: they start a graceful stop instead.
  void handle_signals();

  /// Graceful stop, callable from any thread: stop accepting, close idle connections, let
  /// in-flight requests finish for up to shutdown_grace, then make run() return.
  void stop();

 private:
  friend class Session;

  struct IoThread {
    boost::asio::io_context ioc{1};  // run by one thread only
    boost::asio::ip::tcp::acceptor acceptor{ioc};
    // Keeps run() going while this thread's only connections wait for the worker pool (no
    // operation of theirs is pending here then); finish_stop() ends it.
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> busy{
        ioc.get_executor()};
  };
  static std::vector<std::unique_ptr<IoThread>> make_io_threads(std::size_t n);

  void accept(IoThread& io);
  void on_accept(IoThread& io, boost::system::error_code ec, boost::asio::ip::tcp::socket socket);
  void begin_stop();
  void finish_stop();
  /// Registers `s` unless a cap is reached or the server is stopping; `address` is its
  /// per-address key (empty: uncapped).
  bool add(const std::shared_ptr<Session>& s, const std::string& address);
  /// Gives back the session's per-address slot once its socket is closed (idempotent).
  void release_address(Session* s);
  void remove(Session* s);
  std::string address_key(const boost::asio::ip::tcp::socket& socket) const;

  ServerOptions options_;
  RequestHandler& handler_;
  Metrics& metrics_;
  // Declared before the io_context: sessions destroyed with its queued handlers still
  // deregister here.
  std::mutex mutex_;
  struct Registered {
    std::weak_ptr<Session> session;
    std::string address;  // the per-address key holding a slot; empty once given back
  };
  std::unordered_map<Session*, Registered> sessions_;         // guarded by mutex_
  std::unordered_map<std::string, std::size_t> per_address_;  // guarded by mutex_
  std::vector<boost::asio::ip::address> uncapped_;
  bool finished_ = false;  // guarded by mutex_
  // Set under mutex_ as well, so a connection is either registered before a stop collects the
  // sessions or refused after it, whichever I/O thread accepted it.
  std::atomic<bool> stopping_{false};
  std::vector<std::unique_ptr<IoThread>> io_;  // io_[0] also runs signals and the grace timer
  boost::asio::thread_pool workers_;
  boost::asio::thread_pool writers_;
  boost::asio::signal_set signals_;
  boost::asio::steady_timer grace_timer_;
};

}  // namespace xiehui::web
