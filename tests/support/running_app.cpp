#include "tests/support/running_app.hpp"

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>

namespace xiehui::testing {

AppConfig test_config(const std::string& connection_string) {
  AppConfig c;
  c.dues_daily_run = false;  // tests run the day's dues work themselves
  c.scheduler = false;       // and run reminders themselves
  c.db = connection_string;
  c.listen = {"127.0.0.1", 0};
  c.db_pool_size = 4;
  c.io_threads = 2;
  c.ui_dir = "/nonexistent-ui-dir";
  // Each app its own upload directory, removed with the temp dir by the OS.
  static std::atomic<int> n{0};
  c.data_dir = (std::filesystem::temp_directory_path() /
                ("xiehui-data-" + std::to_string(::getpid()) + "-" + std::to_string(n++)))
                   .string();
  spdlog::set_level(spdlog::level::warn);
  return c;
}

RunningApp::RunningApp(const AppConfig& config, std::vector<web::Route> extra_routes) {
  auto app = web::App::create(config, clock_, std::move(extra_routes));
  if (!app) throw std::runtime_error("App::create failed: " + app.error().message.en);
  app_ = std::move(*app);
  auto endpoint = app_->listen();
  if (!endpoint) throw std::runtime_error("listen failed: " + endpoint.error().message.en);
  port_ = endpoint->port();
  thread_ = std::thread([this] { app_->run(); });
}

RunningApp::~RunningApp() { stop(); }

Headers RunningApp::bearer(Role role, const std::string& username,
                           std::optional<long long> member_id) {
  auto user = app_->accounts().create_user(
      {username, username, "Review-Pass-2026", {role}, member_id}, accounts::command_line_actor());
  EXPECT_TRUE(user.has_value()) << (user ? "" : user.error().message.en);
  if (!user) return {};
  Principal p;
  p.user_id = user->id;
  p.username = user->username;
  auto token = app_->auth().create_token(p, "test");
  EXPECT_TRUE(token.has_value());
  return token ? Headers{{"Authorization", "Bearer " + token->second}} : Headers{};
}

void RunningApp::stop() {
  if (!thread_.joinable()) return;
  app_->stop();
  thread_.join();
}

}  // namespace xiehui::testing
