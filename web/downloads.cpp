#include "web/downloads.hpp"

#include "web/app_services.hpp"
#include "web/error_mapping.hpp"
#include "web/static_files.hpp"

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

std::optional<Response> table_download(RequestContext& ctx,
                                       const std::function<Result<Table>()>& table,
                                       const std::string& ascii_name, const std::string& name) {
  const auto format = ctx.query("format");
  if (!format || format->empty() || *format == "json") return std::nullopt;
  if (*format != "xlsx" && *format != "csv") {
    return ctx.error(invalid_fields({{"format", {"应为 xlsx 或 csv", "must be xlsx or csv"}}}));
  }
  auto t = table();
  if (!t) return ctx.error(t.error());
  auto bytes = *format == "csv" ? Result<std::string>(to_csv(*t)) : to_xlsx(*t, name);
  if (!bytes) return ctx.error(bytes.error());
  return download(ctx, std::move(*bytes),
                  *format == "csv" ? "text/csv; charset=utf-8" : mime_type("x.xlsx"),
                  ascii_name + "." + *format, name + "." + *format);
}

std::string public_base_url(const RequestContext& ctx) {
  if (!ctx.services().public_url.empty()) return ctx.services().public_url;
  const std::string_view host = ctx.request[http::field::host];
  // A Host header is the client's word: only a plain host[:port] makes it into a printed link.
  const bool sane = !host.empty() && host.size() <= 255 &&
                    host.find_first_not_of(
                        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                        "0123456789.-:[]") == std::string_view::npos;
  return (ctx.services().secure_cookies ? "https://" : "http://") +
         std::string(sane ? host : "localhost");
}

}  // namespace xiehui::web
