#include "web/metrics.hpp"

#include <fmt/format.h>

#include <concepts>
#include <string_view>

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

namespace {

// One sample with its HELP and TYPE lines, in Prometheus' text format.
template <std::integral N>
void figure(std::string& out, std::string_view name, std::string_view type, std::string_view help,
            N value) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n{} {}\n", name, help, name, type, name, value);
}

}  // namespace

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
  figure(out, "xiehui_http_connections_open", "gauge", "Open client connections.",
         open_connections.load());
  figure(out, "xiehui_http_connections_rejected_total", "counter",
         "Connections refused at the connection limit.", rejected_connections.load());
  figure(out, "xiehui_http_protocol_errors_total", "counter",
         "Requests that were not valid HTTP/1.1.", protocol_errors.load());
  figure(out, "xiehui_db_pool_size", "gauge", "Database sessions in the pool.", db.pool_size);
  figure(out, "xiehui_db_pool_in_use", "gauge", "Database sessions lent out.", db.in_use);
  figure(out, "xiehui_db_write_groups_total", "counter",
         "SQLite write transactions of the group commit.", db.write_groups);
  figure(out, "xiehui_db_grouped_writes_total", "counter", "Writes those transactions carried.",
         db.grouped_writes);
  figure(out, "xiehui_db_statement_cache_hits_total", "counter",
         "SQLite statements reused from the per-connection cache.", db.statement_cache_hits);
  figure(out, "xiehui_db_statement_cache_misses_total", "counter", "SQLite statements compiled.",
         db.statement_cache_misses);
  figure(out, "xiehui_db_write_retries_total", "counter",
         "MariaDB write transactions run again after a deadlock or certification failure.",
         db.write_retries);
  figure(out, "xiehui_db_write_conflicts_lost_total", "counter",
         "Write transactions still in conflict after the last attempt (answered 503).",
         db.write_conflicts_lost);
  return out;
}

}  // namespace xiehui::web
