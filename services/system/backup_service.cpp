#include "services/system/backup_service.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <sstream>

#include "core/db/backup.hpp"
#include "core/time.hpp"
#include "services/notifications/reminder_repository.hpp"

extern char** environ;

namespace xiehui::services {
namespace {

namespace fs = std::filesystem;

Error backup_failed(const std::string& why) {
  return make_error(ErrorCode::unavailable, {"备份失败：" + why, "backup failed: " + why});
}

// "host=h port=3306 user=u password=p db=x" → its keys and values.
std::map<std::string, std::string> connection_params(const std::string& params) {
  std::map<std::string, std::string> out;
  std::istringstream in(params);
  std::string word;
  while (in >> word) {
    const auto eq = word.find('=');
    if (eq != std::string::npos) out[word.substr(0, eq)] = word.substr(eq + 1);
  }
  if (out.contains("dbname") && !out.contains("db")) out["db"] = out["dbname"];
  return out;
}

// mariadb-dump of the whole database into `dest`, the password passed in the environment (never
// on a command line others can read in /proc).
Status dump_mariadb(const db::ConnectionSpec& spec, const std::string& dest) {
  auto p = connection_params(spec.params);
  std::vector<std::string> args = {"mariadb-dump",         "--single-transaction",
                                   "--routines",           "--triggers",
                                   "--hex-blob",           "--default-character-set=utf8mb4",
                                   "--result-file=" + dest};
  if (p.contains("host")) args.push_back("--host=" + p["host"]);
  if (p.contains("port")) args.push_back("--port=" + p["port"]);
  if (p.contains("user")) args.push_back("--user=" + p["user"]);
  if (p.contains("unix_socket")) args.push_back("--socket=" + p["unix_socket"]);
  args.push_back(p["db"]);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_strings;
  for (char** e = environ; *e; ++e) {
    if (!std::string_view(*e).starts_with("MYSQL_PWD=")) env_strings.emplace_back(*e);
  }
  if (p.contains("password")) env_strings.push_back("MYSQL_PWD=" + p["password"]);
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawnp(&pid, "mariadb-dump", nullptr, nullptr, argv.data(), envp.data()) != 0) {
    return std::unexpected(backup_failed("mariadb-dump cannot be started"));
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::error_code ec;
    fs::remove(dest, ec);
    return std::unexpected(backup_failed("mariadb-dump exited with " + std::to_string(status)));
  }
  return {};
}

// A backup is only a backup once it is on disk.
void sync_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

Result<RestoreCheck> check_restore(db::Database& restored, db::Database& source) {
  auto theirs = source.with_session(
      [](soci::session& s) -> Result<std::vector<backup_repository::TableFingerprint>> {
        return backup_repository::fingerprints(s);
      });
  if (!theirs) return std::unexpected(theirs.error());
  return restored.with_session([&](soci::session& s) -> Result<RestoreCheck> {
    RestoreCheck check;
    check.audit = verify_audit_chain(s);
    check.restored = backup_repository::fingerprints(s);
    for (std::size_t i = 0; i < check.restored.size(); ++i) {
      const auto& mine = check.restored[i];
      const auto& other = theirs->at(i);
      if (mine.rows != other.rows || mine.sha256 != other.sha256) {
        check.differing.push_back(mine.table);
      }
    }
    return check;
  });
}

std::string backup_file_name(const std::string& dir, const std::string& date, db::Dialect dialect) {
  return (fs::path(dir) / ("xiehui-" + date + (dialect == db::Dialect::sqlite ? ".db" : ".sql")))
      .string();
}

std::vector<std::string> backups_to_prune(const std::vector<std::string>& names, int keep) {
  static const std::regex pattern(R"(xiehui-\d{4}-\d{2}-\d{2}\.(db|sql))");
  std::vector<std::string> ours;
  for (const auto& n : names) {
    if (std::regex_match(n, pattern)) ours.push_back(n);
  }
  std::ranges::sort(ours, std::greater<>());
  if (static_cast<int>(ours.size()) <= std::max(keep, 1)) return {};
  return {ours.begin() + std::max(keep, 1), ours.end()};
}

Result<std::string> BackupService::write_backup(const std::string& date) {
  std::error_code ec;
  fs::create_directories(config_.dir, ec);
  const std::string dest = backup_file_name(config_.dir, date, db_.dialect());
  const std::string partial = dest + ".partial";
  fs::remove(partial, ec);
  Status written = db_.dialect() == db::Dialect::sqlite ? db::backup_sqlite(db_, partial)
                                                        : dump_mariadb(db_.spec(), partial);
  if (!written) return std::unexpected(written.error());
  sync_file(partial);
  // Renamed into place only when whole: a crash mid-backup never leaves a file that looks done.
  fs::rename(partial, dest, ec);
  if (ec) return std::unexpected(backup_failed(ec.message()));
  return dest;
}

Result<int> BackupService::run_due() {
  if (config_.dir.empty()) return 0;
  const Timestamp now = clock_.now();
  const auto local = now + kShanghaiOffset;
  const auto hour =
      std::chrono::floor<std::chrono::hours>(local - std::chrono::floor<std::chrono::days>(local));
  if (hour.count() < config_.hour) return 0;
  const std::string date = format_date(shanghai_date(now));
  auto claimed = db_.with_transaction([&](soci::session& s) -> Result<bool> {
    return notifications::reminder_repository::claim_run(s, "backup", date, now);
  });
  if (!claimed) return std::unexpected(claimed.error());
  if (!*claimed) return 0;
  auto path = write_backup(date);
  if (!path) {
    // Not made: give the day back, so the next tick tries again.
    (void)db_.with_transaction([&](soci::session& s) -> Result<bool> {
      notifications::reminder_repository::release_run(s, "backup", date);
      return true;
    });
    return std::unexpected(path.error());
  }
  spdlog::info("backup written to {}", *path);
  // Listed with error codes: this runs on the scheduler's thread, where an exception would end
  // the process.
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(config_.dir, fs::directory_options::skip_permission_denied, ec),
       end;
       !ec && it != end; it.increment(ec)) {
    names.push_back(it->path().filename().string());
  }
  for (const auto& old : backups_to_prune(names, config_.keep)) {
    fs::remove(fs::path(config_.dir) / old, ec);
    spdlog::info("old backup removed: {}", old);
  }
  return 1;
}

}  // namespace xiehui::services
