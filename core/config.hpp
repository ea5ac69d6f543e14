#pragma once
// AppConfig is built once in main (defaults < config file < environment < command line) and
// passed down by reference; nothing reads the environment after start-up.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace xiehui {

/// A host and port to listen on; port 0 asks the OS for a free one.
struct ListenAddress {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
};

/// Outgoing e-mail: "mail_from" and "smtp" in the config file.
struct MailConfig {
  std::string from;  ///< "noreply@example.org" or "湖南省开发区协会 <noreply@example.org>"
  std::string host;  ///< empty: no e-mail is sent
  int port = 25;
  bool starttls = false;
  bool tls = false;  ///< implicit TLS (smtps, port 465)
  std::string username;
  std::string password;
  std::string ca_file;  ///< PEM file to trust for the server's certificate; empty: system store
  int timeout_seconds = 30;
};

/// The SMS gateway: "sms" in the config file.
struct SmsConfig {
  std::string url;  ///< empty: no SMS is sent
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body_template;  ///< JSON with {{mobile}}, {{text}}, {{id}}, {{kind}}
  int timeout_seconds = 15;
};

/// The notification dispatcher: "outbox" in the config file.
struct OutboxConfig {
  bool dispatch = true;  ///< this process delivers notifications
  int workers = 2;
  int batch = 10;
  int max_attempts = 8;
  int retry_base_seconds = 30;
  int retry_cap_seconds = 7200;
  int lease_seconds = 120;
  int poll_milliseconds = 1000;
};

/// The daily backup: "backup" in the config file. Off while `dir` is empty.
struct BackupConfig {
  std::string dir;
  int keep = 7;  ///< the newest backups kept; older ones are deleted
  int hour = 3;  ///< the hour (Shanghai) from which the day's backup is made
};

/// Everything configurable about one xiehui process.
struct AppConfig {
  std::string db = "sqlite3://db=var/xiehui.db";
  ListenAddress listen;
  /// The built UI; empty: found next to the executable, in the source tree it was built from,
  /// or in /usr/share/xiehui/ui (web::locate_ui).
  std::string ui_dir;
  /// Where uploaded files live (meeting materials under materials/).
  std::string data_dir = "var/data";
  std::string log_level = "info";
  std::size_t db_pool_size = 8;
  /// Threads that run the handlers of writes on SQLite (methods other than GET and HEAD; reads,
  /// and writes on MariaDB, have db_pool_size threads). More than the pool: on SQLite a write
  /// waits for the group commit without holding a session, and the more writes wait together,
  /// the more one fsync commits (sign-ups/s at 64 clients: 8 threads 1,130, 64 threads 2,100+).
  /// A handler beyond the pool's sessions waits for one.
  std::size_t writer_threads = 64;
  /// How long this process remembers whom a session cookie or API token signs in
  /// (accounts::CredentialCache). A sign-out, a revoked token or a changed user takes effect at
  /// once in the process that made it, and in the others within this time; 0: every request
  /// asks the database.
  std::chrono::milliseconds credential_cache{1000};
  std::size_t io_threads = 2;
  std::size_t max_connections = 10000;
  /// Open connections from one client address (IPv6: per /64); trusted_proxies are exempt.
  /// Generous: a whole office behind one NAT address shares it, ~6 connections a browser.
  std::size_t max_connections_per_address = 256;
  std::size_t header_limit_bytes = 16 * 1024;
  std::size_t body_limit_bytes = 1024 * 1024;
  std::size_t upload_limit_bytes = 32 * 1024 * 1024;
  std::chrono::seconds read_timeout{30};
  /// How long a connection may take to send a whole request header, and stay idle between
  /// requests (capped by read_timeout); read_timeout then covers the body.
  std::chrono::seconds header_timeout{10};
  std::chrono::seconds shutdown_grace{10};
  bool secure_cookies = false;  ///< set when served over TLS (behind nginx)
  /// "https://xiehui.example.org": the base of links printed on paper (certificate QR codes).
  /// Empty: taken from each request's Host header.
  std::string public_url;
  /// Addresses of reverse proxies (nginx) whose X-Real-IP / X-Forwarded-For name the client.
  std::vector<std::string> trusted_proxies;
  std::chrono::minutes session_idle{30};
  std::chrono::minutes session_absolute{12 * 60};
  int login_max_failures = 5;
  std::chrono::minutes login_lockout{15};
  std::size_t min_password_length = 10;
  int applications_per_address_per_hour = 5;
  /// Member imports (sync, or queued as jobs) one process holds at once; one more answers 429.
  std::size_t max_concurrent_imports = 2;
  /// Whether this process runs the day's dues reminders and lapse (the first process to claim
  /// the day runs it; tests that move time themselves turn it off).
  bool dues_daily_run = true;
  /// Whether this process runs the reminder scheduler (回执, 开课, 出发 reminders).
  bool scheduler = true;
  MailConfig mail;
  SmsConfig sms;
  OutboxConfig outbox;
  BackupConfig backup;
};

/// Parses "HOST:PORT" ("127.0.0.1:0", "[::1]:8080", "0.0.0.0:80").
Result<ListenAddress> parse_listen_address(std::string_view text);

/// The connection string with any password value replaced by "***", safe to log.
std::string redact_connection_string(std::string_view conn);

}  // namespace xiehui
