// A database outage reads as an outage: the test stops a MariaDB server of its own under a
// running xiehui and starts it again on the same port. Signed-in requests answer 503 (never
// 401, which would send every user to the login page) while it is down, and normal answers
// come back within seconds after, without restarting xiehui.

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <boost/json.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "services/accounts/accounts_service.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/running_app.hpp"
#include "tests/support/test_database.hpp"

namespace xiehui::testing {
namespace {

namespace fs = std::filesystem;

const std::string kScript = std::string(XIEHUI_SOURCE_DIR) + "/scripts/mariadb_test_server.sh";

// A MariaDB server in a temporary folder, stopped however the test ends.
class OwnMariaDb {
 public:
  OwnMariaDb() : dir_(fs::temp_directory_path() / ("xiehui-outage-" + std::to_string(getpid()))) {}
  ~OwnMariaDb() { stop(); }

  bool start(const std::string& port = {}) {
    const std::string cmd = "bash '" + kScript + "' start '" + dir_.string() + "' " + port + " >'" +
                            dir_.string() + ".out' 2>&1";
    return std::system(cmd.c_str()) == 0;
  }
  void stop() {
    const std::string cmd = "bash '" + kScript + "' stop '" + dir_.string() + "' >/dev/null 2>&1";
    (void)std::system(cmd.c_str());
  }
  std::string port() const {
    std::ifstream in(dir_ / "port");
    std::string p;
    in >> p;
    return p;
  }
  std::string log() const {
    std::ifstream in(dir_.string() + ".out");
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

 private:
  fs::path dir_;
};

std::string code_of(const std::string& body) {
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  if (ec || !v.is_object() || !v.as_object().contains("code")) return "<no code: " + body + ">";
  return std::string(v.as_object().at("code").as_string());
}

TEST(DatabaseOutage, SignedInRequestsAre503WhileMariaDbIsDownAndRecoverWithoutARestart) {
  const auto backends = test_backends();  // fails under CI without MariaDB
  if (std::find(backends.begin(), backends.end(), "mysql") == backends.end()) {
    GTEST_SKIP() << "XIEHUI_TEST_MYSQL is not set (no MariaDB on this machine)";
  }
  OwnMariaDb server;
  ASSERT_TRUE(server.start()) << server.log();
  const std::string port = server.port();
  ASSERT_FALSE(port.empty());
  const std::string params = "host=127.0.0.1 port=" + port + " user=xiehui password=xiehui_test";
  {
    soci::session admin("mysql", params);
    admin << "DROP DATABASE IF EXISTS xiehui_outage";
    admin << "CREATE DATABASE xiehui_outage CHARACTER SET utf8mb4";
  }
  AppConfig config = test_config("mysql://db=xiehui_outage " + params);
  // The outage must reach the session lookup itself: a remembered lookup would answer
  // /api/session from memory for up to a second after the last good one.
  config.credential_cache = std::chrono::milliseconds(0);
  RunningApp app(config);
  ASSERT_TRUE(app.app().accounts().create_user(
      {"night.shift", "值班", "Correct-Horse-9", {accounts::Role::staff}, std::nullopt},
      accounts::command_line_actor()));
  const HttpReply login = http_request(app.port(), http::verb::post, "/api/session",
                                       R"({"username":"night.shift","password":"Correct-Horse-9"})",
                                       {{"Content-Type", "application/json"}});
  ASSERT_EQ(login.status, 200u) << login.body;
  const std::string set_cookie = login.header("Set-Cookie");
  const Headers cookie{{"Cookie", set_cookie.substr(0, set_cookie.find(';'))}};
  ASSERT_EQ(http_request(app.port(), http::verb::get, "/api/session", {}, cookie).status, 200u);

  server.stop();
  // Every pooled connection is gone: whichever the request gets, the answer is 503.
  for (int i = 0; i < 6; ++i) {
    const std::string target = i % 2 == 0 ? "/api/session" : "/api/members";
    const HttpReply r = http_request(app.port(), http::verb::get, target, {}, cookie);
    EXPECT_EQ(r.status, 503u) << target << " during the outage: " << r.body;
    EXPECT_EQ(code_of(r.body), "unavailable") << r.body;
  }
  EXPECT_EQ(http_request(app.port(), http::verb::get, "/readyz").status, 503u);
  EXPECT_EQ(http_request(app.port(), http::verb::get, "/healthz").status, 200u);

  ASSERT_TRUE(server.start(port)) << "restart on port " << port << ": " << server.log();
  const auto started = std::chrono::steady_clock::now();
  unsigned status = 0;
  while (std::chrono::steady_clock::now() - started < std::chrono::seconds(20)) {
    status = http_request(app.port(), http::verb::get, "/api/session", {}, cookie).status;
    if (status == 200) break;
    EXPECT_NE(status, 401u) << "the session survives the outage";
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(status, 200u) << "normal answers within seconds of the restart";
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
  EXPECT_EQ(http_request(app.port(), http::verb::get, "/api/members", {}, cookie).status, 200u);
  app.stop();
}

}  // namespace
}  // namespace xiehui::testing
