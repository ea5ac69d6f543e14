// JsonWriter against boost::json: the same document gives the same text, whatever the strings hold.

#include "web/json_writer.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <string>
#include <vector>

namespace xiehui::web {
namespace {

TEST(JsonWriter, WritesWhatBoostJsonSerialises) {
  const std::vector<std::string> strings = {
      "",
      "plain",
      "长沙经济技术开发区",
      "quote \" backslash \\ slash /",
      "controls \b\f\n\r\t and \x01\x1f end",
      std::string("nul \0 inside", 12),
      "\xe2\x80\xa8 line separator, emoji \xf0\x9f\x98\x80",
  };
  boost::json::array expected_items;
  std::string text;
  JsonWriter w(text);
  w.begin_object().key("items").begin_array();
  const std::vector<long long> numbers = {0, -1, 7, -9223372036854775807LL - 1, 42, 1000000, -3};
  for (std::size_t i = 0; i < strings.size(); ++i) {
    const std::string& s = strings[i];
    const long long n = numbers[i % numbers.size()];
    expected_items.push_back({{"s", s}, {"n", n}, {"yes", n % 2 == 0}, {"none", nullptr}});
    w.begin_object().member("s", s).member("n", n).member("yes", n % 2 == 0);
    w.key("none").null().end_object();
  }
  w.end_array().key("empty").begin_array().end_array();
  w.key("nested").begin_object().key("inner").begin_object().end_object().end_object();
  w.member("last", 9223372036854775807LL).end_object();
  const boost::json::value expected = {{"items", expected_items},
                                       {"empty", boost::json::array()},
                                       {"nested", {{"inner", boost::json::object()}}},
                                       {"last", 9223372036854775807LL}};
  EXPECT_EQ(text, boost::json::serialize(expected));
  EXPECT_EQ(boost::json::parse(text), expected);
}

TEST(JsonWriter, ATopLevelArrayOfScalars) {
  std::string text;
  JsonWriter w(text);
  w.begin_array().value("a").value(1).value(false).null().value(-0LL).end_array();
  EXPECT_EQ(text, R"(["a",1,false,null,0])");
}

}  // namespace
}  // namespace xiehui::web
