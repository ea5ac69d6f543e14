#include "tests/support/http_client.hpp"

#include <gtest/gtest.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>

#include <zlib.h>

#include "tests/support/openapi_check.hpp"

namespace xiehui::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kReadBound = std::chrono::seconds(15);

// Runs one asynchronous read to completion, or cancels it after kReadBound so that a server
// that never answers fails the test instead of hanging it.
template <class Start>
boost::system::error_code bounded(asio::io_context& ioc, tcp::socket& socket, Start start) {
  boost::system::error_code result = asio::error::would_block;
  start([&result](boost::system::error_code ec) { result = ec; });
  ioc.restart();
  ioc.run_for(kReadBound);
  if (result == asio::error::would_block) {
    socket.cancel();
    ioc.restart();
    ioc.run();
    result = asio::error::timed_out;
  }
  return result;
}

}  // namespace

std::string gunzip(std::string_view compressed) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK) {  // 15 + 16: gzip framing only
    ADD_FAILURE() << "inflateInit2 failed";
    return {};
  }
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  zs.avail_in = static_cast<uInt>(compressed.size());
  std::string out;
  char buf[64 * 1024];
  int rc = Z_OK;
  while (rc == Z_OK) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(buf, sizeof buf - zs.avail_out);
  }
  const bool whole = rc == Z_STREAM_END && zs.avail_in == 0;
  inflateEnd(&zs);
  if (!whole) ADD_FAILURE() << "not one complete gzip stream (zlib " << rc << ")";
  return out;
}

RawConnection::RawConnection(std::uint16_t port) : socket_(ioc_) {
  socket_.connect({asio::ip::make_address("127.0.0.1"), port});
}

void RawConnection::send(std::string_view bytes) {
  sent_.clear();  // hand-written bytes: which answer belongs to which request is unknown
  boost::system::error_code ec;
  asio::write(socket_, asio::buffer(bytes.data(), bytes.size()), ec);
}

void RawConnection::send_request(http::verb method, const std::string& target,
                                 const std::string& body, const Headers& headers) {
  http::request<http::string_body> req{method, target, 11};
  req.set(http::field::host, "127.0.0.1");
  for (const auto& [k, v] : headers) req.set(k, v);
  req.body() = body;
  if (!body.empty() || method == http::verb::post || method == http::verb::put ||
      method == http::verb::patch) {
    req.prepare_payload();
  }
  http::write(socket_, req);
  bool json_request = false;
  for (const auto& [k, v] : headers) {
    // A JSON object with fields (suites send their JSON headers with other bodies too).
    if (beast::iequals(k, "Content-Type") && v.starts_with("application/json")) {
      json_request = body.starts_with('{') && body.find('"') != std::string::npos;
    }
  }
  sent_.push_back({method, target, json_request});
}

HttpReply RawConnection::read_response() {
  beast::flat_buffer buffer;
  if (!pending_.empty()) {
    auto dst = buffer.prepare(pending_.size());
    asio::buffer_copy(dst, asio::buffer(pending_));
    buffer.commit(pending_.size());
    pending_.clear();
  }
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  const auto ec = bounded(ioc_, socket_, [&](auto done) {
    http::async_read(socket_, buffer, parser,
                     [done](boost::system::error_code e, std::size_t) { done(e); });
  });
  HttpReply reply;
  if (ec) {
    ADD_FAILURE() << "reading the response failed: " << ec.message();
    sent_.clear();
    return reply;
  }
  const auto& res = parser.get();
  reply.status = res.result_int();
  reply.body = res.body();
  for (const auto& f : res) reply.headers.insert(f.name_string(), f.value());
  pending_ = beast::buffers_to_string(buffer.data());
  // Every answer to a request written through Beast is checked against the OpenAPI document.
  if (!sent_.empty()) {
    const Sent sent = std::move(sent_.front());
    sent_.pop_front();
    check_reply(sent.method, sent.target, sent.json_body, reply);
  }
  return reply;
}

std::string RawConnection::read_until_closed() {
  std::string out = std::move(pending_);
  pending_.clear();
  char buf[4096];
  for (;;) {
    std::size_t n = 0;
    const auto ec = bounded(ioc_, socket_, [&](auto done) {
      socket_.async_read_some(asio::buffer(buf),
                              [done, &n](boost::system::error_code e, std::size_t got) {
                                n = got;
                                done(e);
                              });
    });
    out.append(buf, n);
    if (ec == asio::error::eof || ec == asio::error::connection_reset) return out;
    if (ec) {
      ADD_FAILURE() << "connection not closed by the server: " << ec.message();
      return out;
    }
  }
}

HttpReply http_request(std::uint16_t port, http::verb method, const std::string& target,
                       const std::string& body, const Headers& headers) {
  RawConnection conn(port);
  conn.send_request(method, target, body, headers);
  return conn.read_response();
}

}  // namespace xiehui::testing
