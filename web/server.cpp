#include "web/server.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <limits>
#include <optional>
#include <thread>

#include "web/client_address.hpp"
#include "web/compression.hpp"
#include "web/error_mapping.hpp"
#include "web/security_headers.hpp"

namespace xiehui::web {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

bool iequals(std::string_view a, std::string_view b) { return beast::iequals(a, b); }

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Our Beast predates upstream's framing fixes: refuse what could smuggle a second request.
std::optional<Error> framing_problem(const Request& req) {
  const auto te = req.count(http::field::transfer_encoding);
  const auto cl = req.count(http::field::content_length);
  const auto bad = [](std::string zh, std::string en) {
    return make_error(ErrorCode::invalid_argument, {std::move(zh), std::move(en)});
  };
  if (te > 0 && cl > 0) {
    return bad("请求不能同时带 Content-Length 和 Transfer-Encoding",
               "a request must not carry both Content-Length and Transfer-Encoding");
  }
  if (te > 1 || (te == 1 && !iequals(trim(req[http::field::transfer_encoding]), "chunked"))) {
    return bad("只支持 Transfer-Encoding: chunked", "only Transfer-Encoding: chunked is supported");
  }
  if (cl > 1) return bad("Content-Length 重复", "duplicate Content-Length");
  return std::nullopt;
}

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
    const std::size_t limit = server_.handler_.body_limit(req.method(), req.target());
    if (const auto length = parser_->content_length(); length && *length > limit) {
      return reject(too_large(limit));
    }
    parser_->body_limit(limit);  // bounds chunked bodies too
    if (parser_->is_done()) return dispatch_request();
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
    auto req = std::make_shared<Request>(parser_->release());
    keep_alive_ = req->keep_alive();
    head_ = req->method() == http::verb::head;
    asio::post(server_.workers_, [self = shared_from_this(), req] {
      const std::string accept_encoding((*req)[http::field::accept_encoding]);
      const bool head = req->method() == http::verb::head;
      Response res = self->server_.handler_.handle(std::move(*req), self->peer_);
      // Large JSON answers leave gzip-compressed; on this worker thread, not an I/O thread.
      // (Answers refused in reject() are short errors: nothing there to compress.)
      try {
        compress_response(res, accept_encoding, head);
      } catch (const std::exception& e) {
        spdlog::warn("response sent uncompressed: {}", e.what());
      }
      asio::post(self->stream_.get_executor(),
                 [self, res = std::move(res)]() mutable { self->write(std::move(res)); });
    });
  }

  void write(Response res) {
    state_ = State::writing;
    const bool keep = keep_alive_ && !force_close_ && !server_.stopping_.load();
    res.keep_alive(keep);
    add_security_headers(res, server_.options_.hsts);
    if (!head_) res.prepare_payload();
    response_ = std::make_shared<Response>(std::move(res));
    stream_.expires_after(server_.options_.read_timeout);
    http::async_write(stream_, *response_,
                      [self = shared_from_this(), keep](error_code ec, std::size_t) {
                        self->response_.reset();
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
  std::shared_ptr<Response> response_;
  Server& server_;
  Peer peer_;
  State state_ = State::reading;
  bool keep_alive_ = true;
  bool head_ = false;
  bool force_close_ = false;
};

Server::Server(ServerOptions options, RequestHandler& handler, Metrics& metrics)
    : options_(std::move(options)),
      handler_(handler),
      metrics_(metrics),
      workers_(options_.worker_threads),
      acceptor_(asio::make_strand(ioc_)),
      signals_(ioc_),
      grace_timer_(ioc_) {
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
}

Result<tcp::endpoint> Server::listen() {
  error_code ec;
  const auto address = asio::ip::make_address(options_.host, ec);
  if (ec) {
    return std::unexpected(make_error(
        ErrorCode::invalid_argument,
        {"无效的监听地址：" + options_.host, "invalid listen address: " + options_.host}));
  }
  const tcp::endpoint endpoint{address, options_.port};
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    const std::string where = options_.host + ":" + std::to_string(options_.port);
    return std::unexpected(
        make_error(ErrorCode::unavailable, {"无法监听 " + where + "：" + ec.message(),
                                            "cannot listen on " + where + ": " + ec.message()}));
  }
  return acceptor_.local_endpoint();
}

void Server::handle_signals() {
  signals_.add(SIGINT);
  signals_.add(SIGTERM);
  signals_.async_wait(
      asio::bind_executor(acceptor_.get_executor(), [this](error_code ec, int signo) {
        if (ec) return;
        spdlog::info("signal {} received: finishing in-flight requests", signo);
        begin_stop();
      }));
}

void Server::run() {
  accept();
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < options_.io_threads; ++i)
    threads.emplace_back([this] { ioc_.run(); });
  ioc_.run();
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

// Accepting and stopping share the acceptor's strand: a connection is either registered
// before the stop collects the sessions or refused after it.
void Server::stop() {
  asio::post(acceptor_.get_executor(), [this] { begin_stop(); });
}

void Server::accept() {
  acceptor_.async_accept(asio::make_strand(ioc_),
                         asio::bind_executor(acceptor_.get_executor(),
                                             beast::bind_front_handler(&Server::on_accept, this)));
}

void Server::on_accept(error_code ec, tcp::socket socket) {
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
  accept();
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
  if (sessions_.size() >= options_.max_connections) return false;
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
  if (drained) asio::post(ioc_, [this] { finish_stop(); });
}

void Server::begin_stop() {
  if (stopping_.exchange(true)) return;
  error_code ec;
  acceptor_.close(ec);
  signals_.cancel(ec);
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard lock(mutex_);
    for (auto& [ptr, registered] : sessions_) {
      if (auto s = registered.session.lock()) live.push_back(std::move(s));
    }
    if (sessions_.empty()) {
      asio::post(ioc_, [this] { finish_stop(); });
      return;
    }
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
  ioc_.stop();
}

}  // namespace xiehui::web
