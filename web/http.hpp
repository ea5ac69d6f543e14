#pragma once
// HTTP vocabulary shared by the server, the router and handlers.

#include <boost/beast/http.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace xiehui::web {

namespace http = boost::beast::http;

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

/// Where a request came from, as the server saw it.
struct Peer {
  std::string address;
};

/// The language of messages for a request: zh-CN by default, English on request.
enum class Lang { zh, en };

/// Reads Accept-Language: a first preference starting with "en" means English.
Lang language_of(const Request& req);

/// The client's X-Request-Id when it is safe to echo (1–64 of [A-Za-z0-9._-]), otherwise a
/// fresh id of 16 hex digits.
std::string request_id_for(std::string_view incoming);

/// What the server hands complete requests to (the Router, in the application).
class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  /// Produces the response; called on a worker thread; must not throw.
  virtual Response handle(Request&& req, const Peer& peer) = 0;
  /// The largest body accepted for this request line, asked before the body is read.
  virtual std::size_t body_limit(http::verb method, std::string_view target) const = 0;
  /// Whether the request is answered without blocking (no database, no file): then the I/O
  /// thread answers it itself instead of handing it to the worker pool and back.
  virtual bool runs_inline(http::verb method, std::string_view target) const = 0;
};

}  // namespace xiehui::web
