#include "core/db/database.hpp"

#include <soci/mysql/soci-mysql.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <mutex>
#include <random>
#include <regex>
#include <thread>

#include "core/config.hpp"
#include "core/db/sqlite_statement_cache.hpp"

namespace xiehui::db {
namespace {

Error bad_connection_string(std::string_view conn) {
  return make_error(
      ErrorCode::invalid_argument,
      {"数据库连接串应为 sqlite3://db=文件 或 mysql://db=库 user=用户 password=密码 host=主机 "
       "port=端口：" +
           redact_connection_string(conn),
       "the database connection string must be sqlite3://db=FILE or mysql://db=NAME user=U "
       "password=P host=H port=N: " +
           redact_connection_string(conn)});
}

// Library-wide SQLite settings. Both must precede the library's initialisation, so this runs
// before the first connection opens; if something initialised SQLite earlier, the calls are
// refused and nothing changes.
// - Memory statistics off: SQLite counts every allocation under one global mutex while they are
//   on (the default), so every statement of every thread queued on it. We never read them.
// - Multi-thread mode, not serialized: no mutex around each call on a connection or statement
//   (a page of 50 members made ~2,000 such calls, and locking was 13% of its CPU). The pool lends
//   a connection, and so its statements and kept statements, to one thread at a time, which is
//   what this mode asks of the application.
void configure_sqlite_library() {
  static std::once_flag once;
  std::call_once(once, [] {
    // SOCI declares SQLite's API inside namespace sqlite_api.
    if (sqlite_api::sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK ||
        sqlite_api::sqlite3_config(SQLITE_CONFIG_MULTITHREAD) != SQLITE_OK) {
      spdlog::debug("SQLite was initialised before it could be configured");
    }
    if (!sqlite_statement_cache_active()) {
      spdlog::warn(
          "SQLite statements are compiled for every query: the statement cache is not "
          "linked into this binary");
    }
  });
}

bool has_param(const std::string& params, std::string_view name) {
  return std::regex_search(params, std::regex("(^|\\s)" + std::string(name) + "\\s*="));
}

}  // namespace

Result<ConnectionSpec> parse_connection_string(std::string_view conn) {
  const auto sep = conn.find("://");
  if (sep == std::string_view::npos) return std::unexpected(bad_connection_string(conn));
  ConnectionSpec spec;
  spec.backend = std::string(conn.substr(0, sep));
  spec.params = std::string(conn.substr(sep + 3));
  if (spec.backend == "sqlite3" || spec.backend == "sqlite") {
    spec.backend = "sqlite3";
    spec.dialect = Dialect::sqlite;
    std::smatch m;
    if (!std::regex_search(spec.params, m, std::regex(R"((?:^|\s)db\s*=\s*(\S+))"))) {
      return std::unexpected(bad_connection_string(conn));
    }
    spec.sqlite_path = m[1].str();
    if (!has_param(spec.params, "timeout")) spec.params += " timeout=10";
  } else if (spec.backend == "mysql" || spec.backend == "mariadb") {
    spec.backend = "mysql";
    spec.dialect = Dialect::mysql;
    if (!has_param(spec.params, "db") && !has_param(spec.params, "dbname")) {
      return std::unexpected(bad_connection_string(conn));
    }
    if (!has_param(spec.params, "charset")) spec.params += " charset=utf8mb4";
    if (!has_param(spec.params, "connect_timeout")) spec.params += " connect_timeout=5";
  } else {
    return std::unexpected(bad_connection_string(conn));
  }
  return spec;
}

Result<std::unique_ptr<Database>> Database::open(std::string_view conn, std::size_t pool_size) {
  auto spec = parse_connection_string(conn);
  if (!spec) return std::unexpected(spec.error());
  if (pool_size == 0) pool_size = 1;
  if (spec->dialect == Dialect::sqlite) {
    configure_sqlite_library();
    const auto parent = std::filesystem::path(spec->sqlite_path).parent_path();
    std::error_code ec;
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  }
  std::unique_ptr<Database> db(new Database(std::move(*spec), pool_size));
  try {
    for (std::size_t i = 0; i < pool_size; ++i) db->connect(db->pool_.at(i));
  } catch (...) {
    DbFailure failure = classify(std::current_exception());
    spdlog::error("cannot open database {}: {}", redact_connection_string(conn), failure.detail);
    if (failure.kind == DbFailureKind::other) failure.kind = DbFailureKind::connection_lost;
    return std::unexpected(to_error(failure));
  }
  return db;
}

void Database::pause_before(int attempt) {
  // Per thread, seeded once: a retry must not wait on a shared generator's lock.
  thread_local std::minstd_rand engine{std::random_device{}()};
  const double unit = std::uniform_real_distribution<double>(0.0, 1.0)(engine);
  std::this_thread::sleep_for(retry_backoff(attempt, unit));
}

namespace {

// How long a write waits for its process's turn on Galera before it is answered 503: well past
// one transaction's worst case (kMaxGaleraWriteAttempts pauses, ~10 s), short of a client's
// patience.
constexpr std::chrono::milliseconds kGaleraTurnLimit{20'000};
thread_local bool in_galera_turn = false;

}  // namespace

Database::GaleraTurn::GaleraTurn(Database& db) {
  if (!db.galera() || in_galera_turn) return;
  held_ = db.galera_gate_.enter(kGaleraTurnLimit);
  if (!held_) return;
  entered_ = &db;
  in_galera_turn = true;
}

Database::GaleraTurn::~GaleraTurn() {
  if (!entered_) return;
  in_galera_turn = false;
  entered_->galera_gate_.leave();
}

Error Database::turn_refused() {
  spdlog::warn("database busy: a write waited {} s for its turn on the Galera cluster",
               kGaleraTurnLimit.count() / 1000);
  return to_error({DbFailureKind::busy, true, "no turn for the write"});
}

Database::Database(ConnectionSpec spec, std::size_t pool_size)
    : spec_(std::move(spec)),
      pool_size_(pool_size),
      pool_(pool_size),
      broken_(pool_size, 0),
      checked_(pool_size, 0) {}

Database::~Database() = default;

void Database::connect(soci::session& s) {
  if (spec_.dialect == Dialect::sqlite) {
    s.open(soci::sqlite3, spec_.params);
  } else {
    s.open(soci::mysql, spec_.params);
  }
  initialise(s);
}

void Database::initialise(soci::session& s) {
  if (spec_.dialect == Dialect::sqlite) {
    std::string mode;
    s << "PRAGMA journal_mode=WAL", soci::into(mode);
    s << "PRAGMA synchronous=FULL";
    s << "PRAGMA foreign_keys=ON";
    s << "PRAGMA busy_timeout=10000";
    // Reads through a memory map and a larger page cache: a 10,000-unit directory search
    // scanned the table in 37 ms through read() calls and 16 ms mapped.
    s << "PRAGMA mmap_size=268435456";
    s << "PRAGMA cache_size=-16000";
  } else {
    s << "SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci";
    s << "SET SESSION sql_mode='STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,"
         "ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION,NO_AUTO_VALUE_ON_ZERO'";
    s << "SET SESSION time_zone='+00:00'";
    std::string name;
    std::string value;
    soci::indicator ind = soci::i_null;
    s << "SHOW VARIABLES LIKE 'wsrep_on'", soci::into(name), soci::into(value, ind);
    if (s.got_data() && ind == soci::i_ok && value == "ON") {
      // A read waits until this node has applied what the cluster committed before it: what a
      // user wrote through one node is there when the next request reads through another.
      s << "SET SESSION wsrep_sync_wait = 1";
      // A local wait on the write token is for one short transaction. The drill once saw a
      // holder the applier could not abort ("BF lock wait long"): its waiters sat out the
      // default 50 s. After 10 s they give up, and the wait is retried as a conflict.
      s << "SET SESSION innodb_lock_wait_timeout = 10";
      if (!galera_.exchange(true)) {
        spdlog::info(
            "the database is a Galera cluster node: causal reads, and every write "
            "transaction takes the cluster's write token first");
      }
    }
  }
}

Database::Lease::Lease(Database& db) : db_(db), pos_(db.pool_.lease()) {
  db_.in_use_.fetch_add(1, std::memory_order_relaxed);
}

Database::Lease::~Lease() {
  db_.in_use_.fetch_sub(1, std::memory_order_relaxed);
  db_.pool_.give_back(pos_);
}

soci::session& Database::Lease::session() {
  soci::session& s = raw();
  const std::uint64_t generation = db_.lost_generation_.load(std::memory_order_acquire);
  if (!db_.broken_[pos_] && db_.checked_[pos_] != generation && !s.is_connected()) {
    db_.broken_[pos_] = 1;  // another session lost the server, and this one's link is gone too
  }
  if (db_.broken_[pos_]) {
    s.reconnect();
    db_.initialise(s);
    db_.broken_[pos_] = 0;
  }
  db_.checked_[pos_] = generation;
  return s;
}

Error Database::Lease::fail(std::exception_ptr e) {
  if (classify(e).kind == DbFailureKind::connection_lost) {
    db_.broken_[pos_] = 1;
    db_.lost_generation_.fetch_add(1, std::memory_order_acq_rel);
  }
  return failure_of(e);
}

Error Database::failure_of(std::exception_ptr e) {
  const DbFailure failure = classify(e);
  switch (failure.kind) {
    case DbFailureKind::connection_lost:
      spdlog::warn("database connection lost: {}", failure.detail);
      break;
    case DbFailureKind::busy:
      spdlog::warn("database busy: {}", failure.detail);
      break;
    case DbFailureKind::other:
      spdlog::error("database error: {}", failure.detail);
      break;
    default:
      spdlog::debug("constraint: {}", failure.detail);
  }
  return to_error(failure);
}

void Database::begin(soci::session& s) {
  if (spec_.dialect == Dialect::sqlite) {
    s << "BEGIN IMMEDIATE";
  } else {
    s.begin();
    // Galera replicates no row locks, so the lock-then-check designs written for one server
    // (a class row locked, then its places counted) would let two nodes both pass their checks.
    // Writing one common row first makes every two write transactions conflict: on one node the
    // second waits for the first's lock; across nodes the later commit fails certification and
    // runs again, and then reads what the first wrote (schema 0016_write_token).
    if (galera_.load(std::memory_order_relaxed)) {
      s << "UPDATE write_token SET n = n + 1 WHERE id = 1";
    }
  }
}

void Database::commit(soci::session& s) {
  if (spec_.dialect == Dialect::sqlite) {
    s << "COMMIT";
  } else {
    s.commit();
  }
}

void Database::rollback(soci::session& s) {
  if (spec_.dialect == Dialect::sqlite) {
    s << "ROLLBACK";
  } else {
    s.rollback();
  }
}

void Database::rollback_quietly(soci::session& s) noexcept {
  try {
    rollback(s);
  } catch (...) {
    // No transaction was open (BEGIN failed) or the connection is gone: nothing to undo.
  }
}

void Database::run_grouped(GroupedWrite& write) {
  std::unique_lock<std::mutex> lock(group_mutex_);
  group_queue_.push_back(&write);
  // Not done and no leader: the write is still queued, and this caller leads the next group.
  group_done_.wait(lock, [&] { return write.done || !group_leader_; });
  if (write.done) return;
  group_leader_ = true;
  std::vector<GroupedWrite*> group;
  group.swap(group_queue_);
  lock.unlock();
  write_groups_.fetch_add(1, std::memory_order_relaxed);
  grouped_writes_.fetch_add(group.size(), std::memory_order_relaxed);
  commit_group(group);
  lock.lock();
  for (GroupedWrite* w : group) w->done = true;
  group_leader_ = false;
  group_done_.notify_all();
}

void Database::commit_group(const std::vector<GroupedWrite*>& group) noexcept {
  Lease lease(*this);
  try {
    soci::session& s = lease.session();
    for (int attempt = 1;; ++attempt) {
      try {
        begin(s);
        break;
      } catch (...) {
        rollback_quietly(s);
        if (!classify(std::current_exception()).retryable || attempt == kMaxAttempts) throw;
      }
    }
    for (GroupedWrite* w : group) {
      s << "SAVEPOINT grouped_write";
      w->ran = true;
      try {
        w->kept = w->run(w->body, s);
      } catch (...) {
        w->failed = failure_of(std::current_exception());
      }
      if (!w->kept) s << "ROLLBACK TO grouped_write";
      s << "RELEASE grouped_write";
    }
    commit(s);
  } catch (...) {
    // BEGIN, a savepoint or the commit failed: the transaction is gone, and every write with it.
    rollback_quietly(lease.raw());
    const Error e = lease.fail(std::current_exception());
    for (GroupedWrite* w : group) {
      if (w->kept || !w->ran) w->failed = e;  // a write that returned an error keeps its own
      w->kept = false;
    }
  }
}

Status Database::ping() {
  return with_session([](soci::session& s) -> Status {
    int one = 0;
    s << "SELECT 1", soci::into(one);
    return {};
  });
}

}  // namespace xiehui::db
