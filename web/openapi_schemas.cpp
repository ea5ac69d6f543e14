#include "web/openapi_schemas.hpp"

#include <boost/json.hpp>
#include <boost/url/url_view.hpp>

#include <cctype>

#include "core/access.hpp"
#include "web/dto/dues_json.hpp"
#include "web/dto/meetings_json.hpp"
#include "web/json_body.hpp"
#include "web/router.hpp"

namespace xiehui::web {
namespace {

// The schema of one reader run on a describer.
template <class Read>
boost::json::object described(Read read) {
  JsonBody body = JsonBody::describer();
  read(body);
  return body.schema();
}

// Handlers that reach the services before they have read their whole body (to merge a change
// into the current settings, say), or that stop after one of two bodies: described by running
// their DTO readers here. Keep each to the calls the handler makes.
std::optional<RequestSchema> registered(std::string_view operation) {
  using Schema = boost::json::object (*)();
  struct Entry {
    std::string_view operation;
    Schema schema;
  };
  // Immutable, built once: a function-local static table.
  static const Entry kTable[] = {
      // Merges the change into the current settings, read before the body.
      {"PUT /api/dues/settings",
       [] { return described([](JsonBody& b) { dto::read_dues_settings(b, {}); }); }},
      {"PUT /api/meetings/settings",
       [] { return described([](JsonBody& b) { dto::read_settings(b, {}); }); }},
      // Either {"copy_from"} (another year's schedule) or a schedule.
      {"PUT /api/dues/schedules/{year}",
       [] {
         boost::json::array either{
             described([](JsonBody& b) { b.integer("copy_from", true, 2000, 2200); }),
             described([](JsonBody& b) { dto::read_schedule_input(b); })};
         return boost::json::object{{"oneOf", std::move(either)}};
       }},
  };
  for (const Entry& e : kTable) {
    if (e.operation == operation) return RequestSchema{e.schema(), true, true};
  }
  return std::nullopt;
}

}  // namespace

std::string operation_name(const Route& route) {
  std::string op(http::to_string(route.method));
  for (char& c : op) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  op += ' ';
  op += route.pattern;
  return op;
}

std::optional<RequestSchema> request_schema(const Route& route) {
  if (auto r = registered(operation_name(route))) return r;
  // The handler runs on an empty request with every path parameter "1", nobody signed in in
  // particular, and no services (services() throws NotServing): JsonBody::parse() hands it a
  // describer, whose finish() fails, so the handler returns once it has read its body.
  Request req{route.method, "/", 11};
  const boost::urls::url_view url("/");
  PathParams params;
  for (std::size_t pos = 0; (pos = route.pattern.find('{', pos)) != std::string::npos;) {
    const auto end = route.pattern.find('}', pos);
    params.emplace_back(route.pattern.substr(pos + 1, end - pos - 1), "1");
    pos = end;
  }
  const Peer peer{"127.0.0.1"};
  const Principal nobody;
  BodyDescription description;
  RequestContext ctx{req,     url,     params,  "openapi", Lang::zh,    peer,
                     nullptr, nullptr, &nobody, {},        &description};
  bool complete = true;
  try {
    (void)route.handler(ctx);
  } catch (const std::exception&) {
    complete = false;  // NotServing, most likely: see registered()
  }
  if (!description.parsed) return std::nullopt;
  return RequestSchema{description.body.schema(), !description.optional, complete};
}

}  // namespace xiehui::web
