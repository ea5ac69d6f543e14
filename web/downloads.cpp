#include "web/downloads.hpp"

#include "web/app_services.hpp"

namespace xiehui::web {

Response download(const RequestContext& ctx, std::string bytes, std::string_view content_type,
                  std::string_view ascii_name, std::string_view name) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  for (const char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '.' || c == '-' || c == '_') {
      encoded += ch;
    } else {
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 15];
    }
  }
  Response res{http::status::ok, ctx.request.version()};
  res.set(http::field::content_type, content_type);
  res.set(http::field::content_disposition,
          "attachment; filename=\"" + std::string(ascii_name) + "\"; filename*=UTF-8''" + encoded);
  res.set(http::field::cache_control, "no-store");
  res.body() = std::move(bytes);
  return res;
}

std::string public_base_url(const RequestContext& ctx) {
  if (!ctx.services.public_url.empty()) return ctx.services.public_url;
  const std::string_view host = ctx.request[http::field::host];
  // A Host header is the client's word: only a plain host[:port] makes it into a printed link.
  const bool sane = !host.empty() && host.size() <= 255 &&
                    host.find_first_not_of(
                        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                        "0123456789.-:[]") == std::string_view::npos;
  return (ctx.services.secure_cookies ? "https://" : "http://") +
         std::string(sane ? host : "localhost");
}

}  // namespace xiehui::web
