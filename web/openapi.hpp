#pragma once
// The OpenAPI 3 document, generated from the route table so it grows with every endpoint.

#include <string>
#include <vector>

namespace xiehui::web {

struct Route;

/// Serialised OpenAPI 3.0 JSON: one operation per route with its path parameters, summary and
/// the permission it requires (`x-permission`, or `public`).
std::string build_openapi(const std::vector<Route>& routes);

}  // namespace xiehui::web
