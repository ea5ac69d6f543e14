#include "web/metrics.hpp"

#include <fmt/format.h>

namespace xiehui::web {

void RouteStats::observe(unsigned status, std::chrono::nanoseconds duration) {
  const unsigned cls = status / 100;
  if (cls >= 1 && cls <= 5) by_class_[cls - 1].fetch_add(1, std::memory_order_relaxed);
  const double seconds = std::chrono::duration<double>(duration).count();
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      buckets_[i].fetch_add(1, std::memory_order_relaxed);
      break;
    }
  }
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_ns_.fetch_add(static_cast<std::uint64_t>(duration.count()), std::memory_order_relaxed);
}

void RouteStats::render(std::string& out) const {
  const std::string labels = fmt::format(R"(method="{}",route="{}")", method_, route_);
  for (std::size_t i = 0; i < by_class_.size(); ++i) {
    const auto n = by_class_[i].load(std::memory_order_relaxed);
    if (n == 0) continue;
    out += fmt::format("xiehui_http_requests_total{{{},code=\"{}xx\"}} {}\n", labels, i + 1, n);
  }
  const auto count = count_.load(std::memory_order_relaxed);
  if (count == 0) return;
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    out += fmt::format("xiehui_http_request_duration_seconds_bucket{{{},le=\"{}\"}} {}\n", labels,
                       kBuckets[i], cumulative);
  }
  out += fmt::format("xiehui_http_request_duration_seconds_bucket{{{},le=\"+Inf\"}} {}\n", labels,
                     count);
  out += fmt::format("xiehui_http_request_duration_seconds_sum{{{}}} {:.6f}\n", labels,
                     static_cast<double>(sum_ns_.load(std::memory_order_relaxed)) / 1e9);
  out += fmt::format("xiehui_http_request_duration_seconds_count{{{}}} {}\n", labels, count);
}

RouteStats& Metrics::add_route(std::string method, std::string route) {
  return routes_.emplace_back(std::move(method), std::move(route));
}

std::string Metrics::render(const services::DbFigures& db) const {
  std::string out;
  out += "# HELP xiehui_http_requests_total HTTP requests by route and status class.\n";
  out += "# TYPE xiehui_http_requests_total counter\n";
  out += "# HELP xiehui_http_request_duration_seconds Time from request read to response ready.\n";
  out += "# TYPE xiehui_http_request_duration_seconds histogram\n";
  for (const RouteStats& r : routes_) r.render(out);
  out += "# HELP xiehui_http_connections_open Open client connections.\n";
  out += "# TYPE xiehui_http_connections_open gauge\n";
  out += fmt::format("xiehui_http_connections_open {}\n", open_connections.load());
  out += "# TYPE xiehui_http_connections_rejected_total counter\n";
  out += fmt::format("xiehui_http_connections_rejected_total {}\n", rejected_connections.load());
  out += "# TYPE xiehui_http_protocol_errors_total counter\n";
  out += fmt::format("xiehui_http_protocol_errors_total {}\n", protocol_errors.load());
  out += "# HELP xiehui_db_pool_size Database sessions in the pool.\n";
  out += "# TYPE xiehui_db_pool_size gauge\n";
  out += fmt::format("xiehui_db_pool_size {}\n", db.pool_size);
  out += "# HELP xiehui_db_pool_in_use Database sessions lent out.\n";
  out += "# TYPE xiehui_db_pool_in_use gauge\n";
  out += fmt::format("xiehui_db_pool_in_use {}\n", db.in_use);
  out += "# HELP xiehui_db_write_groups_total SQLite write transactions of the group commit.\n";
  out += "# TYPE xiehui_db_write_groups_total counter\n";
  out += fmt::format("xiehui_db_write_groups_total {}\n", db.write_groups);
  out += "# HELP xiehui_db_grouped_writes_total Writes those transactions carried.\n";
  out += "# TYPE xiehui_db_grouped_writes_total counter\n";
  out += fmt::format("xiehui_db_grouped_writes_total {}\n", db.grouped_writes);
  return out;
}

}  // namespace xiehui::web
