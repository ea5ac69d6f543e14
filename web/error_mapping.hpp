#pragma once
// The only place that knows HTTP status numbers for errors.

#include <string_view>

#include "core/error.hpp"
#include "web/http.hpp"

namespace xiehui::web {

/// The status for an ErrorCode (400, 401, 403, 404, 409, 409, 429, 413, 405, 431, 503, 500).
http::status status_of(ErrorCode code);

/// A JSON error response: {"code","message","details":{"fields":{...}},"request_id"}.
Response error_response(const Error& error, Lang lang, std::string_view request_id,
                        unsigned http_version = 11);

}  // namespace xiehui::web
