#pragma once
// The session cookie: its name, reading it from a Cookie header, writing Set-Cookie.

#include <optional>
#include <string>
#include <string_view>

namespace xiehui::web {

inline constexpr std::string_view kSessionCookie = "xiehui_session";

/// The value of cookie `name` in a Cookie header ("a=1; xiehui_session=…").
std::optional<std::string_view> cookie_value(std::string_view header, std::string_view name);

/// Set-Cookie for a new session: HttpOnly, SameSite=Lax, Path=/, Secure when `secure`.
std::string session_cookie(std::string_view token, bool secure);

/// Set-Cookie that deletes the session cookie.
std::string expired_session_cookie(bool secure);

}  // namespace xiehui::web
