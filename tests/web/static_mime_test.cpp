#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <string>
#include <utility>
#include <vector>

#include "web/error_mapping.hpp"
#include "web/static_files.hpp"

namespace xiehui::web {
namespace {

// ---- mime_type ----

TEST(MimeType, KnownExtensions) {
  EXPECT_EQ(mime_type("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(mime_type("app.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(mime_type("style.css"), "text/css; charset=utf-8");
  EXPECT_EQ(mime_type("logo.svg"), "image/svg+xml");
  EXPECT_EQ(mime_type("font.woff2"), "font/woff2");
  EXPECT_EQ(mime_type("openapi.json"), "application/json; charset=utf-8");
}

TEST(MimeType, UsesTheLastExtension) {
  EXPECT_EQ(mime_type("assets/index.4f3a9c.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(mime_type("assets/app.css.map"), "application/json; charset=utf-8");
  EXPECT_EQ(mime_type("font.woff"), "font/woff");
}

TEST(MimeType, UnknownIsOctetStream) {
  EXPECT_EQ(mime_type("archive.xyz"), "application/octet-stream");
  EXPECT_EQ(mime_type("README"), "application/octet-stream");
  EXPECT_EQ(mime_type(""), "application/octet-stream");
  EXPECT_EQ(mime_type("file."), "application/octet-stream");
  EXPECT_EQ(mime_type("html"), "application/octet-stream");
}

// ---- status_of ----

TEST(StatusOf, EveryErrorCode) {
  const std::vector<std::pair<ErrorCode, unsigned>> expected = {
      {ErrorCode::invalid_argument, 400},   {ErrorCode::unauthenticated, 401},
      {ErrorCode::permission_denied, 403},  {ErrorCode::not_found, 404},
      {ErrorCode::already_exists, 409},     {ErrorCode::conflict, 409},
      {ErrorCode::rate_limited, 429},       {ErrorCode::payload_too_large, 413},
      {ErrorCode::method_not_allowed, 405}, {ErrorCode::headers_too_large, 431},
      {ErrorCode::unavailable, 503},        {ErrorCode::internal, 500},
  };
  for (const auto& [code, status] : expected) {
    EXPECT_EQ(static_cast<unsigned>(status_of(code)), status) << to_string(code);
  }
}

// ---- error_response ----

Error sample_error() {
  Error e = invalid_fields({
      {"org.uscc", {"统一社会信用代码有误", "bad USCC"}},
      {"tiers.member", {"必填", "required"}},
  });
  e.message = {"提交的内容有误", "Some fields are invalid"};
  return e;
}

boost::json::object body_of(const Response& res) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(res.body(), ec);
  EXPECT_FALSE(ec) << res.body();
  EXPECT_TRUE(v.is_object()) << res.body();
  return v.is_object() ? v.as_object() : boost::json::object{};
}

// The string at `v`, or a marker that fails any comparison when it is not a string.
std::string text(const boost::json::value& v) {
  return v.is_string() ? std::string(v.as_string()) : "<not a string: " + serialize(v) + ">";
}

TEST(ErrorResponse, ChineseByDefault) {
  const Response res = error_response(sample_error(), Lang::zh, "req-123");
  EXPECT_EQ(res.result(), http::status::bad_request);
  EXPECT_EQ(res.version(), 11u);
  EXPECT_EQ(std::string(res[http::field::content_type]).rfind("application/json", 0), 0u)
      << res[http::field::content_type];
  const boost::json::object body = body_of(res);
  ASSERT_TRUE(body.contains("code"));
  EXPECT_EQ(text(body.at("code")), "invalid_argument");
  EXPECT_EQ(text(body.at("message")), "提交的内容有误");
  EXPECT_EQ(text(body.at("request_id")), "req-123");
  ASSERT_TRUE(body.at("details").is_object());
  const auto& details = body.at("details").as_object();
  ASSERT_TRUE(details.contains("fields"));
  ASSERT_TRUE(details.at("fields").is_object());
  const auto& fields = details.at("fields").as_object();
  EXPECT_EQ(fields.size(), 2u);
  EXPECT_EQ(text(fields.at("org.uscc")), "统一社会信用代码有误");
  EXPECT_EQ(text(fields.at("tiers.member")), "必填");
}

TEST(ErrorResponse, EnglishOnRequest) {
  const Response res = error_response(sample_error(), Lang::en, "req-456");
  const boost::json::object body = body_of(res);
  EXPECT_EQ(text(body.at("message")), "Some fields are invalid");
  EXPECT_EQ(text(body.at("request_id")), "req-456");
  const auto& fields = body.at("details").at("fields").as_object();
  EXPECT_EQ(text(fields.at("org.uscc")), "bad USCC");
  EXPECT_EQ(text(fields.at("tiers.member")), "required");
}

TEST(ErrorResponse, EnglishFallsBackToChineseWhenMissing) {
  const Error e = make_error(ErrorCode::conflict, {"只有中文", ""});
  const boost::json::object body = body_of(error_response(e, Lang::en, "r"));
  EXPECT_EQ(text(body.at("message")), "只有中文");
}

TEST(ErrorResponse, NoFieldsMeansEmptyDetails) {
  const Response res = error_response(internal_error(), Lang::en, "r-1");
  EXPECT_EQ(res.result(), http::status::internal_server_error);
  const boost::json::object body = body_of(res);
  EXPECT_EQ(text(body.at("code")), "internal");
  EXPECT_EQ(text(body.at("message")), internal_error().message.en);
  ASSERT_TRUE(body.at("details").is_object());
  EXPECT_FALSE(body.at("details").as_object().contains("fields"));
}

TEST(ErrorResponse, StatusAndCodeFollowTheError) {
  const Error e = not_found_error({"会员单位", "member unit"});
  const Response res = error_response(e, Lang::zh, "abc");
  EXPECT_EQ(res.result(), http::status::not_found);
  const boost::json::object body = body_of(res);
  EXPECT_EQ(text(body.at("code")), "not_found");
  EXPECT_EQ(text(body.at("message")), e.message.zh);
}

TEST(ErrorResponse, KeepsHttpVersion) {
  const Response res = error_response(internal_error(), Lang::zh, "r", 10);
  EXPECT_EQ(res.version(), 10u);
}

TEST(ErrorResponse, RequestIdIsEscapedAsJson) {
  const Response res = error_response(internal_error(), Lang::zh, "a\"b\\c");
  EXPECT_EQ(text(body_of(res).at("request_id")), "a\"b\\c");
}

}  // namespace
}  // namespace xiehui::web
