#pragma once
// The address a request came from. Behind nginx every connection comes from nginx, so the
// client's address is taken from X-Forwarded-For — but only when the connection itself comes
// from a trusted proxy, since anyone can send that header. nginx must append to it:
// `proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;`.

#include <span>
#include <string>

#include "web/http.hpp"

namespace xiehui::web {

/// `peer` unless it is one of `trusted_proxies`; then the rightmost X-Forwarded-For entry that
/// is not itself a trusted proxy. IPv4-mapped IPv6 addresses are given as IPv4.
std::string client_address(const Request& req, const std::string& peer,
                           std::span<const std::string> trusted_proxies);

/// The part of an address that identifies one client for rate limits: an IPv4 address as it
/// is, an IPv6 address by its /64 (one subscriber's network; the rest is free to vary).
std::string rate_limit_key(const std::string& address);

}  // namespace xiehui::web
