#pragma once
// The real App serving on 127.0.0.1:0 in a background thread, for HTTP tests.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/access.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "tests/support/http_client.hpp"
#include "web/app.hpp"

namespace xiehui::testing {

/// A config for tests: the given database, 127.0.0.1:0, a small pool, warnings only.
AppConfig test_config(const std::string& connection_string);

class RunningApp {
 public:
  explicit RunningApp(const AppConfig& config, std::vector<web::Route> extra_routes = {});
  ~RunningApp();

  std::uint16_t port() const { return port_; }
  web::App& app() { return *app_; }
  /// Graceful stop; returns once run() has returned.
  void stop();

  /// A new account with `role` (of unit `member_id`, for a member) and the Authorization
  /// header of a fresh API token for it; empty headers, and a failed expectation, if either
  /// could not be made.
  Headers bearer(Role role, const std::string& username,
                 std::optional<long long> member_id = std::nullopt);

 private:
  SystemClock clock_;
  std::unique_ptr<web::App> app_;
  std::thread thread_;
  std::uint16_t port_ = 0;
};

}  // namespace xiehui::testing
