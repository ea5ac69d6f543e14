#pragma once
// The HTTP/1.1 server: an Asio acceptor and keep-alive sessions with read deadlines, header and
// body limits, a connection cap, strict message framing and graceful shutdown. Requests are
// handled on a worker pool, never on the I/O threads, because SOCI calls block.

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

#include "core/error.hpp"
#include "web/http.hpp"
#include "web/metrics.hpp"

namespace xiehui::web {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::size_t io_threads = 2;
  std::size_t worker_threads = 8;
  std::size_t max_connections = 10000;
  std::size_t header_limit = 16 * 1024;
  std::chrono::milliseconds read_timeout{30'000};
  std::chrono::milliseconds shutdown_grace{10'000};
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

  void accept();
  void on_accept(boost::system::error_code ec, boost::asio::ip::tcp::socket socket);
  void begin_stop();
  void finish_stop();
  void add(const std::shared_ptr<Session>& s);
  void remove(Session* s);

  ServerOptions options_;
  RequestHandler& handler_;
  Metrics& metrics_;
  // Declared before the io_context: sessions destroyed with its queued handlers still
  // deregister here.
  std::mutex mutex_;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions_;
  bool finished_ = false;  // guarded by mutex_
  std::atomic<bool> stopping_{false};
  boost::asio::io_context ioc_;
  boost::asio::thread_pool workers_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::signal_set signals_;
  boost::asio::steady_timer grace_timer_;
};

}  // namespace xiehui::web
