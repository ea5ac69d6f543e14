#include "web/router.hpp"

#include "web/client_address.hpp"

#include <spdlog/spdlog.h>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>

#include <random>

#include "core/crypto.hpp"
#include "services/accounts/auth_service.hpp"
#include "web/app_services.hpp"
#include "web/cookies.hpp"
#include "web/error_mapping.hpp"
#include "web/openapi.hpp"
#include "web/static_files.hpp"

namespace xiehui::web {
namespace {

std::vector<std::string> split_pattern(std::string_view pattern) {
  std::vector<std::string> out;
  std::size_t pos = 1;
  while (pos <= pattern.size()) {
    const auto next = pattern.find('/', pos);
    const auto end = next == std::string_view::npos ? pattern.size() : next;
    out.emplace_back(pattern.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

bool valid_request_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (const char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

Error method_not_allowed() {
  return make_error(ErrorCode::method_not_allowed,
                    {"该地址不支持此请求方法", "This method is not allowed on this resource"});
}

Error no_such_path() {
  return make_error(ErrorCode::not_found, {"请求的地址不存在", "No such resource"});
}

Error sign_in_first() {
  return make_error(ErrorCode::unauthenticated, {"请先登录", "Please sign in first"});
}

Error forbidden() {
  return make_error(ErrorCode::permission_denied,
                    {"您没有执行此操作的权限", "You do not have permission to do this"});
}

Error two_factor_first() {
  return make_error(ErrorCode::two_factor_required,
                    {"请先启用两步验证", "Set up two-factor sign-in first"});
}

// What a session that must set up a second factor may still reach: itself, its own account's
// security (the setup) and the privacy notice.
bool open_before_two_factor(std::string_view pattern) {
  return pattern == "/api/session" || pattern.starts_with("/api/account/") ||
         pattern.starts_with("/api/privacy/");
}

Error csrf_failed() {
  return make_error(ErrorCode::permission_denied,
                    {"请求校验失败（CSRF），请刷新页面后重试",
                     "Request verification (CSRF) failed: reload the page and try again"});
}

bool unsafe(http::verb v) {
  return v != http::verb::get && v != http::verb::head && v != http::verb::options;
}

}  // namespace

std::string_view RequestContext::param(std::string_view name) const {
  for (const auto& [k, v] : params) {
    if (k == name) return v;
  }
  return {};
}

std::optional<std::string> RequestContext::query(std::string_view name) const {
  auto it = url.params().find(name);
  if (it == url.params().end()) return std::nullopt;
  return std::string((*it).value);
}

Response RequestContext::json(http::status status, const boost::json::value& body) const {
  return json_text(status, boost::json::serialize(body));
}

Response RequestContext::json_text(http::status status, std::string body) const {
  Response res{status, request.version()};
  res.set(http::field::content_type, "application/json; charset=utf-8");
  res.set(http::field::cache_control, "no-store");
  res.body() = std::move(body);
  return res;
}

Response RequestContext::error(const Error& e) const {
  return error_response(e, lang, request_id, request.version());
}

Response RequestContext::no_content() const {
  Response res{http::status::no_content, request.version()};
  res.set(http::field::cache_control, "no-store");
  return res;
}

Router::Router(std::vector<Route> routes, AppServices& services, Metrics& metrics,
               const StaticFiles* static_files, std::size_t default_body_limit)
    : routes_(std::move(routes)),
      services_(services),
      metrics_(metrics),
      static_files_(static_files),
      default_body_limit_(default_body_limit) {
  for (const Route& r : routes_) {
    compiled_.push_back({split_pattern(r.pattern),
                         &metrics_.add_route(std::string(http::to_string(r.method)), r.pattern)});
  }
  for (const Route& r : routes_) {
    if (r.runs_inline) inline_routes_.emplace_back(r.method, r.pattern);
  }
  static_stats_ = &metrics_.add_route("GET", "static");
  unmatched_stats_ = &metrics_.add_route("ANY", "unmatched");
  // The document is the API's route table: routes a test adds to the App are not part of it,
  // and their handlers are not run to describe their bodies (web/openapi_schemas.cpp).
  openapi_ = build_openapi(make_routes());
}

Router::Match Router::match(http::verb method, const std::vector<std::string>& segments) const {
  Match result;
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    const auto& pattern = compiled_[i].segments;
    if (pattern.size() != segments.size()) continue;
    PathParams params;
    bool ok = true;
    for (std::size_t s = 0; s < pattern.size() && ok; ++s) {
      const std::string& p = pattern[s];
      if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
        if (segments[s].empty())
          ok = false;
        else
          params.emplace_back(p.substr(1, p.size() - 2), segments[s]);
      } else {
        ok = p == segments[s];
      }
    }
    if (!ok) continue;
    if (routes_[i].method == method) {
      result.route = &routes_[i];
      result.stats = compiled_[i].stats;
      result.params = std::move(params);
      return result;
    }
    result.allowed.push_back(http::to_string(routes_[i].method));
  }
  return result;
}

std::size_t Router::body_limit(http::verb method, std::string_view target) const {
  auto url = boost::urls::parse_origin_form(target);
  if (!url) return default_body_limit_;
  std::vector<std::string> segments;
  for (auto seg : url->segments()) segments.push_back(seg);
  const Match m = match(method, segments);
  if (m.route && m.route->body_limit != 0) return m.route->body_limit;
  return default_body_limit_;
}

bool Router::runs_inline(http::verb method, std::string_view target) const {
  const std::string_view path = target.substr(0, target.find('?'));
  for (const auto& [verb, pattern] : inline_routes_) {
    if (verb == method && pattern == path) return true;
  }
  return false;
}

Response Router::handle(Request&& req, const Peer& peer) {
  const auto started = std::chrono::steady_clock::now();
  const std::string request_id = request_id_for(req["X-Request-Id"]);
  const Lang lang = language_of(req);
  RouteStats* stats = unmatched_stats_;
  Response res;
  auto url = boost::urls::parse_origin_form(req.target());
  try {
    if (!url) {
      res = error_response(
          make_error(ErrorCode::invalid_argument, {"请求地址格式错误", "Malformed request target"}),
          lang, request_id, req.version());
    } else {
      const Peer client{client_address(req, peer.address, services_.trusted_proxies)};
      res = dispatch(req, *url, client, request_id, lang, stats);
    }
  } catch (const std::exception& e) {
    spdlog::error("unhandled exception, request {}: {}", request_id, e.what());
    res = error_response(internal_error(), lang, request_id, req.version());
  } catch (...) {
    spdlog::error("unhandled non-standard exception, request {}", request_id);
    res = error_response(internal_error(), lang, request_id, req.version());
  }
  res.set("X-Request-Id", request_id);
  const auto elapsed = std::chrono::steady_clock::now() - started;
  stats->observe(res.result_int(), elapsed);
  // Liveness probes (the inline routes) come every few seconds from every balancer: logged at
  // debug, so the access log shows people's requests and a probe costs no log write.
  const auto level = runs_inline(req.method(), req.target()) && res.result_int() < 400
                         ? spdlog::level::debug
                         : spdlog::level::info;
  spdlog::log(level, "{} {} {} {:.2f}ms {}", req.method_string(),
              url ? std::string_view(url->encoded_path()) : std::string_view("-"), res.result_int(),
              std::chrono::duration<double, std::milli>(elapsed).count(), request_id);
  return res;
}

Response Router::dispatch(Request& req, const boost::urls::url_view& url, const Peer& peer,
                          std::string_view request_id, Lang lang, RouteStats*& stats) {
  std::vector<std::string> segments;
  for (auto seg : url.segments()) segments.push_back(seg);
  Match m = match(req.method(), segments);
  if (!m.route) {
    const bool api = !segments.empty() && segments.front() == "api";
    const bool readable = req.method() == http::verb::get || req.method() == http::verb::head;
    if (m.allowed.empty() && !api && readable && static_files_) {
      stats = static_stats_;
      return static_files_->serve(req, url);
    }
    if (!m.allowed.empty()) {
      Response res = error_response(method_not_allowed(), lang, request_id, req.version());
      std::string allow;
      for (auto a : m.allowed) allow += (allow.empty() ? "" : ", ") + std::string(a);
      res.set(http::field::allow, allow);
      return res;
    }
    return error_response(no_such_path(), lang, request_id, req.version());
  }
  stats = m.stats;
  // An inline route runs on an I/O thread: no credential check, which could reach the database.
  const Caller caller = m.route->runs_inline ? Caller{} : authenticate(req, peer);
  if (caller.failure) return error_response(*caller.failure, lang, request_id, req.version());
  const Principal* principal = caller.principal ? &*caller.principal : nullptr;
  if (!m.route->access.allows(principal)) {
    if (!principal) return error_response(sign_in_first(), lang, request_id, req.version());
    services_.auth.audit_refusal(*principal, req.method_string(), url.encoded_path(),
                                 m.route->pattern);
    return error_response(forbidden(), lang, request_id, req.version());
  }
  if (principal && principal->needs_two_factor && !open_before_two_factor(m.route->pattern)) {
    return error_response(two_factor_first(), lang, request_id, req.version());
  }
  if (!m.route->access.is_public()) {
    if (auto e = check_csrf(req, caller)) {
      return error_response(*e, lang, request_id, req.version());
    }
  }
  RequestContext ctx{req,  url,        m.params, request_id, lang,
                     peer, &services_, this,     principal,  caller.session_token};
  Response res = m.route->handler(ctx);
  // Row-level refusals come from services (a leader changing a unit, a member another unit's
  // fields): audited like the router's own.
  if (principal && res.result() == http::status::forbidden) {
    services_.auth.audit_refusal(*principal, req.method_string(), url.encoded_path(),
                                 m.route->pattern);
  }
  return res;
}

Router::Caller Router::authenticate(const Request& req, const Peer& peer) const {
  Caller caller;
  const std::string_view authorization = req[http::field::authorization];
  if (authorization.starts_with("Bearer ")) {
    caller.presented = true;
    auto p = services_.auth.authenticate_token(authorization.substr(7), peer.address);
    if (p) {
      caller.principal = std::move(*p);
    } else if (p.error().code != ErrorCode::unauthenticated) {
      caller.failure = p.error();
    }
    return caller;
  }
  const auto token = cookie_value(req[http::field::cookie], kSessionCookie);
  if (!token) return caller;
  caller.presented = true;
  auto p = services_.auth.authenticate_session(*token, peer.address);
  if (p) {
    caller.principal = std::move(*p);
    caller.session_token = std::string(*token);
  } else if (p.error().code != ErrorCode::unauthenticated) {
    caller.failure = p.error();
  }
  return caller;
}

// Cookie-authenticated unsafe requests must come from our own pages: the Origin, when sent,
// names this host, and the X-CSRF-Token header matches the session's token.
std::optional<Error> Router::check_csrf(const Request& req, const Caller& caller) const {
  if (caller.session_token.empty() || !unsafe(req.method())) return std::nullopt;
  const std::string_view origin = req[http::field::origin];
  if (!origin.empty()) {
    const std::string_view host = req[http::field::host];
    if (origin != "http://" + std::string(host) && origin != "https://" + std::string(host)) {
      return csrf_failed();
    }
  }
  const std::string expected = accounts::AuthService::csrf_for(caller.session_token);
  if (!constant_time_equal(req["X-CSRF-Token"], expected)) return csrf_failed();
  return std::nullopt;
}

std::string request_id_for(std::string_view incoming) {
  if (valid_request_id(incoming)) return std::string(incoming);
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return fmt::format("{:016x}", rng());
}

Lang language_of(const Request& req) {
  const auto value = req[http::field::accept_language];
  const auto first = value.substr(0, value.find_first_of(",;"));
  if (first.size() >= 2 && (first[0] == 'e' || first[0] == 'E') &&
      (first[1] == 'n' || first[1] == 'N')) {
    return Lang::en;
  }
  return Lang::zh;
}

}  // namespace xiehui::web
