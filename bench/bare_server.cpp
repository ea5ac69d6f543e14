// A bare Boost.Beast HTTP/1.1 server: the yardstick of scripts/bench.sh's `ratio` section.
//
//   xiehui_bare_server [--listen HOST:PORT] [--threads N]
//
// N I/O threads (default 2), each with its own io_context and its own acceptor bound with
// SO_REUSEPORT to the same port (the kernel spreads the connections), keep-alive. GET /healthz
// answers 200 with {"status":"ok"} as application/json, everything else 404. Prints
// `listening on HOST:PORT` (the real port when PORT is 0) once every acceptor listens, and exits
// on SIGINT or SIGTERM.
#include <sys/socket.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr std::string_view kHealthBody = R"({"status":"ok"})";
constexpr std::string_view kNotFoundBody = R"({"error":"not_found"})";
constexpr std::uint64_t kBodyLimit = 64 * 1024;

using Response = http::response<http::string_body>;

Response make_response(http::status status, std::string_view body, unsigned version,
                       bool keep_alive) {
  Response res{status, version};
  res.keep_alive(keep_alive);
  res.set(http::field::content_type, "application/json");
  res.body().assign(body);
  res.prepare_payload();
  return res;
}

// The two answers of an HTTP/1.1 keep-alive request, built once: writing them allocates nothing.
const Response& kept_alive(bool health) {
  static const Response ok = make_response(http::status::ok, kHealthBody, 11, true);
  static const Response not_found = make_response(http::status::not_found, kNotFoundBody, 11, true);
  return health ? ok : not_found;
}

// One connection: read a request, write the answer, again until either side closes.
class Session : public std::enable_shared_from_this<Session> {
 public:
  explicit Session(tcp::socket socket) : socket_(std::move(socket)) {}

  void start() { read(); }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(kBodyLimit);
    http::async_read(
        socket_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec) {
      // end_of_stream: the client closed between requests; anything else: drop the connection.
      close();
      return;
    }
    const auto& req = parser_->get();
    const bool health = req.method() == http::verb::get && req.target() == "/healthz";
    keep_alive_ = req.keep_alive();
    const Response* res = nullptr;
    if (keep_alive_ && req.version() == 11) {
      res = &kept_alive(health);
    } else {
      // HTTP/1.0 or Connection: close — rare, built for the occasion.
      other_ = make_response(health ? http::status::ok : http::status::not_found,
                             health ? kHealthBody : kNotFoundBody, req.version(), keep_alive_);
      res = &*other_;
    }
    http::async_write(
        socket_, *res,
        [self = shared_from_this()](beast::error_code wec, std::size_t) { self->on_write(wec); });
  }

  void on_write(beast::error_code ec) {
    if (ec || !keep_alive_) {
      close();
      return;
    }
    read();
  }

  void close() {
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    socket_.close(ignored);
  }

  tcp::socket socket_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<Response> other_;
  bool keep_alive_ = true;
};

// One I/O thread's io_context and acceptor. The concurrency hint 1 tells Asio that only one
// thread runs the context, so its scheduler skips the locking.
struct Worker {
  asio::io_context ioc{1};
  tcp::acceptor acceptor{ioc};

  void listen(const tcp::endpoint& endpoint) {
    acceptor.open(endpoint.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    const int one = 1;
    if (::setsockopt(acceptor.native_handle(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0) {
      throw std::system_error(errno, std::generic_category(), "setsockopt(SO_REUSEPORT)");
    }
    acceptor.bind(endpoint);
    acceptor.listen(asio::socket_base::max_listen_connections);
  }

  void accept() {
    acceptor.async_accept(ioc, [this](beast::error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) {
        return;
      }
      if (!ec) {
        beast::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        std::make_shared<Session>(std::move(socket))->start();
      }
      // On an error (EMFILE, ECONNABORTED...) keep accepting.
      accept();
    });
  }
};

struct Options {
  std::string host = "127.0.0.1";
  unsigned short port = 0;
  unsigned threads = 2;
};

[[noreturn]] void usage(const std::string& error) {
  std::cerr << "xiehui_bare_server: " << error << "\n"
            << "usage: xiehui_bare_server [--listen HOST:PORT] [--threads N]\n";
  std::exit(2);
}

template <typename T>
T parse_number(std::string_view text, const char* what) {
  T value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) {
    usage(std::string("invalid ") + what + " '" + std::string(text) + "'");
  }
  return value;
}

Options parse_options(int argc, char** argv) {
  Options options;
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    std::string_view value;
    if (arg == "-h" || arg == "--help") {
      usage("a bare Beast server for scripts/bench.sh");
    }
    if (const auto eq = arg.find('='); eq != std::string_view::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      usage(std::string("missing value of ") + std::string(arg));
    }
    if (arg == "--listen") {
      const auto colon = value.rfind(':');
      if (colon == std::string_view::npos) {
        usage("--listen wants HOST:PORT");
      }
      std::string_view host = value.substr(0, colon);
      if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
      }
      options.host = std::string(host);
      options.port = parse_number<unsigned short>(value.substr(colon + 1), "port");
    } else if (arg == "--threads") {
      options.threads = parse_number<unsigned>(value, "thread count");
      if (options.threads == 0 || options.threads > 256) {
        usage("--threads wants 1 to 256");
      }
    } else {
      usage("unknown option " + std::string(arg));
    }
  }
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse_options(argc, argv);
  try {
    std::vector<std::unique_ptr<Worker>> workers;
    tcp::endpoint endpoint(asio::ip::make_address(options.host), options.port);
    for (unsigned i = 0; i < options.threads; ++i) {
      workers.push_back(std::make_unique<Worker>());
      workers.back()->listen(endpoint);
      // Port 0: the first bind picks the port, the others join it.
      endpoint = workers.back()->acceptor.local_endpoint();
      workers.back()->accept();
    }

    // SIGINT/SIGTERM on the first thread's context stops every context.
    asio::signal_set signals(workers.front()->ioc, SIGINT, SIGTERM);
    signals.async_wait([&workers](beast::error_code ec, int) {
      if (ec) {
        return;
      }
      for (auto& worker : workers) {
        worker->ioc.stop();
      }
    });

    std::cout << "listening on " << endpoint << std::endl;

    std::vector<std::thread> threads;
    threads.reserve(workers.size() - 1);
    for (std::size_t i = 1; i < workers.size(); ++i) {
      threads.emplace_back([&worker = *workers[i]] { worker.ioc.run(); });
    }
    workers.front()->ioc.run();
    for (auto& thread : threads) {
      thread.join();
    }
  } catch (const std::exception& e) {
    std::cerr << "xiehui_bare_server: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
