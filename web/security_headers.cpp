#include "web/security_headers.hpp"

namespace xiehui::web {
namespace {

void set_unless_present(Response& res, std::string_view name, std::string_view value) {
  if (res.find(name) == res.end()) res.set(name, value);
}

}  // namespace

void add_security_headers(Response& res, bool hsts) {
  set_unless_present(res, "Content-Security-Policy", kContentSecurityPolicy);
  set_unless_present(res, "X-Frame-Options", "DENY");
  set_unless_present(res, "X-Content-Type-Options", "nosniff");
  set_unless_present(res, "Referrer-Policy", "same-origin");
  if (hsts) set_unless_present(res, "Strict-Transport-Security", kStrictTransportSecurity);
}

}  // namespace xiehui::web
