#include "web/client_address.hpp"

#include <gtest/gtest.h>

namespace xiehui::web {
namespace {

Request with(std::initializer_list<std::pair<const char*, const char*>> headers) {
  Request req{http::verb::get, "/", 11};
  for (const auto& [k, v] : headers) req.set(k, v);
  return req;
}

const std::vector<std::string> kNginx = {"127.0.0.1", "10.0.0.2"};

TEST(ClientAddress, HeadersCountOnlyFromTrustedProxies) {
  const Request spoofed = with({{"X-Real-IP", "1.2.3.4"}, {"X-Forwarded-For", "5.6.7.8"}});
  EXPECT_EQ(client_address(spoofed, "203.0.113.9", kNginx), "203.0.113.9")
      << "a client cannot name its own address";
  EXPECT_EQ(client_address(spoofed, "127.0.0.1", kNginx), "5.6.7.8")
      << "X-Forwarded-For from nginx; X-Real-IP is never read (a client may have written it)";
  EXPECT_EQ(client_address(with({{"X-Real-IP", "1.2.3.4"}}), "127.0.0.1", kNginx), "127.0.0.1");
  EXPECT_EQ(client_address(spoofed, "127.0.0.1", {}), "127.0.0.1") << "no proxy configured";
  EXPECT_EQ(client_address(spoofed, "::ffff:127.0.0.1", kNginx), "5.6.7.8")
      << "a dual-stack socket's IPv4-mapped peer is the same proxy";
}

TEST(ClientAddress, RightmostUntrustedForwardedHop) {
  EXPECT_EQ(client_address(with({{"X-Forwarded-For", "6.6.6.6, 198.51.100.7, 10.0.0.2"}}),
                           "127.0.0.1", kNginx),
            "198.51.100.7")
      << "the client-supplied leftmost entry is not believed";
  EXPECT_EQ(client_address(with({{"X-Forwarded-For", "not-an-ip"}}), "127.0.0.1", kNginx),
            "127.0.0.1");
  EXPECT_EQ(client_address(with({{"X-Forwarded-For", "2001:db8::1"}}), "127.0.0.1", kNginx),
            "2001:db8::1");
}

TEST(ClientAddress, RateLimitKeysGroupIpv6ByItsSlash64) {
  EXPECT_EQ(rate_limit_key("198.51.100.7"), "198.51.100.7");
  EXPECT_EQ(rate_limit_key("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
  EXPECT_EQ(rate_limit_key("2001:db8:1:2:bbbb::9"), rate_limit_key("2001:db8:1:2:aaaa::1"));
  EXPECT_NE(rate_limit_key("2001:db8:1:3::1"), rate_limit_key("2001:db8:1:2::1"));
  EXPECT_EQ(rate_limit_key("::ffff:198.51.100.7"), "198.51.100.7")
      << "IPv4 clients of a dual-stack socket are not lumped into ::/64";
}

}  // namespace
}  // namespace xiehui::web
