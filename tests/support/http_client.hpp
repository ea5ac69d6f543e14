#pragma once
// A small blocking HTTP client over Beast for tests, plus a raw TCP connection for sending
// malformed bytes. Reads are bounded by a socket timeout so a broken server fails the test
// instead of hanging it.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http.hpp>

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace xiehui::testing {

namespace http = boost::beast::http;

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpReply {
  unsigned status = 0;
  std::string body;
  http::fields headers;
  std::string header(std::string_view name) const { return std::string(headers[name]); }
};

/// The bytes of a gzip stream, decompressed; fails the test (and returns what it could) when
/// they are not one complete gzip stream.
std::string gunzip(std::string_view compressed);

/// One request on a new connection. Its answer is checked against the OpenAPI document
/// (tests/support/openapi_check.hpp), as is every answer read by a RawConnection to a request
/// it wrote with send_request().
HttpReply http_request(std::uint16_t port, http::verb method, const std::string& target,
                       const std::string& body = {}, const Headers& headers = {});

/// A TCP connection to 127.0.0.1:port for hand-written requests.
class RawConnection {
 public:
  explicit RawConnection(std::uint16_t port);
  void send(std::string_view bytes);
  /// Reads one HTTP response (keeps the connection for the next).
  HttpReply read_response();
  /// Reads until the server closes; returns what arrived. Fails the test after 15 s.
  std::string read_until_closed();
  /// A request written through Beast on this connection.
  void send_request(http::verb method, const std::string& target, const std::string& body = {},
                    const Headers& headers = {});

 private:
  struct Sent {
    http::verb method;
    std::string target;
    bool json_body;
  };

  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::socket socket_;
  std::string pending_;    // bytes read past the previous response
  std::deque<Sent> sent_;  // requests written through Beast not answered yet, for check_reply
};

}  // namespace xiehui::testing
