#include "web/framing.hpp"

#include <boost/beast/core/string.hpp>

#include <string>
#include <string_view>

namespace xiehui::web {

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<Error> framing_problem(const Request& req) {
  const auto te = req.count(http::field::transfer_encoding);
  const auto cl = req.count(http::field::content_length);
  const auto bad = [](std::string zh, std::string en) {
    return make_error(ErrorCode::invalid_argument, {std::move(zh), std::move(en)});
  };
  if (te > 0 && cl > 0) {
    return bad("请求不能同时带 Content-Length 和 Transfer-Encoding",
               "a request must not carry both Content-Length and Transfer-Encoding");
  }
  if (te > 1 || (te == 1 && !boost::beast::iequals(trim_ows(req[http::field::transfer_encoding]),
                                                   "chunked"))) {
    return bad("只支持 Transfer-Encoding: chunked", "only Transfer-Encoding: chunked is supported");
  }
  if (cl > 1) return bad("Content-Length 重复", "duplicate Content-Length");
  return std::nullopt;
}

}  // namespace xiehui::web
