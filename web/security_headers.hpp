#pragma once
// The headers that tell browsers to lock the site down: no framing, no MIME sniffing, no
// scripts but our own files, referrers kept on our origin, and HTTPS only once it is on.

#include <string>
#include <string_view>

#include "web/http.hpp"

namespace xiehui::web {

/// The Content-Security-Policy of every response. The UI (Vite build, web/ui/dist) loads only
/// its own files and has no inline script; Element Plus and ECharts set style attributes, so
/// inline styles are allowed; QR codes are inline SVG, images may be data: or blob: URLs.
inline constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// Strict-Transport-Security when `hsts` (the site is served over HTTPS: secure_cookies).
inline constexpr std::string_view kStrictTransportSecurity = "max-age=31536000; includeSubDomains";

/// The status line and header block of `res` as they go on the wire (ending in the empty line),
/// with Content-Security-Policy, X-Frame-Options: DENY, X-Content-Type-Options: nosniff,
/// Referrer-Policy: same-origin and, when `hsts`, Strict-Transport-Security appended. A header
/// the response already carries is left as it is, so a handler can set its own.
std::string wire_header(const Response& res, bool hsts);

}  // namespace xiehui::web
