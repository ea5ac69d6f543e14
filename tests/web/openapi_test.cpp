// The OpenAPI document's schemas: the describing JsonBody, the request schemas read off the
// handlers, the response catalogue's coverage of the route table, and the validator the HTTP
// tests check every answer with.

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <set>

#include "tests/support/json_schema.hpp"
#include "tests/support/openapi_check.hpp"
#include "web/json_body.hpp"
#include "web/openapi.hpp"
#include "web/openapi_schemas.hpp"
#include "web/router.hpp"

namespace xiehui::web {
namespace {

namespace json = boost::json;
using testing::schema_problems;

json::value parse(std::string_view text) { return json::parse(text); }

TEST(JsonBodyDescriber, RecordsEveryFieldAskedFor) {
  JsonBody body = JsonBody::describer();
  EXPECT_FALSE(body.string("name", true, 100));
  EXPECT_FALSE(body.integer("year", true, 2000, 2200));
  EXPECT_FALSE(body.nullable_integer("member_id", 1, 99));
  EXPECT_FALSE(body.boolean("dry_run", false));
  EXPECT_FALSE(body.string_array("topics", false, 20, 40));
  EXPECT_FALSE(body.secret("password", true, 512));
  JsonBody org = body.object("org");
  org.string("uscc", true, 18);
  body.absorb(org);
  const auto items = body.objects("lines", true, 10);
  ASSERT_EQ(items.size(), 1u);  // one describing item, so a reader's loop runs once
  JsonBody line = items[0];
  line.integer("amount_fen", true, 0, 100);
  if (body.has("reason")) body.text_block("reason", true, 500);  // guarded: optional
  JsonBody tiers = body.object("tiers");
  for (const auto& k : tiers.keys()) tiers.integer(k, true, 0, 9);
  EXPECT_FALSE(body.finish().has_value());  // a describer stops the handler that reads it

  const json::value expected = parse(R"({
    "type": "object",
    "properties": {
      "name": {"type": "string", "maxLength": 100},
      "year": {"type": "integer", "minimum": 2000, "maximum": 2200},
      "member_id": {"type": "integer", "minimum": 1, "maximum": 99, "nullable": true},
      "dry_run": {"type": "boolean", "nullable": true},
      "topics": {"type": "array", "maxItems": 20,
                 "items": {"type": "string", "maxLength": 40}, "nullable": true},
      "password": {"type": "string", "format": "password", "maxLength": 512},
      "org": {"type": "object", "properties": {"uscc": {"type": "string", "maxLength": 18}},
              "required": ["uscc"]},
      "lines": {"type": "array", "maxItems": 10,
                "items": {"type": "object",
                          "properties": {"amount_fen": {"type": "integer", "minimum": 0,
                                                        "maximum": 100}},
                          "required": ["amount_fen"]}},
      "reason": {"type": "string", "maxLength": 500, "nullable": true},
      "tiers": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0,
                                                           "maximum": 9},
                "properties": {}}
    },
    "required": ["name", "year", "password", "org", "lines", "tiers"]
  })");
  EXPECT_EQ(json::value(body.schema()), expected) << json::serialize(body.schema());
}

TEST(JsonBodyDescriber, ReadsOffAHandler) {
  for (const Route& r : make_routes()) {
    if (operation_name(r) != "POST /api/courses") continue;
    const auto described = request_schema(r);
    ASSERT_TRUE(described);
    EXPECT_TRUE(described->required);
    EXPECT_TRUE(described->complete);
    const json::object& s = described->schema;
    EXPECT_EQ(s.at("required"), parse(R"(["title"])"));
    EXPECT_EQ(s.at("properties").at("title"), parse(R"({"type":"string","maxLength":200})"));
    return;
  }
  FAIL() << "no POST /api/courses";
}

const json::object& document() { return testing::openapi_document(); }

// Routes no HTTP test reaches with a successful answer yet, so their response schema could not
// be inferred: the list only shrinks (a test that reaches one documents it).
const std::set<std::string>& not_documented_yet() {
  // Empty: every route has its response schema (the last six were documented by
  // DuesHttpTest.ABankStatementIsStoredConfirmedAndNeverRecordedTwice and
  // TrainingHttpTest.AttendanceSheetCertificatesAndTheirPublicCheck).
  static const std::set<std::string> kRoutes = {};
  return kRoutes;
}

// Every route states what it answers: new routes cannot be added without their schemas.
TEST(OpenApiDocument, EveryRouteHasItsResponsesAndBody) {
  const json::object catalogue = json::parse(openapi_responses_json()).as_object();
  const json::object& documented = catalogue.at("operations").as_object();
  std::set<std::string> seen;
  for (const Route& r : make_routes()) {
    const std::string op = operation_name(r);
    EXPECT_TRUE(seen.insert(op).second) << op << " twice in the route table";
    const auto* entry = documented.if_contains(op);
    const bool waiting = not_documented_yet().contains(op);
    EXPECT_TRUE(entry || waiting)
        << op << " has no responses in web/openapi_responses.json: run its HTTP tests with "
        << "XIEHUI_RECORD_RESPONSES and scripts/openapi_responses.py";
    EXPECT_FALSE(entry && waiting) << op << " is documented now: take it off not_documented_yet()";
    const auto body = request_schema(r);
    if (body) {
      EXPECT_TRUE(body->complete) << op << ": its handler reaches the services before it has "
                                  << "read its body; register its reader in "
                                  << "web/openapi_schemas.cpp";
    }
    if (entry && entry->as_object().contains("request_json")) {
      EXPECT_TRUE(body) << op << " takes a JSON body in the tests but documents none";
    }
  }
}

TEST(OpenApiDocument, RefsResolveAndOperationsHaveSchemas) {
  const json::object& doc = document();
  EXPECT_EQ(doc.at("openapi"), "3.0.3");
  const json::object& schemas = doc.at("components").at("schemas").as_object();
  // Every $ref names a component.
  std::vector<const json::value*> stack{&doc.at("paths"), &doc.at("components")};
  while (!stack.empty()) {
    const json::value* v = stack.back();
    stack.pop_back();
    if (const auto* o = v->if_object()) {
      if (const auto* ref = o->if_contains("$ref")) {
        const std::string_view name = ref->as_string();
        constexpr std::string_view prefix = "#/components/schemas/";
        ASSERT_TRUE(name.starts_with(prefix)) << name;
        EXPECT_TRUE(schemas.contains(name.substr(prefix.size()))) << name;
      }
      for (const auto& kv : *o) stack.push_back(&kv.value());
    } else if (const auto* a = v->if_array()) {
      for (const auto& item : *a) stack.push_back(&item);
    }
  }
}

// A document with one component, and a list of it.
const json::object& test_doc() {
  static const json::object doc = json::parse(R"({
  "components": {"schemas": {
    "Member": {"type": "object", "additionalProperties": false, "required": ["id", "name"],
               "properties": {"id": {"type": "integer", "minimum": 1},
                              "name": {"type": "string", "maxLength": 4},
                              "tier": {"type": "string", "enum": ["member", "council"]},
                              "joined_on": {"type": "string", "nullable": true},
                              "ratio": {"type": "number"}}}}}
})")
                                      .as_object();
  return doc;
}

std::vector<std::string> problems(std::string_view body) {
  const json::value list = parse(R"({"type": "object", "required": ["items"],
    "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Member"}}}})");
  return schema_problems(parse(body), list, test_doc());
}

TEST(JsonSchemaValidator, AcceptsWhatConforms) {
  EXPECT_TRUE(problems(R"({"items": []})").empty());
  EXPECT_TRUE(problems(R"({"items": [{"id": 1, "name": "湖南", "tier": "member",
                                      "joined_on": null, "ratio": 1}]})")
                  .empty());
  EXPECT_TRUE(problems(R"({"items": [{"id": 2, "name": "a", "ratio": 0.5}]})").empty());
}

TEST(JsonSchemaValidator, RejectsWrongTypesMissingAndExtraFields) {
  EXPECT_EQ(problems(R"({"items": [{"id": "1", "name": "a"}]})"),
            std::vector<std::string>{"/items/0/id: is string, expected integer"});
  EXPECT_EQ(problems(R"({"items": [{"id": 1}]})"),
            std::vector<std::string>{"/items/0: lacks the required field \"name\""});
  EXPECT_EQ(
      problems(R"({"items": [{"id": 1, "name": "a", "x": 1}]})"),
      std::vector<std::string>{"/items/0/x: is not in the schema (additionalProperties: false)"});
  EXPECT_EQ(problems(R"({"items": [{"id": 1, "name": null}]})"),
            std::vector<std::string>{"/items/0/name: is null, expected string"});
  EXPECT_EQ(problems(R"({"items": [{"id": 0, "name": "abcde", "tier": "boss"}]})").size(), 3u);
  EXPECT_EQ(problems(R"({"items": [{"id": 1.5, "name": "a"}]})").size(), 1u);
  EXPECT_EQ(problems(R"([])"), std::vector<std::string>{"(root): is array, expected object"});
  EXPECT_EQ(problems(R"({})"),
            std::vector<std::string>{"(root): lacks the required field \"items\""});
  EXPECT_EQ(
      schema_problems(parse("1"), parse(R"({"$ref": "#/components/schemas/Nope"})"), test_doc()),
      std::vector<std::string>{"(root): unresolvable $ref #/components/schemas/Nope"});
}

TEST(JsonSchemaValidator, OneOfWantsExactlyOne) {
  const json::value schema = parse(R"({"oneOf": [{"type": "integer"}, {"type": "number"}]})");
  EXPECT_TRUE(schema_problems(parse("1.5"), schema, test_doc()).empty());
  EXPECT_EQ(schema_problems(parse("1"), schema, test_doc()).size(), 1u);  // an integer is a number
  EXPECT_EQ(schema_problems(parse("\"x\""), schema, test_doc()).size(), 1u);
}

TEST(OpenApiCheck, MatchesConcretePathsToRoutes) {
  using boost::beast::http::verb;
  EXPECT_EQ(testing::operation_for(verb::get, "/api/members/12?x=1"), "GET /api/members/{id}");
  EXPECT_EQ(testing::operation_for(verb::get, "/api/members/export"), "GET /api/members/export");
  EXPECT_EQ(testing::operation_for(verb::get, "/api/nothing"), std::nullopt);
  EXPECT_EQ(testing::operation_for(verb::post, "/healthz"), std::nullopt);
}

}  // namespace
}  // namespace xiehui::web
