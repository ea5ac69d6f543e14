// Raw bytes as an HTTP request: Beast's parser with the server's limits and framing rules, then
// the router and every handler of a real App on SQLite with the demo data. Never a crash, never
// a 500; every answer is a well-formed response. "@A@" and "@M@" in the input become the API
// tokens of the demo admin and of a member unit, so the corpus reaches signed-in handlers.

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "services/demo/demo_seed.hpp"
#include "tests/fuzz/fuzz_check.hpp"
#include "web/app.hpp"
#include "web/framing.hpp"

namespace web = xiehui::web;
namespace http = web::http;

namespace {

struct Fixture {
  xiehui::SystemClock clock;
  std::unique_ptr<web::App> app;
  std::string admin_token, member_token;
};

std::string api_token(web::App& app, const char* username, const char* password) {
  auto login = app.auth().login(username, password, "127.0.0.1", "fuzz");
  FUZZ_CHECK(login.has_value());
  auto who = app.auth().authenticate_session(login->token, "127.0.0.1");
  FUZZ_CHECK(who.has_value());
  auto token = app.auth().create_token(*who, "fuzz");
  FUZZ_CHECK(token.has_value());
  return token->second;
}

Fixture& fixture() {
  static Fixture* f = [] {
    spdlog::set_level(spdlog::level::off);
    auto* fx = new Fixture;
    const auto dir =
        std::filesystem::temp_directory_path() / ("xiehui-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    xiehui::AppConfig config;
    config.db = "sqlite3://db=" + (dir / "xiehui.db").string();
    config.data_dir = (dir / "data").string();
    config.ui_dir = "/nonexistent-ui-dir";
    config.dues_daily_run = false;
    config.scheduler = false;
    config.db_pool_size = 2;
    auto app = web::App::create(config, fx->clock);
    FUZZ_CHECK(app.has_value());
    fx->app = std::move(*app);
    auto seeded = xiehui::demo::seed_demo(fx->app->database(), fx->app->accounts(),
                                          fx->app->membership(), fx->clock);
    FUZZ_CHECK(seeded.has_value());
    fx->admin_token = api_token(*fx->app, "admin", "Demo-Admin-2026");
    fx->member_token = api_token(*fx->app, "changsha", "Demo-Member-2026");
    return fx;
  }();
  return *f;
}

void replace_all(std::string& text, std::string_view from, std::string_view to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)fixture();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 64 * 1024) return -1;
  Fixture& fx = fixture();
  std::string bytes(reinterpret_cast<const char*>(data), size);
  replace_all(bytes, "@A@", fx.admin_token);
  replace_all(bytes, "@M@", fx.member_token);

  // As a Session reads: the header with its limit, the framing checks, then the body with the
  // route's limit. Requests the server would refuse before routing stop here.
  http::request_parser<http::string_body> parser;
  parser.header_limit(16 * 1024);
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  parser.eager(false);
  boost::beast::error_code ec;
  std::size_t used = parser.put(boost::asio::buffer(bytes), ec);
  if (ec && ec != http::error::need_more) return 0;
  if (!parser.is_header_done()) return 0;
  if (web::framing_problem(parser.get())) return 0;
  const std::size_t limit =
      fx.app->handler().body_limit(parser.get().method(), parser.get().target());
  if (auto length = parser.content_length(); length && *length > limit) return 0;
  parser.body_limit(limit);
  parser.eager(true);
  while (!parser.is_done() && used < bytes.size()) {
    const std::size_t n =
        parser.put(boost::asio::buffer(bytes.data() + used, bytes.size() - used), ec);
    if (ec && ec != http::error::need_more) return 0;
    if (n == 0) break;
    used += n;
  }
  if (!parser.is_done()) {
    parser.put_eof(ec);
    if (ec || !parser.is_done()) return 0;
  }

  web::Response res = fx.app->handler().handle(parser.release(), web::Peer{"127.0.0.1"});
  FUZZ_CHECK(res.result_int() >= 200 && res.result_int() < 600);
  FUZZ_CHECK(res.result() != http::status::internal_server_error);
  res.prepare_payload();
  std::string wire;
  http::response_serializer<http::string_body> serializer(res);
  while (!serializer.is_done()) {
    serializer.next(ec, [&](boost::beast::error_code&, const auto& buffers) {
      for (const auto& b : buffers) wire.append(static_cast<const char*>(b.data()), b.size());
      serializer.consume(boost::asio::buffer_size(buffers));
    });
    FUZZ_CHECK(!ec);
  }
  FUZZ_CHECK(wire.starts_with("HTTP/1."));
  return 0;
}
