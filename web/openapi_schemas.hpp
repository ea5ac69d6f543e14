#pragma once
// Where the OpenAPI document's schemas come from. Request bodies: each route's handler run once
// in describing mode (JsonBody::describer), so the schema is read off the code that reads the
// body; the few handlers that need the services before they read are described by their DTO
// reader here. Responses: web/openapi_responses.json, inferred from the answers the HTTP tests
// receive (scripts/openapi_responses.py), which the same tests check every answer against.

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace xiehui::web {

struct Route;

/// "POST /api/courses": how the document and the tests name an operation.
std::string operation_name(const Route& route);

struct RequestSchema {
  boost::json::object schema;
  bool required = true;  ///< false: an empty body is allowed (parse_optional)
  bool complete = true;  ///< false: the handler reached the services before it finished reading
};

/// The JSON request body `route` reads, or nullopt when it reads none.
std::optional<RequestSchema> request_schema(const Route& route);

/// web/openapi_responses.json as compiled in: {"operations": {"GET /x": {"responses": {...},
/// "request_json"?: true}}, "components": {...}}.
std::string_view openapi_responses_json();

}  // namespace xiehui::web
