#include "web/security_headers.hpp"

#include <boost/beast/core/string.hpp>

#include <array>
#include <charconv>

namespace xiehui::web {
namespace {

struct Default {
  std::string_view name;
  std::string_view value;
};

constexpr std::array<Default, 5> kDefaults{{
    {"Content-Security-Policy", kContentSecurityPolicy},
    {"X-Frame-Options", "DENY"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "same-origin"},
    {"Strict-Transport-Security", kStrictTransportSecurity},
}};

void append_field(std::string& out, std::string_view name, std::string_view value) {
  out.append(name).append(": ").append(value).append("\r\n");
}

}  // namespace

// Beast's serializer walks a buffer sequence of every field (several buffers each) on every
// write_some; one contiguous block is cheaper to build and to send, and the security headers go
// straight into it instead of each costing a field allocation.
std::string wire_header(const Response& res, bool hsts) {
  std::string out;
  out.reserve(512 + kContentSecurityPolicy.size());
  out.append(res.version() == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
  std::array<char, 4> code{};
  std::to_chars(code.data(), code.data() + 3, res.result_int() % 1000);
  out.append(code.data(), 3).append(" ").append(res.reason()).append("\r\n");
  std::array<bool, kDefaults.size()> present{};
  present.back() = !hsts;
  for (const auto& field : res) {
    const std::string_view name = field.name_string();
    for (std::size_t i = 0; i < kDefaults.size(); ++i) {
      if (name.size() == kDefaults[i].name.size() &&
          boost::beast::iequals(name, kDefaults[i].name)) {
        present[i] = true;
      }
    }
    append_field(out, name, field.value());
  }
  for (std::size_t i = 0; i < kDefaults.size(); ++i) {
    if (!present[i]) append_field(out, kDefaults[i].name, kDefaults[i].value);
  }
  out.append("\r\n");
  return out;
}

}  // namespace xiehui::web
