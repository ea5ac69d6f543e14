#pragma once
// The message-framing rules a request must pass before its body is read: our Beast predates
// upstream's framing fixes, so what could smuggle a second request is refused here.

#include <optional>
#include <string_view>

#include "core/error.hpp"
#include "web/http.hpp"

namespace xiehui::web {

/// `s` without the optional whitespace (spaces, tabs) HTTP allows around a header value or a
/// list item.
std::string_view trim_ows(std::string_view s);

/// invalid_argument when the header carries both Content-Length and Transfer-Encoding, a
/// Transfer-Encoding other than one "chunked", or Content-Length twice; nullopt when it is sound.
std::optional<Error> framing_problem(const Request& req);

}  // namespace xiehui::web
