#include "web/cookies.hpp"

namespace xiehui::web {

std::optional<std::string_view> cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const auto end = header.find(';');
    std::string_view pair = header.substr(0, end);
    header = end == std::string_view::npos ? std::string_view{} : header.substr(end + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) return pair.substr(eq + 1);
  }
  return std::nullopt;
}

// Appended piece by piece: GCC 12 warns falsely (-Warray-bounds) on `std::string + "literal"`
// chains once they are inlined into a larger translation unit (the unity build).
std::string session_cookie(std::string_view token, bool secure) {
  std::string c(kSessionCookie);
  c.append("=").append(token).append("; Path=/; HttpOnly; SameSite=Lax");
  if (secure) c.append("; Secure");
  return c;
}

std::string expired_session_cookie(bool secure) {
  std::string c(kSessionCookie);
  c.append("=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT");
  if (secure) c.append("; Secure");
  return c;
}

}  // namespace xiehui::web
