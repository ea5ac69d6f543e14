#pragma once
// Prometheus metrics of the HTTP front: requests and latency by route, open connections.
// Every series exists from start-up (one per route), so recording is lock-free.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "services/system/system_service.hpp"

namespace xiehui::web {

/// Counters of one route: requests by status class and a latency histogram.
class RouteStats {
 public:
  static constexpr std::array<double, 10> kBuckets{0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                   0.025,  0.05,  0.1,    0.5,   2.5};
  RouteStats(std::string method, std::string route)
      : method_(std::move(method)), route_(std::move(route)) {}
  void observe(unsigned status, std::chrono::nanoseconds duration);
  void render(std::string& out) const;

 private:
  std::string method_;
  std::string route_;
  std::array<std::atomic<std::uint64_t>, 5> by_class_{};  // 1xx..5xx
  std::array<std::atomic<std::uint64_t>, kBuckets.size()> buckets_{};
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::uint64_t> sum_ns_{0};
};

/// All HTTP metrics of one process. Register series before serving; observe from any thread.
class Metrics {
 public:
  /// Adds a series; the returned reference stays valid for the Metrics' lifetime.
  RouteStats& add_route(std::string method, std::string route);

  std::atomic<std::int64_t> open_connections{0};
  std::atomic<std::uint64_t> rejected_connections{0};
  std::atomic<std::uint64_t> protocol_errors{0};

  /// Prometheus text exposition; the database's figures are sampled by the caller.
  std::string render(const services::DbFigures& db) const;

 private:
  std::deque<RouteStats> routes_;  // deque: references survive growth
};

}  // namespace xiehui::web
