#include "core/config.hpp"

#include <charconv>
#include <regex>

namespace xiehui {

Result<ListenAddress> parse_listen_address(std::string_view text) {
  const auto bad = [&] {
    return make_error(
        ErrorCode::invalid_argument,
        {"监听地址应为 主机:端口，例如 127.0.0.1:8080：" + std::string(text),
         "listen address must be HOST:PORT, e.g. 127.0.0.1:8080: " + std::string(text)});
  };
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::unexpected(bad());
  std::string_view host = text.substr(0, colon);
  const std::string_view port_text = text.substr(colon + 1);
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') return std::unexpected(bad());
    host = host.substr(1, host.size() - 2);
  }
  unsigned port = 0;
  const auto [end, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc{} || end != port_text.data() + port_text.size() || port > 65535 ||
      port_text.empty()) {
    return std::unexpected(bad());
  }
  return ListenAddress{std::string(host), static_cast<std::uint16_t>(port)};
}

std::string redact_connection_string(std::string_view conn) {
  static const std::regex kPassword(R"((password|pass|pwd)\s*=\s*('[^']*'|"[^"]*"|\S+))",
                                    std::regex::icase);
  return std::regex_replace(std::string(conn), kPassword, "$1=***");
}

}  // namespace xiehui
