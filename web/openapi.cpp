#include "web/openapi.hpp"

#include <boost/json.hpp>

#include <cctype>

#include "core/version.hpp"
#include "web/router.hpp"

namespace xiehui::web {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

boost::json::object error_schema() {
  return {{"type", "object"},
          {"required", boost::json::array{"code", "message", "request_id"}},
          {"properties",
           {{"code", {{"type", "string"}}},
            {"message", {{"type", "string"}}},
            {"details", {{"type", "object"}}},
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
    boost::json::object op{
        {"summary", r.summary},
        {"x-permission", permission_name(r.access)},
        {"responses",
         {{"200", {{"description", "OK"}}},
          {"default",
           {{"description", "Error"},
            {"content",
             {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}}}}}};
    if (!params.empty()) op["parameters"] = std::move(params);
    if (!r.access.is_public())
      op["security"] = boost::json::array{{{"session", boost::json::array{}}}};
    boost::json::value& path_item = paths[r.pattern];
    if (!path_item.is_object()) path_item = boost::json::object{};
    path_item.as_object()[lower(http::to_string(r.method))] = std::move(op);
  }
  boost::json::object doc{
      {"openapi", "3.0.3"},
      {"info", {{"title", "xiehui 湖南省开发区协会 API"}, {"version", std::string(version())}}},
      {"paths", std::move(paths)},
      {"components",
       {{"schemas", {{"Error", error_schema()}}},
        {"securitySchemes",
         {{"session", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "xiehui_session"}}}}}}}};
  return boost::json::serialize(doc);
}

}  // namespace xiehui::web
