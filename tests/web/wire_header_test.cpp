// The response head as the server writes it: status line, the handler's fields, and the
// security headers added only where the handler set none.
#include <gtest/gtest.h>

#include "web/security_headers.hpp"

namespace xiehui::web {
namespace {

std::size_t count(const std::string& haystack, std::string_view needle) {
  std::size_t n = 0;
  for (auto at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

TEST(WireHeader, StatusLineFieldsAndSecurityHeadersInOrder) {
  Response res{http::status::created, 11};
  res.set(http::field::content_type, "application/json; charset=utf-8");
  res.body() = R"({"id":1})";
  res.prepare_payload();
  const std::string head = wire_header(res, false);
  EXPECT_EQ(head.rfind("HTTP/1.1 201 Created\r\n", 0), 0u) << head;
  EXPECT_NE(head.find("\r\nContent-Type: application/json; charset=utf-8\r\n"), std::string::npos);
  EXPECT_NE(head.find("\r\nContent-Length: 8\r\n"), std::string::npos);
  EXPECT_NE(head.find("\r\nX-Frame-Options: DENY\r\n"), std::string::npos);
  EXPECT_NE(head.find("\r\nX-Content-Type-Options: nosniff\r\n"), std::string::npos);
  EXPECT_NE(head.find("\r\nReferrer-Policy: same-origin\r\n"), std::string::npos);
  EXPECT_NE(
      head.find("\r\nContent-Security-Policy: " + std::string(kContentSecurityPolicy) + "\r\n"),
      std::string::npos);
  EXPECT_EQ(head.find("Strict-Transport-Security"), std::string::npos) << "HSTS without https";
  EXPECT_EQ(head.find("\r\n\r\n"), head.size() - 4) << "one empty line, at the end";
  EXPECT_EQ(head.find(R"({"id":1})"), std::string::npos) << "the body is not part of the head";
}

TEST(WireHeader, HandlersOwnSecurityHeaderIsKeptAndNotRepeated) {
  Response res{http::status::ok, 11};
  res.set("content-security-policy", "sandbox");  // any case: header names are case-insensitive
  res.set("X-Frame-Options", "SAMEORIGIN");
  const std::string head = wire_header(res, true);
  EXPECT_EQ(head.find(kContentSecurityPolicy), std::string::npos) << "only the handler's CSP";
  EXPECT_NE(head.find("content-security-policy: sandbox\r\n"), std::string::npos) << head;
  EXPECT_EQ(count(head, "X-Frame-Options"), 1u) << head;
  EXPECT_NE(head.find("X-Frame-Options: SAMEORIGIN\r\n"), std::string::npos) << head;
  EXPECT_NE(head.find("Strict-Transport-Security: " + std::string(kStrictTransportSecurity)),
            std::string::npos);
}

TEST(WireHeader, Http10AndUnusualStatus) {
  Response res{http::status::too_many_requests, 10};
  res.keep_alive(false);
  EXPECT_EQ(wire_header(res, false).rfind("HTTP/1.0 429 Too Many Requests\r\n", 0), 0u);
  Response odd{static_cast<http::status>(599), 11};
  EXPECT_EQ(wire_header(odd, false).rfind("HTTP/1.1 599 ", 0), 0u) << wire_header(odd, false);
}

}  // namespace
}  // namespace xiehui::web
