#pragma once
// Checks every answer the HTTP tests receive against the OpenAPI document's schema for its
// route and status, so a writer whose JSON drifts from the document fails the test that saw it.

#include <boost/beast/http/verb.hpp>
#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xiehui::testing {

struct HttpReply;

/// The OpenAPI document of make_routes(), parsed once (an immutable function-local static).
const boost::json::object& openapi_document();

/// "GET /api/members/{id}": the operation the route table answers `target` with (the first
/// matching route of the method, as the router picks); nullopt when no route matches.
std::optional<std::string> operation_for(boost::beast::http::verb method, std::string_view target);

/// The problems of `reply` against the document (empty when it conforms, or when the target
/// is no route of the table): JSON answers against the schema of (operation, status), errors
/// against Error, other media types against the documented ones.
std::vector<std::string> reply_problems(boost::beast::http::verb method, std::string_view target,
                                        const HttpReply& reply);

/// Fails the current test with reply_problems(), each naming the operation and status. With
/// XIEHUI_RECORD_RESPONSES=DIR set, appends the reply to DIR/responses-PID.jsonl instead (the
/// input of scripts/openapi_responses.py, which writes web/openapi_responses.json).
void check_reply(boost::beast::http::verb method, std::string_view target, bool json_request,
                 const HttpReply& reply);

}  // namespace xiehui::testing
