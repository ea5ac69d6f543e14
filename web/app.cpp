#include "web/app.hpp"

#include <spdlog/spdlog.h>

#include <condition_variable>
#include <mutex>

#include "core/db/migrator.hpp"

namespace xiehui::web {
namespace {

ServerOptions server_options(const AppConfig& c) {
  ServerOptions o;
  o.host = c.listen.host;
  o.port = c.listen.port;
  o.io_threads = c.io_threads;
  o.worker_threads = c.db_pool_size;
  o.max_connections = c.max_connections;
  o.max_connections_per_address = c.max_connections_per_address;
  o.uncapped_addresses = c.trusted_proxies;  // a proxy's connections carry many clients
  o.header_limit = c.header_limit_bytes;
  o.header_timeout = c.header_timeout;
  o.read_timeout = c.read_timeout;
  o.shutdown_grace = c.shutdown_grace;
  o.hsts = c.secure_cookies;  // secure cookies mean the site is served over HTTPS
  return o;
}

accounts::SessionPolicy session_policy(const AppConfig& c) {
  accounts::SessionPolicy p;
  p.idle_timeout = c.session_idle;
  p.absolute_timeout = c.session_absolute;
  p.per_user.max_failures = c.login_max_failures;
  p.per_user.lockout = c.login_lockout;
  return p;
}

}  // namespace

Result<std::unique_ptr<App>> App::create(const AppConfig& config, const Clock& clock,
                                         std::vector<Route> extra_routes) {
  auto db = db::Database::open(config.db, config.db_pool_size);
  if (!db) return std::unexpected(db.error());
  auto migrated = db::migrate(**db, db::embedded_migrations((*db)->dialect()), clock);
  if (!migrated) return std::unexpected(migrated.error());
  std::vector<Route> routes = make_routes();
  for (Route& r : extra_routes) routes.push_back(std::move(r));
  for (Route& r : routes) {
    if (r.body_limit == kUploadBodyLimit) r.body_limit = config.upload_limit_bytes;
  }
  return std::unique_ptr<App>(new App(config, clock, std::move(*db), std::move(routes)));
}

App::App(const AppConfig& config, const Clock& clock, std::unique_ptr<db::Database> db,
         std::vector<Route> routes)
    : config_(config),
      db_(std::move(db)),
      accounts_(*db_, hasher_, clock, {config.min_password_length}),
      auth_(*db_, hasher_, clock, session_policy(config)),
      audit_(*db_),
      membership_(*db_, hasher_, clock,
                  {config.min_password_length, config.applications_per_address_per_hour}),
      member_import_(*db_, clock, {config.max_concurrent_imports}),
      certificates_(*db_, clock),
      training_(*db_, clock),
      dues_(*db_, clock),
      payments_(*db_, clock),
      fees_(*db_, clock),
      statements_(*db_, clock, payments_),
      bookings_(*db_, clock),
      meetings_(*db_, clock, config.data_dir),
      calendar_(*db_, clock),
      visits_(*db_, clock, config.data_dir),
      exchange_(*db_, clock, visits_),
      jobs_(*db_, clock),
      system_(*db_),
      services_{system_,
                accounts_,
                auth_,
                audit_,
                membership_,
                member_import_,
                certificates_,
                jobs_,
                training_,
                dues_,
                payments_,
                fees_,
                statements_,
                bookings_,
                meetings_,
                calendar_,
                visits_,
                exchange_,
                metrics_,
                config.secure_cookies,
                config.public_url,
                config.trusted_proxies},
      static_files_(config_.ui_dir),
      router_(std::move(routes), services_, metrics_, &static_files_, config_.body_limit_bytes),
      server_(server_options(config_), router_, metrics_) {
  if (!config_.dues_daily_run) return;
  daily_ = std::jthread([this](std::stop_token stop) {
    std::mutex m;
    std::condition_variable_any wake;
    while (!stop.stop_requested()) {
      // Whichever process claims the day first runs it; the others find it taken.
      if (auto ran = dues_.daily_run(); !ran) {
        spdlog::warn("daily dues run failed: {}", ran.error().message.en);
      }
      std::unique_lock lock(m);
      wake.wait_for(lock, stop, std::chrono::hours(1), [] { return false; });
    }
  });
}

}  // namespace xiehui::web
