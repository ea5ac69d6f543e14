#pragma once
// The real App serving on 127.0.0.1:0 in a background thread, for HTTP tests.

#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "core/config.hpp"
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

 private:
  SystemClock clock_;
  std::unique_ptr<web::App> app_;
  std::thread thread_;
  std::uint16_t port_ = 0;
};

}  // namespace xiehui::testing
