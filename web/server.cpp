#include "web/server.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <array>
#include <limits>
#include <optional>
#include <thread>

#include "web/client_address.hpp"
#include "web/compression.hpp"
#include "web/error_mapping.hpp"
#include "web/framing.hpp"
#include "web/security_headers.hpp"

namespace xiehui::web {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

bool iequals(std::string_view a, std::string_view b) { return beast::iequals(a, b); }

// "::ffff:1.2.3.4" (how a dual-stack socket reports an IPv4 client) as 1.2.3.4.
asio::ip::address plain(const asio::ip::address& a) {
  if (a.is_v6() && a.to_v6().is_v4_mapped()) {
    return asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6());
  }
  return a;
}

// Gives back a registered session's per-address slot; the caller holds the server's mutex.
void release_slot(std::string& address, std::unordered_map<std::string, std::size_t>& counts) {
  if (address.empty()) return;
  const auto it = counts.find(address);
  if (it != counts.end() && --it->second == 0) counts.erase(it);
  address.clear();
}

}  // namespace

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, Server& server) : stream_(std::move(socket)), server_(server) {
    error_code ec;
    const auto remote = stream_.socket().remote_endpoint(ec);
    if (!ec) peer_.address = remote.address().to_string();
  }

  ~Session() { server_.remove(this); }

  void start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read_header(); });
  }

  /// Graceful stop: an idle connection closes now, a busy one after its response.
  void stop() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->state_ == State::reading) self->close();
    });
  }

  /// Closes the socket at once; only when no I/O thread runs (after the grace period).
  void abandon() {
    error_code ec;
    stream_.socket().close(ec);
  }

 private:
  enum class State { reading, handling, writing, closed };

  void read_header() {
    state_ = State::reading;
    head_ = false;
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_.options_.header_limit));
    // The route's limit is applied once the request line is known (on_header).
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    // A connection that has not sent a whole header yet (new, or idle between requests) holds
    // a slot for a short time only; the body gets read_timeout from on_header.
    stream_.expires_after(std::min(server_.options_.header_timeout, server_.options_.read_timeout));
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::on_header, shared_from_this()));
  }

  void on_header(error_code ec, std::size_t) {
    if (ec) return on_read_error(ec);
    const Request& req = parser_->get();
    if (auto problem = framing_problem(req)) return reject(*problem);
    // No body (most GETs): nothing to limit, and no route lookup just for that.
    if (parser_->is_done()) return dispatch_request();
    const std::size_t limit = server_.handler_.body_limit(req.method(), req.target());
    if (const auto length = parser_->content_length(); length && *length > limit) {
      return reject(too_large(limit));
    }
    parser_->body_limit(limit);  // bounds chunked bodies too
    stream_.expires_after(server_.options_.read_timeout);
    if (iequals(req[http::field::expect], "100-continue")) {
      auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_,
                                                                     req.version());
      http::async_write(stream_, *cont,
                        [self = shared_from_this(), cont](error_code wec, std::size_t) {
                          if (wec) return self->close();
                          self->read_body();
                        });
      return;
    }
    read_body();
  }

  void read_body() {
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::on_body, shared_from_this()));
  }

  void on_body(error_code ec, std::size_t) {
    if (ec) return on_read_error(ec);
    dispatch_request();
  }

  void on_read_error(error_code ec) {
    if (ec == http::error::header_limit) {
      return reject(make_error(ErrorCode::headers_too_large,
                               {"请求头过大", "request headers are too large"}));
    }
    if (ec == http::error::body_limit) return reject(too_large(0));
    const bool protocol =
        ec.category() == http::make_error_code(http::error::bad_method).category();
    if (protocol && ec != http::error::end_of_stream && ec != http::error::partial_message) {
      return reject(make_error(ErrorCode::invalid_argument,
                               {"HTTP 请求格式错误", "malformed HTTP request: " + ec.message()}));
    }
    close();  // end of stream, timeout, reset, or shutdown
  }

  static Error too_large(std::size_t limit) {
    const std::string n = limit ? std::to_string(limit) : std::string("the limit");
    return make_error(
        ErrorCode::payload_too_large,
        {"请求体过大（上限 " + n + " 字节）", "request body too large (limit " + n + " bytes)"});
  }

  // Answers a request that cannot be parsed or accepted, then closes: after a framing error the
  // rest of the stream cannot be trusted.
  void reject(const Error& error) {
    server_.metrics_.protocol_errors.fetch_add(1, std::memory_order_relaxed);
    const bool have_header = parser_ && parser_->is_header_done();
    const Lang lang = have_header ? language_of(parser_->get()) : Lang::zh;
    const std::string request_id =
        request_id_for(have_header ? std::string_view(parser_->get()["X-Request-Id"]) : "");
    Response res = error_response(error, lang, request_id);
    res.set("X-Request-Id", request_id);
    spdlog::info("{} {} {} refused by the server {}",
                 have_header ? std::string(parser_->get().method_string()) : std::string("-"),
                 have_header ? std::string(parser_->get().target().substr(0, 200)) : "-",
                 res.result_int(), request_id);
    force_close_ = true;
    write(std::move(res));
  }

  void dispatch_request() {
    state_ = State::handling;
    request_ = parser_->release();
    keep_alive_ = request_.keep_alive();
    head_ = request_.method() == http::verb::head;
    if (server_.handler_.runs_inline(request_.method(), request_.target())) {
      return write(handle_request());
    }
    const bool reads = head_ || request_.method() == http::verb::get;
    auto& pool = reads ? server_.workers_ : server_.writers_;
    asio::post(pool, [self = shared_from_this()]() mutable {
      Response res = self->handle_request();
      auto executor = self->stream_.get_executor();
      asio::post(executor, [self = std::move(self), res = std::move(res)]() mutable {
        self->write(std::move(res));
      });
    });
  }

  // Runs the handler on request_ and compresses large answers (on a worker thread, unless the
  // route runs inline).
  Response handle_request() {
    const std::string accept_encoding(request_[http::field::accept_encoding]);
    Response res = server_.handler_.handle(std::move(request_), peer_);
    request_ = {};
    // (Answers refused in reject() are short errors: nothing there to compress.)
    try {
      compress_response(res, accept_encoding, head_);
    } catch (const std::exception& e) {
      spdlog::warn("response sent uncompressed: {}", e.what());
    }
    return res;
  }

  void write(Response res) {
    state_ = State::writing;
    const bool keep = keep_alive_ && !force_close_ && !server_.stopping_.load();
    res.keep_alive(keep);
    if (!head_) res.prepare_payload();
    response_ = std::move(res);
    wire_header_ = wire_header(response_, server_.options_.hsts);
    const std::array<asio::const_buffer, 2> buffers{
        asio::buffer(wire_header_), head_ ? asio::const_buffer() : asio::buffer(response_.body())};
    stream_.expires_after(server_.options_.read_timeout);
    asio::async_write(stream_, buffers,
                      [self = shared_from_this(), keep](error_code ec, std::size_t) {
                        self->response_ = {};
                        self->wire_header_ = {};
                        // A stop that began while this response was written closes it too.
                        if (ec || !keep || self->server_.stopping_.load()) return self->close();
                        self->read_header();
                      });
  }

  void close() {
    state_ = State::closed;
    // Before the socket closes: a client that sees the close may connect again at once.
    server_.release_address(this);
    error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  Request request_;          // the request being handled (one at a time per connection)
  Response response_;        // the response being written
  std::string wire_header_;  // its status line and header block
  Server& server_;
  Peer peer_;
  State state_ = State::reading;
  bool keep_alive_ = true;
  bool head_ = false;
  bool force_close_ = false;
};

std::vector<std::unique_ptr<Server::IoThread>> Server::make_io_threads(std::size_t n) {
  std::vector<std::unique_ptr<IoThread>> out;
  for (std::size_t i = 0; i < std::max<std::size_t>(n, 1); ++i) {
    out.push_back(std::make_unique<IoThread>());
  }
  return out;
}

Server::Server(ServerOptions options, RequestHandler& handler, Metrics& metrics)
    : options_(std::move(options)),
      handler_(handler),
      metrics_(metrics),
      io_(make_io_threads(options_.io_threads)),
      workers_(options_.worker_threads),
      writers_(options_.writer_threads),
      signals_(io_.front()->ioc),
      grace_timer_(io_.front()->ioc) {
  for (const std::string& text : options_.uncapped_addresses) {
    error_code ec;
    const auto address = asio::ip::make_address(text, ec);
    if (ec) {
      spdlog::warn("not an IP address, ignored for the per-address connection cap: {}", text);
    } else {
      uncapped_.push_back(plain(address));
    }
  }
}

Server::~Server() {
  stop();
  workers_.join();
  writers_.join();
}

// Every I/O thread its own acceptor on the one port: the first binds (port 0 picks a free
// port), the others join it through SO_REUSEPORT.
Result<tcp::endpoint> Server::listen() {
  error_code ec;
  const auto address = asio::ip::make_address(options_.host, ec);
  if (ec) {
    return std::unexpected(make_error(
        ErrorCode::invalid_argument,
        {"无效的监听地址：" + options_.host, "invalid listen address: " + options_.host}));
  }
  tcp::endpoint endpoint{address, options_.port};
  const auto cannot_listen = [&](const error_code& why) {
    const std::string where = options_.host + ":" + std::to_string(options_.port);
    return std::unexpected(
        make_error(ErrorCode::unavailable, {"无法监听 " + where + "：" + why.message(),
                                            "cannot listen on " + where + ": " + why.message()}));
  };
  // SO_REUSEPORT would let a second server of the same user join this port unnoticed and take
  // half its connections. A socket without it cannot bind a port anyone listens on: it finds a
  // port in use (and resolves port 0) before our acceptors share it.
  {
    tcp::acceptor probe(io_.front()->ioc);
    probe.open(endpoint.protocol(), ec);
    if (!ec) probe.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) probe.bind(endpoint, ec);
    if (!ec) endpoint = probe.local_endpoint(ec);
    if (ec) return cannot_listen(ec);
  }
  for (auto& io : io_) {
    auto& acceptor = io->acceptor;
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) {
      acceptor.set_option(asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>(true), ec);
    }
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return cannot_listen(ec);
  }
  return endpoint;
}

void Server::handle_signals() {
  signals_.add(SIGINT);
  signals_.add(SIGTERM);
  signals_.async_wait([this](error_code ec, int signo) {
    if (ec) return;
    spdlog::info("signal {} received: finishing in-flight requests", signo);
    begin_stop();
  });
}

void Server::run() {
  for (auto& io : io_) accept(*io);
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < io_.size(); ++i) {
    threads.emplace_back([this, i] { io_[i]->ioc.run(); });
  }
  io_.front()->ioc.run();
  for (auto& t : threads) t.join();
  // Connections still open here outlived the grace period: no I/O thread runs any more, so
  // closing their sockets from this thread is safe.
  std::vector<std::shared_ptr<Session>> left;
  {
    std::lock_guard lock(mutex_);
    for (auto& [ptr, registered] : sessions_) {
      if (auto s = registered.session.lock()) left.push_back(std::move(s));
    }
  }
  for (auto& s : left) s->abandon();
}

void Server::stop() {
  asio::post(io_.front()->ioc, [this] { begin_stop(); });
}

void Server::accept(IoThread& io) {
  io.acceptor.async_accept(io.ioc, [this, &io](error_code ec, tcp::socket socket) {
    on_accept(io, ec, std::move(socket));
  });
}

void Server::on_accept(IoThread& io, error_code ec, tcp::socket socket) {
  if (ec == asio::error::operation_aborted || stopping_) return;
  if (ec) {
    spdlog::warn("accept failed: {}", ec.message());
  } else {
    const std::string address = address_key(socket);
    auto session = std::make_shared<Session>(std::move(socket), *this);
    if (add(session, address)) {
      session->start();
    } else {
      metrics_.rejected_connections.fetch_add(1, std::memory_order_relaxed);
      session->abandon();  // never registered: its destructor gives nothing back
    }
  }
  accept(io);
}

// The per-address key: an IPv4 address, an IPv6 /64 (one subscriber's network, whose hosts
// choose their own interface ids, so a cap per exact IPv6 address would cap nothing). Empty for
// an uncapped peer (a trusted proxy) and for a socket already reset.
std::string Server::address_key(const tcp::socket& socket) const {
  error_code ec;
  const auto endpoint = socket.remote_endpoint(ec);
  if (ec) return {};
  const auto address = plain(endpoint.address());
  if (std::ranges::find(uncapped_, address) != uncapped_.end()) return {};
  return rate_limit_key(address.to_string());
}

bool Server::add(const std::shared_ptr<Session>& s, const std::string& address) {
  std::lock_guard lock(mutex_);
  if (stopping_ || sessions_.size() >= options_.max_connections) return false;
  if (!address.empty()) {
    const auto it = per_address_.find(address);
    if (it != per_address_.end() && it->second >= options_.max_connections_per_address) {
      return false;
    }
    ++per_address_[address];
  }
  sessions_.emplace(s.get(), Registered{s, address});
  metrics_.open_connections.fetch_add(1, std::memory_order_relaxed);
  return true;
}

void Server::release_address(Session* s) {
  std::lock_guard lock(mutex_);
  const auto it = sessions_.find(s);
  if (it != sessions_.end()) release_slot(it->second.address, per_address_);
}

void Server::remove(Session* s) {
  bool drained = false;
  {
    std::lock_guard lock(mutex_);
    const auto it = sessions_.find(s);
    if (it == sessions_.end()) return;
    release_slot(it->second.address, per_address_);
    sessions_.erase(it);
    metrics_.open_connections.fetch_sub(1, std::memory_order_relaxed);
    drained = stopping_ && sessions_.empty();
  }
  if (drained) asio::post(io_.front()->ioc, [this] { finish_stop(); });
}

// Runs on io_[0]. Each acceptor is closed on its own thread (an acceptor is not thread-safe).
void Server::begin_stop() {
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard lock(mutex_);
    if (stopping_.exchange(true)) return;
    for (auto& [ptr, registered] : sessions_) {
      if (auto s = registered.session.lock()) live.push_back(std::move(s));
    }
  }
  for (auto& io : io_) {
    asio::post(io->ioc, [&acceptor = io->acceptor] {
      error_code ec;
      acceptor.close(ec);
    });
  }
  error_code ec;
  signals_.cancel(ec);
  if (live.empty()) {
    asio::post(io_.front()->ioc, [this] { finish_stop(); });
    return;
  }
  for (auto& s : live) s->stop();
  grace_timer_.expires_after(options_.shutdown_grace);
  grace_timer_.async_wait([this](error_code wec) {
    if (wec) return;
    spdlog::warn("shutdown grace period over: abandoning the remaining connections");
    finish_stop();
  });
}

void Server::finish_stop() {
  {
    std::lock_guard lock(mutex_);
    if (finished_) return;
    finished_ = true;
  }
  grace_timer_.cancel();
  for (auto& io : io_) {
    io->busy.reset();
    io->ioc.stop();
  }
}

}  // namespace xiehui::web
