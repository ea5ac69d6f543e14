// xiehui command line: serve, migrate, user add, backup, version, openapi.

#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <termios.h>
#include <unistd.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>

#include "core/db/backup.hpp"
#include "core/db/migrator.hpp"
#include "core/version.hpp"
#include "services/accounts/accounts_service.hpp"
#include "services/audit/audit_service.hpp"
#include "services/demo/demo_seed.hpp"
#include "services/system/backup_service.hpp"
#include "web/app.hpp"
#include "web/buffered_log_sink.hpp"
#include "web/config_file.hpp"
#include "web/openapi.hpp"
#include "web/router.hpp"

namespace {

using namespace xiehui;

struct CommonFlags {
  std::string config_file;
  std::string db;
  std::string listen;
};

// Logs go to stderr so that stdout carries only what scripts read (the listening line): in
// colour, line by line, on a terminal; otherwise in batches (web/buffered_log_sink.hpp).
void setup_logging(const std::string& level) {
  std::shared_ptr<spdlog::logger> logger;
  if (::isatty(STDERR_FILENO) != 0) {
    logger = spdlog::stderr_color_mt("xiehui");
  } else {
    logger =
        std::make_shared<spdlog::logger>("xiehui", std::make_shared<web::BufferedStderrSink>());
    spdlog::register_logger(logger);
    spdlog::flush_every(std::chrono::seconds(1));
  }
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(level));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
}

int fail(const Error& e) {
  fmt::print(stderr, "xiehui: {}\n", e.message.zh);
  if (!e.message.en.empty()) fmt::print(stderr, "xiehui: {}\n", e.message.en);
  for (const auto& f : e.fields) fmt::print(stderr, "  {}: {}\n", f.field, f.message.zh);
  return 1;
}

Result<AppConfig> load_config(const CommonFlags& flags) {
  AppConfig config;
  std::string file = flags.config_file;
  if (file.empty()) {
    if (const char* env = std::getenv("XIEHUI_CONFIG"); env && *env) file = env;
  }
  if (!file.empty()) {
    if (auto st = web::apply_config_file(config, file); !st) return std::unexpected(st.error());
  }
  if (auto st = web::apply_environment(config, [](const char* n) { return std::getenv(n); }); !st) {
    return std::unexpected(st.error());
  }
  if (!flags.db.empty()) config.db = flags.db;
  if (!flags.listen.empty()) {
    auto listen = parse_listen_address(flags.listen);
    if (!listen) return std::unexpected(listen.error());
    config.listen = *listen;
  }
  return config;
}

void add_common(CLI::App* cmd, CommonFlags& flags, bool with_listen) {
  cmd->add_option("--config", flags.config_file, "JSON config file (or XIEHUI_CONFIG)");
  cmd->add_option("--db", flags.db, "SOCI connection string, e.g. sqlite3://db=var/xiehui.db");
  if (with_listen)
    cmd->add_option("--listen", flags.listen, "HOST:PORT to listen on (port 0: any)");
}

// Creates the first admin (password from XIEHUI_INITIAL_ADMIN_PASSWORD or generated and shown
// once) and, with --demo, the demo accounts; prints what a person needs to sign in.
Status prepare_accounts(web::App& app, bool demo, const Clock& clock) {
  accounts::AccountsService& service = app.accounts();
  if (demo) {
    if (auto st = demo::seed_demo(app.database(), service, app.membership(), clock); !st) {
      return st;
    }
    fmt::print("演示账号 demo accounts (username / password):\n");
    for (const auto& a : demo::demo_accounts()) {
      fmt::print("  {:<10} {:<18} {}\n", a.username, a.password, a.role);
    }
    return {};
  }
  std::optional<std::string> password;
  if (const char* env = std::getenv("XIEHUI_INITIAL_ADMIN_PASSWORD"); env && *env) password = env;
  auto created = service.ensure_initial_admin(password);
  if (!created) return std::unexpected(created.error());
  if (*created) {
    fmt::print(
        "已创建管理员 admin，初始密码（只显示这一次）/ created user admin, password shown once: "
        "{}\n",
        **created);
  }
  return {};
}

int serve(const AppConfig& config, bool demo) {
  SystemClock clock;
  spdlog::info("xiehui {} starting, database {}", version(), redact_connection_string(config.db));
  auto app = web::App::create(config, clock);
  if (!app) return fail(app.error());
  if (auto st = prepare_accounts(**app, demo, clock); !st) return fail(st.error());
  auto endpoint = (*app)->listen();
  if (!endpoint) return fail(endpoint.error());
  (*app)->handle_signals();
  const auto address = endpoint->address();
  const std::string host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
  fmt::print("listening on http://{}:{}\n", host, endpoint->port());
  std::fflush(stdout);
  (*app)->run();
  spdlog::info("stopped");
  return 0;
}

// One line from stdin; without echo when stdin is a terminal.
std::string read_password() {
  const bool tty = isatty(STDIN_FILENO) != 0;
  termios saved{};
  if (tty) {
    fmt::print(stderr, "密码 Password: ");
    tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    fmt::print(stderr, "\n");
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

struct UserAddFlags {
  std::string username;
  std::string display_name;
  std::vector<std::string> roles;
  std::optional<long long> member_id;
};

int user_add(const AppConfig& config, const UserAddFlags& flags) {
  SystemClock clock;
  auto db = db::Database::open(config.db, 1);
  if (!db) return fail(db.error());
  auto migrated = db::migrate(**db, db::embedded_migrations((*db)->dialect()), clock);
  if (!migrated) return fail(migrated.error());
  accounts::NewUser user;
  user.username = flags.username;
  user.display_name = flags.display_name.empty() ? flags.username : flags.display_name;
  for (const auto& r : flags.roles) {
    auto role = accounts::parse_role(r);
    if (!role) {
      return fail(make_error(ErrorCode::invalid_argument,
                             {"未知角色 " + r + "（可选 admin, staff, leader, member）",
                              "unknown role " + r + " (admin, staff, leader, member)"}));
    }
    user.roles.push_back(*role);
  }
  user.member_id = flags.member_id;
  user.password = read_password();
  accounts::PasswordHasher hasher;
  accounts::AccountsService service(**db, hasher, clock);
  auto created = service.create_user(std::move(user), accounts::command_line_actor());
  if (!created) return fail(created.error());
  fmt::print("created user {} (id {})\n", created->username, created->id);
  return 0;
}

int migrate(const AppConfig& config) {
  SystemClock clock;
  auto db = db::Database::open(config.db, 1);
  if (!db) return fail(db.error());
  auto report = db::migrate(**db, db::embedded_migrations((*db)->dialect()), clock);
  if (!report) return fail(report.error());
  fmt::print("schema version {} → {} ({} applied)\n", report->from_version, report->to_version,
             report->applied.size());
  return 0;
}

int backup(const AppConfig& config, const std::string& dest) {
  auto db = db::Database::open(config.db, 1);
  if (!db) return fail(db.error());
  if ((*db)->dialect() == db::Dialect::mysql) {
    fmt::print(
        "MariaDB 备份 / backing up MariaDB:\n"
        "  逻辑备份 logical:  mariadb-dump --single-transaction --routines --triggers "
        "--default-character-set=utf8mb4 -h HOST -P PORT -u USER -p DB > {0}\n"
        "  物理热备 physical: mariadb-backup --backup --target-dir={0}.d -u USER -p && "
        "mariadb-backup --prepare --target-dir={0}.d\n"
        "  恢复 restore: mariadb -u USER -p DB < {0}   (或 mariadb-backup --copy-back)\n",
        dest);
    return 0;
  }
  if (auto st = db::backup_sqlite(**db, dest); !st) return fail(st.error());
  fmt::print("backup written to {}\n", dest);
  return 0;
}

// Prints what a restore check found; 0 when the restored database is the backed-up one.
int report_restore_check(const services::RestoreCheck& check) {
  if (check.audit.ok) {
    fmt::print("审计日志完整 audit chain intact: {} rows\n", check.audit.checked);
  } else {
    fmt::print("审计日志断裂 audit chain broken at row {}\n", check.audit.first_bad_id.value_or(0));
  }
  for (const auto& t : check.restored) {
    const bool same = std::ranges::find(check.differing, t.table) == check.differing.end();
    fmt::print("  {:<22} {:>9} rows  {}\n", t.table, t.rows, same ? "= source" : "DIFFERS");
  }
  if (!check.ok()) {
    fmt::print("恢复校验失败 restore check FAILED\n");
    return 2;
  }
  fmt::print("恢复校验通过 restore check passed: the reports and records equal the source's\n");
  return 0;
}

// SQLite: `restore FILE` copies the backup FILE into the configured database (a new file) and
// checks it against FILE. Either backend: `restore --check-against SOURCE` only checks the
// configured database (restored by other means, e.g. `mariadb DB < dump.sql`) against SOURCE.
int restore(const AppConfig& config, const std::string& backup_file, const std::string& source) {
  if (backup_file.empty() == source.empty()) {
    return fail(make_error(ErrorCode::invalid_argument,
                           {"请给出备份文件 FILE，或用 --check-against 指定源数据库（二选一）",
                            "give a backup FILE or --check-against SOURCE (one of them)"}));
  }
  std::string against = source;
  if (!backup_file.empty()) {
    auto spec = db::parse_connection_string(config.db);
    if (!spec) return fail(spec.error());
    if (spec->dialect != db::Dialect::sqlite) {
      fmt::print(
          "MariaDB 恢复 / restoring MariaDB:\n"
          "  mariadb -h HOST -P PORT -u USER -p -e 'CREATE DATABASE NEW CHARACTER SET utf8mb4'\n"
          "  mariadb -h HOST -P PORT -u USER -p NEW < {}\n"
          "  xiehui restore --db mysql://db=NEW ... --check-against mysql://db=OLD ...\n",
          backup_file);
      return 1;
    }
    if (auto st = db::restore_sqlite(backup_file, spec->sqlite_path); !st) return fail(st.error());
    fmt::print("restored {} into {}\n", backup_file, spec->sqlite_path);
    against = "sqlite3://db=" + backup_file;
  }
  auto restored = db::Database::open(config.db, 1);
  if (!restored) return fail(restored.error());
  auto original = db::Database::open(against, 1);
  if (!original) return fail(original.error());
  auto check = services::check_restore(**restored, **original);
  if (!check) return fail(check.error());
  return report_restore_check(*check);
}

int audit_verify(const AppConfig& config) {
  auto db = db::Database::open(config.db, 1);
  if (!db) return fail(db.error());
  auto r = audit::AuditService(**db).verify();
  if (!r) return fail(r.error());
  if (r->ok) {
    fmt::print("审计日志完整 audit chain intact: {} rows checked\n", r->checked);
    return 0;
  }
  fmt::print("审计日志被篡改 audit chain broken: first bad row id {} ({} rows intact before it)\n",
             r->first_bad_id.value_or(0), r->checked);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"xiehui — 湖南省开发区协会 会员与活动管理系统"};
  cli.require_subcommand(1);
  CommonFlags flags;

  bool demo = false;
  auto* serve_cmd = cli.add_subcommand("serve", "Run the HTTP server");
  add_common(serve_cmd, flags, true);
  serve_cmd->add_flag("--demo", demo, "Load demo data into an empty database");

  auto* migrate_cmd = cli.add_subcommand("migrate", "Apply database migrations");
  add_common(migrate_cmd, flags, false);

  std::string backup_file;
  auto* backup_cmd = cli.add_subcommand("backup", "Online backup of the SQLite database");
  add_common(backup_cmd, flags, false);
  backup_cmd->add_option("FILE", backup_file, "Destination file")->required();

  std::string restore_file, restore_source;
  auto* restore_cmd = cli.add_subcommand(
      "restore", "Restore a SQLite backup into a new database, or check a restored database");
  add_common(restore_cmd, flags, false);
  restore_cmd->add_option("FILE", restore_file, "SQLite backup file to restore into --db");
  restore_cmd->add_option("--check-against", restore_source,
                          "Only check --db against this source database (connection string)");

  UserAddFlags user_flags;
  auto* user_cmd = cli.add_subcommand("user", "Manage users");
  user_cmd->require_subcommand(1);
  auto* user_add_cmd =
      user_cmd->add_subcommand("add", "Create a user; the password is read from stdin");
  add_common(user_add_cmd, flags, false);
  user_add_cmd->add_option("--username", user_flags.username, "Login name")->required();
  user_add_cmd->add_option("--display-name", user_flags.display_name, "Name shown in the UI");
  user_add_cmd->add_option("--role", user_flags.roles, "admin, staff, leader or member")
      ->required();
  user_add_cmd->add_option("--member-id", user_flags.member_id, "Member unit of a member account");

  auto* audit_cmd = cli.add_subcommand("audit", "Audit log");
  audit_cmd->require_subcommand(1);
  auto* audit_verify_cmd = audit_cmd->add_subcommand("verify", "Walk the audit hash chain");
  add_common(audit_verify_cmd, flags, false);

  cli.add_subcommand("version", "Print the version");
  cli.add_subcommand("openapi", "Print the OpenAPI document (as GET /api/openapi.json serves it)");

  CLI11_PARSE(cli, argc, argv);

  if (cli.got_subcommand("version")) {
    fmt::print("xiehui {}\n", version());
    return 0;
  }
  // Needs no database: the document comes from the route table (tools/openapi-lint reads it).
  if (cli.got_subcommand("openapi")) {
    fmt::print("{}\n", web::build_openapi(web::make_routes()));
    return 0;
  }
  auto config = load_config(flags);
  if (!config) return fail(config.error());
  setup_logging(config->log_level);
  if (cli.got_subcommand(serve_cmd)) return serve(*config, demo);
  if (cli.got_subcommand(migrate_cmd)) return migrate(*config);
  if (cli.got_subcommand(backup_cmd)) return backup(*config, backup_file);
  if (cli.got_subcommand(restore_cmd)) return restore(*config, restore_file, restore_source);
  if (user_add_cmd->parsed()) return user_add(*config, user_flags);
  if (audit_verify_cmd->parsed()) return audit_verify(*config);
  return 0;
}
