#include "core/error.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

namespace xiehui {
namespace {

TEST(ErrorCode, ToStringNamesEveryCode) {
  const std::vector<std::pair<ErrorCode, std::string_view>> all = {
      {ErrorCode::invalid_argument, "invalid_argument"},
      {ErrorCode::unauthenticated, "unauthenticated"},
      {ErrorCode::permission_denied, "permission_denied"},
      {ErrorCode::not_found, "not_found"},
      {ErrorCode::already_exists, "already_exists"},
      {ErrorCode::conflict, "conflict"},
      {ErrorCode::rate_limited, "rate_limited"},
      {ErrorCode::payload_too_large, "payload_too_large"},
      {ErrorCode::method_not_allowed, "method_not_allowed"},
      {ErrorCode::headers_too_large, "headers_too_large"},
      {ErrorCode::unavailable, "unavailable"},
      {ErrorCode::internal, "internal"},
  };
  std::set<std::string_view> seen;
  for (const auto& [code, name] : all) {
    EXPECT_EQ(to_string(code), name);
    seen.insert(to_string(code));
  }
  EXPECT_EQ(seen.size(), all.size()) << "two codes share a name";
}

TEST(Error, MakeErrorKeepsCodeAndMessage) {
  const Error e = make_error(ErrorCode::conflict, {"冲突", "conflict"});
  EXPECT_EQ(e.code, ErrorCode::conflict);
  EXPECT_EQ(e.message.zh, "冲突");
  EXPECT_EQ(e.message.en, "conflict");
  EXPECT_TRUE(e.fields.empty());
}

TEST(Error, DefaultIsInternal) {
  const Error e;
  EXPECT_EQ(e.code, ErrorCode::internal);
}

TEST(Error, InvalidFieldsKeepsFieldsInOrder) {
  const Error e = invalid_fields({
      {"org.uscc", {"统一社会信用代码有误", "bad USCC"}},
      {"tiers.member", {"必填", "required"}},
  });
  EXPECT_EQ(e.code, ErrorCode::invalid_argument);
  EXPECT_FALSE(e.message.zh.empty());
  EXPECT_FALSE(e.message.en.empty());
  ASSERT_EQ(e.fields.size(), 2u);
  EXPECT_EQ(e.fields[0].field, "org.uscc");
  EXPECT_EQ(e.fields[0].message.zh, "统一社会信用代码有误");
  EXPECT_EQ(e.fields[0].message.en, "bad USCC");
  EXPECT_EQ(e.fields[1].field, "tiers.member");
  EXPECT_EQ(e.fields[1].message.zh, "必填");
  EXPECT_EQ(e.fields[1].message.en, "required");
}

TEST(Error, InternalErrorCarriesNoDetail) {
  const Error e = internal_error();
  EXPECT_EQ(e.code, ErrorCode::internal);
  EXPECT_TRUE(e.fields.empty());
  EXPECT_FALSE(e.message.zh.empty());
  EXPECT_FALSE(e.message.en.empty());
  // Always the same generic text.
  const Error again = internal_error();
  EXPECT_EQ(e.message.zh, again.message.zh);
  EXPECT_EQ(e.message.en, again.message.en);
}

TEST(Error, NotFoundNamesTheEntity) {
  const Error e = not_found_error({"会员单位", "member unit"});
  EXPECT_EQ(e.code, ErrorCode::not_found);
  EXPECT_NE(e.message.zh.find("会员单位"), std::string::npos) << e.message.zh;
  EXPECT_NE(e.message.en.find("member unit"), std::string::npos) << e.message.en;
  EXPECT_TRUE(e.fields.empty());
}

TEST(Result, CarriesValueOrError) {
  Result<int> ok = 42;
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(*ok, 42);
  Result<int> bad = std::unexpected(internal_error());
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::internal);
}

}  // namespace
}  // namespace xiehui
