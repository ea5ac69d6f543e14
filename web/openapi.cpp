#include "web/openapi.hpp"

#include <boost/json.hpp>

#include <cctype>

#include "core/version.hpp"
#include "web/openapi_schemas.hpp"
#include "web/router.hpp"

namespace xiehui::web {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The one shape of every error (web/error_mapping.cpp); details holds `fields` (one message
// per bad field) and, per error, figures and records.
boost::json::object error_schema() {
  return {
      {"type", "object"},
      {"required", boost::json::array{"code", "message", "details", "request_id"}},
      {"additionalProperties", false},
      {"properties",
       {{"code", {{"type", "string"}}},
        {"message", {{"type", "string"}}},
        {"details",
         {{"type", "object"},
          {"properties",
           {{"fields", {{"type", "object"}, {"additionalProperties", {{"type", "string"}}}}}}}}},
        {"request_id", {{"type", "string"}}}}}};
}

std::string permission_name(const Access& a) {
  switch (a.kind()) {
    case Access::Kind::public_route:
      return "public";
    case Access::Kind::signed_in:
      return "signed_in";
    case Access::Kind::permission:
      if (a.alternative() != a.permission()) {
        return std::string(to_string(a.permission())) + "|" +
               std::string(to_string(a.alternative()));
      }
      return std::string(to_string(a.permission()));
  }
  return "public";
}

}  // namespace

std::string build_openapi(const std::vector<Route>& routes) {
  const boost::json::object catalogue = boost::json::parse(openapi_responses_json()).as_object();
  const boost::json::object& documented = catalogue.at("operations").as_object();
  boost::json::object paths;
  for (const Route& r : routes) {
    boost::json::array params;
    std::size_t pos = 0;
    while ((pos = r.pattern.find('{', pos)) != std::string::npos) {
      const auto end = r.pattern.find('}', pos);
      params.push_back({{"name", r.pattern.substr(pos + 1, end - pos - 1)},
                        {"in", "path"},
                        {"required", true},
                        {"schema", {{"type", "string"}}}});
      pos = end;
    }
    const std::string name = operation_name(r);
    boost::json::object responses;
    if (const auto* entry = documented.if_contains(name)) {
      responses = entry->at("responses").as_object();
    } else {
      // Not in web/openapi_responses.json: the OpenAPI test names the route.
      responses["200"] = {{"description", "OK (response schema not documented yet)"}};
    }
    responses["default"] = {
        {"description", "Error"},
        {"content",
         {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
    boost::json::object op{{"summary", r.summary},
                           {"operationId", name},
                           {"x-permission", permission_name(r.access)},
                           {"responses", std::move(responses)}};
    if (auto body = request_schema(r)) {
      op["requestBody"] = {
          {"required", body->required},
          {"content", {{"application/json", {{"schema", std::move(body->schema)}}}}}};
    }
    if (!params.empty()) op["parameters"] = std::move(params);
    if (!r.access.is_public())
      op["security"] = boost::json::array{{{"session", boost::json::array{}}}};
    boost::json::value& path_item = paths[r.pattern];
    if (!path_item.is_object()) path_item = boost::json::object{};
    path_item.as_object()[lower(http::to_string(r.method))] = std::move(op);
  }
  boost::json::object schemas = catalogue.at("components").as_object();
  schemas["Error"] = error_schema();
  boost::json::object doc{
      {"openapi", "3.0.3"},
      {"info",
       {{"title", "xiehui 湖南省开发区协会 API"},
        {"version", std::string(version())},
        {"description",
         "Generated from the route table: request bodies from the handlers' readers, responses "
         "from web/openapi_responses.json (checked against every answer of the HTTP tests)."}}},
      {"servers", boost::json::array{{{"url", "/"}}}},
      {"paths", std::move(paths)},
      {"components",
       {{"schemas", std::move(schemas)},
        {"securitySchemes",
         {{"session", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "xiehui_session"}}}}}}}};
  return boost::json::serialize(doc);
}

}  // namespace xiehui::web
