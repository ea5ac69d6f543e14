#include "core/config.hpp"

#include <gtest/gtest.h>

#include <string>

namespace xiehui {
namespace {

void expect_listen(std::string_view text, const std::string& host, std::uint16_t port) {
  const auto parsed = parse_listen_address(text);
  ASSERT_TRUE(parsed.has_value()) << text;
  EXPECT_EQ(parsed->host, host) << text;
  EXPECT_EQ(parsed->port, port) << text;
}

void expect_bad_listen(std::string_view text) {
  const auto parsed = parse_listen_address(text);
  ASSERT_FALSE(parsed.has_value()) << text << " was accepted";
  EXPECT_EQ(parsed.error().code, ErrorCode::invalid_argument) << text;
  EXPECT_FALSE(parsed.error().message.zh.empty());
  EXPECT_FALSE(parsed.error().message.en.empty());
}

TEST(ParseListenAddress, AcceptsHostAndPort) {
  expect_listen("127.0.0.1:0", "127.0.0.1", 0);
  expect_listen("0.0.0.0:80", "0.0.0.0", 80);
  expect_listen("127.0.0.1:8080", "127.0.0.1", 8080);
  expect_listen("example.org:65535", "example.org", 65535);
}

TEST(ParseListenAddress, AcceptsBracketedIpv6) {
  expect_listen("[::1]:8080", "::1", 8080);
  expect_listen("[::]:0", "::", 0);
}

TEST(ParseListenAddress, RejectsMissingParts) {
  expect_bad_listen("localhost");
  expect_bad_listen(":80");
  expect_bad_listen("host:");
  expect_bad_listen("");
  expect_bad_listen(":");
}

TEST(ParseListenAddress, RejectsBadPorts) {
  expect_bad_listen("host:99999");
  expect_bad_listen("host:65536");
  expect_bad_listen("host:8x");
  expect_bad_listen("host:-1");
  expect_bad_listen("host: 80");
  expect_bad_listen("host:0x50");
}

TEST(ParseListenAddress, RejectsMalformedBrackets) {
  expect_bad_listen("[]:80");
  expect_bad_listen("[::1:80");
  expect_bad_listen("[::1]");
}

TEST(ParseListenAddress, ErrorNamesTheInput) {
  const auto parsed = parse_listen_address("host:8x");
  ASSERT_FALSE(parsed.has_value());
  EXPECT_NE(parsed.error().message.en.find("host:8x"), std::string::npos);
}

TEST(RedactConnectionString, HidesPlainPassword) {
  EXPECT_EQ(redact_connection_string("mysql://db=x user=u password=secret host=127.0.0.1"),
            "mysql://db=x user=u password=*** host=127.0.0.1");
}

TEST(RedactConnectionString, HidesQuotedPasswordAnyCase) {
  const std::string out =
      redact_connection_string("mysql://db=x user=u PASSWORD='a b' host=h port=3306");
  EXPECT_EQ(out.find("a b"), std::string::npos) << out;
  EXPECT_EQ(out, "mysql://db=x user=u PASSWORD=*** host=h port=3306");
}

TEST(RedactConnectionString, HidesDoubleQuotedAndShortForms) {
  EXPECT_EQ(redact_connection_string(R"(mysql://db=x password="p q r" user=u)"),
            "mysql://db=x password=*** user=u");
  EXPECT_EQ(redact_connection_string("mysql://db=x pwd=hunter2 user=u"),
            "mysql://db=x pwd=*** user=u");
  EXPECT_EQ(redact_connection_string("mysql://db=x pass = hunter2 user=u"),
            "mysql://db=x pass=*** user=u");
}

TEST(RedactConnectionString, LeavesStringsWithoutPasswordAlone) {
  EXPECT_EQ(redact_connection_string("sqlite3://db=var/xiehui.db"), "sqlite3://db=var/xiehui.db");
  EXPECT_EQ(redact_connection_string("mysql://db=x user=u host=h port=3306"),
            "mysql://db=x user=u host=h port=3306");
  EXPECT_EQ(redact_connection_string(""), "");
}

TEST(AppConfig, DefaultsAreUsable) {
  const AppConfig config;
  EXPECT_EQ(config.listen.host, "127.0.0.1");
  EXPECT_EQ(config.listen.port, 8080);
  EXPECT_EQ(config.db.rfind("sqlite3://", 0), 0u);
  EXPECT_GT(config.db_pool_size, 0u);
  EXPECT_GT(config.body_limit_bytes, 0u);
  EXPECT_GT(config.upload_limit_bytes, config.body_limit_bytes);
}

}  // namespace
}  // namespace xiehui
