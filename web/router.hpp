#pragma once
// Matches a request against the route table, enforces the route's Access before its handler
// runs, and is the one catch boundary: an escaping exception becomes a logged 500.

#include <boost/url/url_view.hpp>

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/access.hpp"
#include "core/error.hpp"
#include "web/http.hpp"
#include "web/json_body.hpp"
#include "web/metrics.hpp"

namespace boost::json {
class value;
}

namespace xiehui::web {

struct AppServices;
class Router;
class StaticFiles;

using PathParams = std::vector<std::pair<std::string, std::string>>;

/// Thrown by RequestContext::services() and router() while a handler runs only to describe
/// its request body (see BodyDescription): the handler reached past its body reader.
struct NotServing : std::logic_error {
  NotServing() : std::logic_error("a handler run to describe its body reached the services") {}
};

/// Filled when a handler runs in describing mode (web/openapi_schemas.cpp): JsonBody::parse()
/// hands the handler `body`, a describer, and notes that the route reads a JSON body; the
/// describer's finish() fails, so the handler returns before it acts.
struct BodyDescription {
  JsonBody body = JsonBody::describer();
  bool parsed = false;    ///< the handler parsed a JSON body
  bool optional = false;  ///< with parse_optional: an empty body is allowed
};

/// Everything a handler may use for one request.
struct RequestContext {
  const Request& request;
  const boost::urls::url_view& url;
  const PathParams& params;
  std::string_view request_id;
  Lang lang;
  const Peer& peer;
  AppServices* services_ptr;  ///< null only while describing (services() throws NotServing)
  const Router* router_ptr;   ///< likewise
  const Principal* principal = nullptr;   ///< the signed-in caller, if any
  std::string_view session_token;         ///< the cookie's token when signed in by cookie
  BodyDescription* describing = nullptr;  ///< set only by the describing pass

  AppServices& services() const {
    if (!services_ptr) throw NotServing();
    return *services_ptr;
  }
  const Router& router() const {
    if (!router_ptr) throw NotServing();
    return *router_ptr;
  }

  /// The path parameter `{name}`; empty when absent.
  std::string_view param(std::string_view name) const;
  /// The first query parameter `name`, percent-decoded.
  std::optional<std::string> query(std::string_view name) const;
  /// A JSON response with the request's HTTP version.
  Response json(http::status status, const boost::json::value& body) const;
  /// A JSON answer written already (web/json_writer.hpp).
  Response json_text(http::status status, std::string body) const;
  /// The error as a JSON error response in the request's language.
  Response error(const Error& e) const;
  /// 204 No Content.
  Response no_content() const;
  /// The signed-in caller; only called on routes whose Access requires one.
  const Principal& caller() const { return *principal; }
};

using Handler = std::function<Response(RequestContext&)>;

/// A Route::body_limit meaning "the configured upload limit" (AppConfig::upload_limit_bytes).
inline constexpr std::size_t kUploadBodyLimit = static_cast<std::size_t>(-1);

/// One endpoint. `access` has no default: every route states who may call it.
struct Route {
  http::verb method;
  std::string pattern;  ///< "/api/members/{id}"
  Access access;
  Handler handler;
  std::string summary;
  std::size_t body_limit = 0;  ///< 0: the server's default limit
  /// Never blocks (no database, no files): answered on the I/O thread. Only for routes
  /// without path parameters.
  bool runs_inline = false;
};

/// The route table of the application (web/routes.cpp).
std::vector<Route> make_routes();

/// Dispatches requests. Immutable after construction; used from many worker threads.
class Router final : public RequestHandler {
 public:
  Router(std::vector<Route> routes, AppServices& services, Metrics& metrics,
         const StaticFiles* static_files, std::size_t default_body_limit);

  /// Handles one complete request. Never throws.
  Response handle(Request&& req, const Peer& peer) override;

  /// The body limit for a request line, known before the body is read.
  std::size_t body_limit(http::verb method, std::string_view target) const override;
  bool runs_inline(http::verb method, std::string_view target) const override;

  const std::vector<Route>& routes() const { return routes_; }
  /// The OpenAPI 3 document of the route table, built once.
  const std::string& openapi() const { return openapi_; }

 private:
  struct Compiled {
    std::vector<std::string> segments;  // "{name}" marks a parameter
    RouteStats* stats;
  };
  struct Match {
    const Route* route = nullptr;
    RouteStats* stats = nullptr;
    PathParams params;
    std::vector<std::string_view> allowed;  // methods of routes whose path matched
  };

  struct Caller {
    std::optional<Principal> principal;
    std::string session_token;  // set when authenticated by cookie
    bool presented = false;     // a cookie or bearer token was sent
    /// Set when the credential could not be checked (the database is down): the request is
    /// answered with it (503), never as if the caller had not signed in.
    std::optional<Error> failure;
  };

  Match match(http::verb method, const std::vector<std::string>& segments) const;
  Caller authenticate(const Request& req, const Peer& peer) const;
  std::optional<Error> check_csrf(const Request& req, const Caller& caller) const;
  Response dispatch(Request& req, const boost::urls::url_view& url, const Peer& peer,
                    std::string_view request_id, Lang lang, RouteStats*& stats);

  std::vector<Route> routes_;
  std::vector<Compiled> compiled_;
  AppServices& services_;
  Metrics& metrics_;
  const StaticFiles* static_files_;
  std::size_t default_body_limit_;
  RouteStats* static_stats_;
  RouteStats* unmatched_stats_;
  std::string openapi_;
  std::vector<std::pair<http::verb, std::string>> inline_routes_;
};

}  // namespace xiehui::web
