#include "web/client_address.hpp"

#include <boost/asio/ip/address.hpp>

#include <algorithm>

namespace xiehui::web {
namespace {

std::string trimmed(std::string_view s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

bool is_ip(const std::string& s) {
  boost::system::error_code ec;
  boost::asio::ip::make_address(s, ec);
  return !ec;
}

// "::ffff:1.2.3.4" (how a dual-stack socket reports an IPv4 client) as "1.2.3.4".
std::string plain_address(const std::string& text) {
  boost::system::error_code ec;
  const auto ip = boost::asio::ip::make_address(text, ec);
  if (ec) return text;
  if (ip.is_v6() && ip.to_v6().is_v4_mapped()) {
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, ip.to_v6()).to_string();
  }
  return ip.to_string();
}

}  // namespace

std::string client_address(const Request& req, const std::string& peer_text,
                           std::span<const std::string> trusted) {
  const std::string peer = plain_address(peer_text);
  const auto is_trusted = [&](const std::string& a) {
    return std::ranges::find(trusted, a) != trusted.end();
  };
  if (!is_trusted(peer)) return peer;
  // Only X-Forwarded-For, read from the right: the proxy appends the address it saw, so the
  // rightmost hop that is not a trusted proxy is the client. X-Real-IP is not read: a proxy
  // that does not overwrite it passes on whatever the client wrote there.
  const std::string_view forwarded = req["X-Forwarded-For"];
  std::size_t end = forwarded.size();
  while (end > 0) {
    const auto comma = forwarded.rfind(',', end - 1);
    const std::size_t begin = comma == std::string_view::npos ? 0 : comma + 1;
    const std::string hop = trimmed(forwarded.substr(begin, end - begin));
    if (!is_ip(hop)) break;
    const std::string plain = plain_address(hop);
    if (!is_trusted(plain)) return plain;
    if (comma == std::string_view::npos) break;
    end = comma;
  }
  return peer;
}

std::string rate_limit_key(const std::string& address_text) {
  const std::string address = plain_address(address_text);
  boost::system::error_code ec;
  const auto ip = boost::asio::ip::make_address(address, ec);
  if (ec || !ip.is_v6()) return address;
  auto bytes = ip.to_v6().to_bytes();
  std::fill(bytes.begin() + 8, bytes.end(), 0);
  return boost::asio::ip::address_v6(bytes).to_string() + "/64";
}

}  // namespace xiehui::web
