#include "web/json_body.hpp"

#include <gtest/gtest.h>

namespace xiehui::web {
namespace {

Request json_request(std::string body, std::string type = "application/json; charset=utf-8") {
  Request req{http::verb::post, "/api/x", 11};
  req.set(http::field::content_type, type);
  req.body() = std::move(body);
  return req;
}

std::vector<std::string> fields_of(const Error& e) {
  std::vector<std::string> out;
  for (const auto& f : e.fields) out.push_back(f.field);
  return out;
}

TEST(JsonBody, RejectsWhatIsNotAJsonObject) {
  for (const auto& [body, type] : std::vector<std::pair<std::string, std::string>>{
           {R"({"a":1})", "text/plain"},
           {R"({"a":1})", "application/x-www-form-urlencoded"},
           {"{not json", "application/json"},
           {"[1,2]", "application/json"},
           {"", "application/json"}}) {
    auto parsed = JsonBody::parse(json_request(body, type));
    ASSERT_FALSE(parsed.has_value()) << body << " " << type;
    EXPECT_EQ(parsed.error().code, ErrorCode::invalid_argument);
    EXPECT_EQ(fields_of(parsed.error()), std::vector<std::string>{"body"});
  }
  EXPECT_TRUE(JsonBody::parse_optional(json_request("", "")).has_value());
}

TEST(JsonBody, CollectsEveryBadField) {
  auto body = JsonBody::parse(json_request(
      R"({"name":"  ","count":1.5,"flag":"yes","tags":[1],"big":300,"long":"湖南省开发区协会"})"));
  ASSERT_TRUE(body.has_value());
  EXPECT_FALSE(body->string("name", true, 10));
  EXPECT_FALSE(body->integer("count", true, 0, 10));
  EXPECT_FALSE(body->boolean("flag", true));
  EXPECT_FALSE(body->string_array("tags", true, 5, 10));
  EXPECT_FALSE(body->integer("big", true, 0, 200));
  EXPECT_FALSE(body->string("long", true, 7)) << "8 characters (24 bytes) over a limit of 7";
  EXPECT_FALSE(body->string("missing", true, 10));
  auto st = body->finish();
  ASSERT_FALSE(st.has_value());
  EXPECT_EQ(fields_of(st.error()),
            (std::vector<std::string>{"name", "count", "flag", "tags", "big", "long", "missing"}));
}

TEST(JsonBody, ReadsGoodValues) {
  auto body = JsonBody::parse(json_request(
      R"({"name":" 王秘书 ","pw":" a b ","n":42,"ok":true,"tags":["x","y"],"unit":null})"));
  ASSERT_TRUE(body.has_value());
  EXPECT_EQ(body->string("name", true, 10), "王秘书") << "trimmed";
  EXPECT_EQ(body->secret("pw", true, 10), " a b ") << "secrets are kept as sent";
  EXPECT_EQ(body->integer("n", true, 0, 100), 42);
  EXPECT_EQ(body->boolean("ok", true), true);
  EXPECT_EQ(body->string_array("tags", true, 5, 5), (std::vector<std::string>{"x", "y"}));
  auto unit = body->nullable_integer("unit", 1, 10);
  ASSERT_TRUE(unit.has_value()) << "present";
  EXPECT_FALSE(unit->has_value()) << "and null";
  EXPECT_FALSE(body->nullable_integer("absent", 1, 10).has_value());
  EXPECT_FALSE(body->string("optional", false, 10).has_value());
  EXPECT_TRUE(body->finish().has_value());
}

TEST(ParseId, OnlyPositiveIntegersAreIds) {
  EXPECT_EQ(parse_id("12", {"用户", "user"}).value_or(0), 12);
  for (std::string_view bad : {"0", "-1", "1x", "", "99999999999999999999", "1.0"}) {
    auto id = parse_id(bad, {"用户", "user"});
    ASSERT_FALSE(id.has_value()) << bad;
    EXPECT_EQ(id.error().code, ErrorCode::not_found);
  }
}

TEST(JsonBody, ControlCharactersAreRefusedInEveryStoredTextField) {
  // NUL, ESC, DEL and a C1 control (U+0085) in one-line fields; a newline in a name.
  auto body = JsonBody::parse(json_request(
      R"({"short_name":"a\u0000b","address":"x\u001b[31my","name":"a\nb","title":"a\u007f",)"
      R"("email":"a\u0085b","topics":["ok","bad\u0007"],"reason":"第一行\r\n第二行\t完","desc":"a\u0000"})"));
  ASSERT_TRUE(body.has_value());
  EXPECT_FALSE(body->string("short_name", false, 100));
  EXPECT_FALSE(body->string("address", false, 100));
  EXPECT_FALSE(body->string("name", false, 100)) << "a one-line field has no newlines";
  EXPECT_FALSE(body->string("title", false, 100));
  EXPECT_FALSE(body->string("email", false, 100));
  EXPECT_FALSE(body->string_array("topics", false, 5, 10));
  EXPECT_EQ(body->text_block("reason", true, 100), "第一行\n第二行\t完")
      << "a multi-line text keeps newlines and tabs, CR LF as LF";
  EXPECT_FALSE(body->text_block("desc", false, 100)) << "but not NUL";
  auto st = body->finish();
  ASSERT_FALSE(st.has_value());
  EXPECT_EQ(fields_of(st.error()), (std::vector<std::string>{"short_name", "address", "name",
                                                             "title", "email", "topics", "desc"}));
  EXPECT_EQ(st.error().fields[0].message.zh, "不能包含控制字符（如换行、制表符）");
}

}  // namespace
}  // namespace xiehui::web
