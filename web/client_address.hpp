#pragma once
// The address a request came from. Behind nginx every connection comes from nginx, so the
// client's address is taken from X-Real-IP / X-Forwarded-For — but only when the connection
// itself comes from a trusted proxy, since anyone can send those headers.

#include <span>
#include <string>

#include "web/http.hpp"

namespace xiehui::web {

/// `peer` unless it is one of `trusted_proxies`; then X-Real-IP if present, else the rightmost
/// X-Forwarded-For entry that is not itself a trusted proxy. A header value that is not an
/// IP address is ignored.
std::string client_address(const Request& req, const std::string& peer,
                           std::span<const std::string> trusted_proxies);

/// The part of an address that identifies one client for rate limits: an IPv4 address as it
/// is, an IPv6 address by its /64 (one subscriber's network; the rest is free to vary).
std::string rate_limit_key(const std::string& address);

}  // namespace xiehui::web
