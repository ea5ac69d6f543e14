#include "web/app.hpp"

#include "services/system/backup_service.hpp"

#include <spdlog/spdlog.h>

#include <memory>
#include <optional>

#include "core/db/migrator.hpp"
#include "web/ui_location.hpp"

namespace xiehui::web {
namespace {

ServerOptions server_options(const AppConfig& c) {
  ServerOptions o;
  o.host = c.listen.host;
  o.port = c.listen.port;
  o.io_threads = c.io_threads;
  o.worker_threads = c.db_pool_size;
  // On MariaDB a write holds its session to the end, so threads beyond the pool only queue for
  // one (64 of them: sign-ups' p99 went from ~150 ms to 523 ms).
  const auto spec = db::parse_connection_string(c.db);
  const bool sqlite = spec && spec->dialect == db::Dialect::sqlite;
  o.writer_threads = sqlite ? c.writer_threads : c.db_pool_size;
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

std::string public_base(const AppConfig& c) {
  if (!c.public_url.empty()) return c.public_url;
  return "http://" + c.listen.host + ":" + std::to_string(c.listen.port);
}

notifications::DeliverySettings delivery_settings(const AppConfig& c) {
  notifications::DeliverySettings d;
  d.mail_from = c.mail.from;
  d.smtp = {c.mail.host,
            c.mail.port,
            c.mail.starttls,
            c.mail.username,
            c.mail.password,
            c.mail.ca_file,
            std::chrono::seconds(c.mail.timeout_seconds)};
  d.smtp.tls = c.mail.tls;
  d.sms = {c.sms.url, c.sms.headers, c.sms.body_template,
           std::chrono::seconds(c.sms.timeout_seconds)};
  d.public_url = public_base(c);
  d.max_attempts = c.outbox.max_attempts;
  d.retry_base = std::chrono::seconds(c.outbox.retry_base_seconds);
  d.retry_cap = std::chrono::seconds(c.outbox.retry_cap_seconds);
  d.lease = std::chrono::seconds(c.outbox.lease_seconds);
  d.poll = std::chrono::milliseconds(c.outbox.poll_milliseconds);
  d.workers = c.outbox.workers;
  d.batch = c.outbox.batch;
  return d;
}

// The scheduler's jobs: the reminders, and the day's dues work at most hourly (it claims the
// day itself, so the first process to get there runs it).
std::vector<notifications::ScheduledJob> scheduled_jobs(const AppConfig& c, db::Database& db,
                                                        const Clock& clock, dues::DuesService& dues,
                                                        privacy::RetentionService& retention) {
  std::vector<notifications::ScheduledJob> jobs;
  if (c.scheduler) {
    jobs = notifications::reminder_jobs(db, clock);
    // Retention's daily run, when the admin turned it on (it claims its day).
    jobs.push_back({"retention.daily", [&retention]() { return retention.run_due(); }});
  }
  if (c.dues_daily_run) {
    auto last = std::make_shared<std::optional<Timestamp>>();
    jobs.push_back({"dues.daily", [&dues, &clock, last]() -> Result<int> {
                      const Timestamp now = clock.now();
                      if (*last && now - **last < std::chrono::hours(1)) return 0;
                      *last = now;
                      auto ran = dues.daily_run();
                      if (!ran) return std::unexpected(ran.error());
                      return 0;
                    }});
  }
  // The daily backup (config "backup"); it claims its day, so one process of many makes it.
  if (!c.backup.dir.empty()) {
    auto backups = std::make_shared<services::BackupService>(db, clock, c.backup);
    jobs.push_back({"backup", [backups]() { return backups->run_due(); }});
  }
  return jobs;
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
      credentials_(config.credential_cache),
      accounts_(*db_, hasher_, clock, {config.min_password_length}, &credentials_),
      auth_(*db_, hasher_, clock, session_policy(config), &credentials_),
      two_factor_(*db_, clock, &credentials_),
      audit_(*db_),
      membership_(*db_, hasher_, clock,
                  {config.min_password_length, config.applications_per_address_per_hour},
                  &credentials_),
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
      notifications_(*db_, clock),
      password_reset_(
          *db_, hasher_, clock,
          {config.min_password_length, 10, 3, std::chrono::minutes(30), public_base(config)},
          &credentials_),
      reports_(*db_, clock),
      privacy_(*db_, clock),
      notices_(*db_, clock),
      retention_(*db_, clock),
      jobs_(*db_, clock),
      system_(*db_),
      services_{system_,
                accounts_,
                auth_,
                two_factor_,
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
                notifications_,
                password_reset_,
                reports_,
                privacy_,
                notices_,
                retention_,
                metrics_,
                config.secure_cookies,
                config.public_url,
                config.trusted_proxies,
                config.min_password_length},
      static_files_(locate_ui(config_.ui_dir)),
      router_(std::move(routes), services_, metrics_, &static_files_, config_.body_limit_bytes),
      server_(server_options(config_), router_, metrics_),
      dispatcher_(*db_, clock, delivery_settings(config_)),
      scheduler_(scheduled_jobs(config_, *db_, clock, dues_, retention_)) {
  if (config_.scheduler || config_.dues_daily_run || !config_.backup.dir.empty()) {
    scheduler_.start(std::chrono::seconds(60));
  }
}

Result<boost::asio::ip::tcp::endpoint> App::listen() {
  auto endpoint = server_.listen();
  if (!endpoint) return endpoint;
  if (config_.public_url.empty()) {
    AppConfig bound = config_;
    bound.listen.port = endpoint->port();
    const std::string base = public_base(bound);
    if (!config_.mail.host.empty()) {
      spdlog::warn("public_url is not set: links in e-mails point at {}", base);
    }
    dispatcher_.set_public_url(base);
    password_reset_.set_base_url(base);
  }
  if (config_.outbox.dispatch) dispatcher_.start();
  return endpoint;
}

}  // namespace xiehui::web
