#include "tests/support/openapi_check.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <unistd.h>
#include <cctype>
#include <cstdlib>
#include <fstream>

#include "tests/support/http_client.hpp"
#include "tests/support/json_schema.hpp"
#include "web/openapi.hpp"
#include "web/router.hpp"

namespace xiehui::testing {
namespace {

namespace json = boost::json;

std::vector<std::string_view> segments_of(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto slash = path.find('/', start);
    const auto end = slash == std::string_view::npos ? path.size() : slash;
    out.push_back(path.substr(start, end - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return out;
}

bool matches(std::string_view pattern, std::string_view path) {
  const auto want = segments_of(pattern);
  const auto got = segments_of(path);
  if (want.size() != got.size()) return false;
  for (std::size_t i = 0; i < want.size(); ++i) {
    const bool param = want[i].size() > 2 && want[i].front() == '{' && want[i].back() == '}';
    if (param ? got[i].empty() : want[i] != got[i]) return false;
  }
  return true;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "application/json; charset=utf-8" → "application/json".
std::string media_type(std::string_view content_type) {
  std::string_view t = content_type.substr(0, content_type.find(';'));
  while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  return lower(t);
}

std::string body_of(const HttpReply& reply) {
  if (reply.header("Content-Encoding") == "gzip") return gunzip(reply.body);
  return reply.body;
}

void record(std::string_view op, bool json_request, const HttpReply& reply, const char* dir) {
  const std::string type = media_type(reply.header("Content-Type"));
  json::object line{
      {"op", op}, {"status", reply.status}, {"type", type}, {"request_json", json_request}};
  if (type == "application/json") {
    boost::system::error_code ec;
    json::value body = json::parse(body_of(reply), ec);
    if (!ec) line["body"] = std::move(body);
  }
  std::string path = dir;
  path += "/responses-";
  path += std::to_string(::getpid());
  path += ".jsonl";
  std::ofstream out(path, std::ios::app);
  out << json::serialize(line) << '\n';
}

}  // namespace

const json::object& openapi_document() {
  // Immutable once built; the route table is the one the server runs.
  static const json::object doc = json::parse(web::build_openapi(web::make_routes())).as_object();
  return doc;
}

std::optional<std::string> operation_for(boost::beast::http::verb method, std::string_view target) {
  const std::string_view path = target.substr(0, target.find('?'));
  // The route table never changes: built once (an immutable function-local static).
  static const std::vector<web::Route> routes = web::make_routes();
  for (const web::Route& r : routes) {
    if (r.method != method || !matches(r.pattern, path)) continue;
    std::string op = upper(boost::beast::http::to_string(method));
    op += " ";
    op += r.pattern;
    return op;
  }
  return std::nullopt;
}

std::vector<std::string> reply_problems(boost::beast::http::verb method, std::string_view target,
                                        const HttpReply& reply) {
  std::vector<std::string> problems;
  const json::object& doc = openapi_document();
  const std::string type = media_type(reply.header("Content-Type"));
  const json::value error_ref{{"$ref", "#/components/schemas/Error"}};
  const auto check_json = [&](const json::value& schema) {
    boost::system::error_code ec;
    const json::value body = json::parse(body_of(reply), ec);
    if (ec) {
      problems.emplace_back(std::string_view("the body is not JSON"));
      return;
    }
    for (auto& p : schema_problems(body, schema, doc)) problems.push_back(std::move(p));
  };
  const auto op = operation_for(method, target);
  if (reply.status >= 400) {
    // Errors of every route (and of paths no route matches) share one shape.
    if (type == "application/json") check_json(error_ref);
    return problems;
  }
  if (!op) return problems;
  const auto space = op->find(' ');
  const json::object* operation = nullptr;
  if (const auto* item = doc.at("paths").as_object().if_contains(op->substr(space + 1))) {
    if (const auto* o = item->as_object().if_contains(lower(op->substr(0, space)))) {
      operation = &o->as_object();
    }
  }
  if (!operation) {
    problems.emplace_back(std::string_view("the operation is not in the document"));
    return problems;
  }
  const json::value* response =
      operation->at("responses").as_object().if_contains(std::to_string(reply.status));
  if (!response) {
    std::string problem = "status ";
    problem += std::to_string(reply.status);
    problem += " is not documented";
    problems.push_back(std::move(problem));
    return problems;
  }
  const auto* content = response->as_object().if_contains("content");
  if (!content) {
    if (!reply.body.empty())
      problems.emplace_back(std::string_view("a body where the document has none"));
    return problems;
  }
  const auto* media = content->as_object().if_contains(type);
  if (!media) {
    std::string problem = "media type \"";
    problem += type;
    problem += "\" is not documented (";
    problem += json::serialize(*content).substr(0, 200);
    problem += ")";
    problems.push_back(std::move(problem));
    return problems;
  }
  if (type == "application/json") {
    if (const auto* schema = media->as_object().if_contains("schema")) check_json(*schema);
  }
  return problems;
}

void check_reply(boost::beast::http::verb method, std::string_view target, bool json_request,
                 const HttpReply& reply) {
  using boost::beast::http::verb;
  if (reply.status == 0 || method == verb::head || method == verb::options) return;
  if (const char* dir = std::getenv("XIEHUI_RECORD_RESPONSES"); dir && *dir) {
    if (auto op = operation_for(method, target)) record(*op, json_request, reply, dir);
    return;
  }
  const auto problems = reply_problems(method, target, reply);
  if (problems.empty()) return;
  const std::string op = operation_for(method, target).value_or(std::string(target));
  std::string message = "the answer does not match the OpenAPI document: ";
  message += op;
  message += " → ";
  message += std::to_string(reply.status);
  for (const auto& p : problems) {
    message += "\n  ";
    message += p;
  }
  ADD_FAILURE() << message;
}

}  // namespace xiehui::testing
