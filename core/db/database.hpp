#pragma once
// Database: a pool of SOCI sessions with per-session initialisation, classified errors and
// transactions that commit only on success. Repositories receive the soci::session& it lends.

#include <soci/soci.h>

#include <atomic>
#include <concepts>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/db/db_error.hpp"
#include "core/db/fifo_gate.hpp"
#include "core/db/retry_backoff.hpp"
#include "core/error.hpp"

namespace xiehui::db {

enum class Dialect { sqlite, mysql };

/// A parsed "backend://params" connection string.
struct ConnectionSpec {
  Dialect dialect = Dialect::sqlite;
  std::string backend;      ///< SOCI backend name: "sqlite3" or "mysql"
  std::string params;       ///< SOCI parameters, with our defaults added
  std::string sqlite_path;  ///< the db= file for SQLite, empty otherwise
};

/// Parses `sqlite3://db=PATH` or `mysql://db=... user=... host=... port=...`; anything else is
/// invalid_argument.
Result<ConnectionSpec> parse_connection_string(std::string_view conn);

template <class T>
struct is_result : std::false_type {};
template <class T, class E>
struct is_result<std::expected<T, E>> : std::true_type {};

/// A pool of database sessions. Thread-safe; one instance per process, owned by main.
class Database {
 public:
  /// Opens `pool_size` sessions and initialises each. Fails with unavailable when the server
  /// cannot be reached, invalid_argument for a malformed connection string.
  static Result<std::unique_ptr<Database>> open(std::string_view conn, std::size_t pool_size);

  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Dialect dialect() const { return spec_.dialect; }
  const ConnectionSpec& spec() const { return spec_; }
  std::size_t pool_size() const { return pool_size_; }
  /// Sessions currently lent out (for /metrics).
  std::size_t in_use() const { return in_use_.load(std::memory_order_relaxed); }
  /// SQLite group commit (for /metrics): transactions committed or failed, and the writes they
  /// carried; writes / groups is the mean group size.
  std::uint64_t write_groups() const { return write_groups_.load(std::memory_order_relaxed); }
  std::uint64_t grouped_writes() const { return grouped_writes_.load(std::memory_order_relaxed); }
  /// MariaDB write transactions run again after a deadlock or certification failure, and those
  /// that still failed after the last attempt (for /metrics: the retry rate under Galera).
  std::uint64_t write_retries() const { return write_retries_.load(std::memory_order_relaxed); }
  std::uint64_t write_conflicts_lost() const {
    return write_conflicts_lost_.load(std::memory_order_relaxed);
  }

  /// Runs fn(soci::session&) on a pooled session outside any explicit transaction. fn returns
  /// Result<T> (or a plain value, wrapped); SOCI exceptions become classified errors.
  template <class F>
  auto with_session(F&& fn) -> Result<typename std::invoke_result_t<F, soci::session&>::value_type>
  requires is_result<std::invoke_result_t<F, soci::session&>>::value {
    using R = std::invoke_result_t<F, soci::session&>;
    Lease lease(*this);
    try {
      return R(fn(lease.session()));
    } catch (...) {
      return std::unexpected(lease.fail(std::current_exception()));
    }
  }

  /// Runs fn(soci::session&) inside one write transaction: SQLite `BEGIN IMMEDIATE`, MariaDB
  /// `START TRANSACTION`. Commits when fn returns a value, rolls back on an error or exception.
  /// A deadlock, a lock wait timeout or a Galera certification failure runs fn again, whole, on
  /// a fresh session after a random pause (retry_backoff), up to kMaxWriteAttempts times
  /// (kMaxGaleraWriteAttempts on a Galera node), before
  /// it is reported as unavailable: so fn must have no effect outside the transaction.
  ///
  /// On SQLite, writes arriving together commit together (group commit): one writer leads, runs
  /// each waiting fn in its own savepoint of one transaction, and commits them with one fsync.
  /// A fn that fails rolls back its savepoint only; every caller returns only after the commit
  /// that holds its write (or with the error that lost it), so an answered write is durable.
  template <class F>
  auto with_transaction(F&& fn)
      -> Result<typename std::invoke_result_t<F, soci::session&>::value_type>
  requires is_result<std::invoke_result_t<F, soci::session&>>::value {
    using R = std::invoke_result_t<F, soci::session&>;
    if (spec_.dialect == Dialect::sqlite) {
      std::optional<R> result;
      auto body = [&](soci::session& s) {
        result.emplace(fn(s));
        return static_cast<bool>(*result);
      };
      GroupedWrite write{&call_body<decltype(body)>, &body, std::nullopt, false, false, false};
      run_grouped(write);
      if (write.failed) return std::unexpected(*write.failed);
      return std::move(*result);
    }
    // On Galera, one write transaction of this process at a time, oldest first (fifo_gate.hpp).
    const GaleraTurn turn(*this);
    if (!turn.held()) return std::unexpected(turn_refused());
    const int max_attempts = galera() ? kMaxGaleraWriteAttempts : kMaxWriteAttempts;
    bool reconnected = false;
    for (int attempt = 1;; ++attempt) {
      if (attempt > 1) pause_before(attempt);  // holding no session: others may finish meanwhile
      Lease lease(*this);
      bool committing = false;
      try {
        begin(lease.session());
        R result = fn(lease.session());
        committing = true;
        if (result) {
          commit(lease.session());
        } else {
          rollback(lease.session());
        }
        return result;
      } catch (...) {
        rollback_quietly(lease.raw());
        const DbFailure failure = classify(std::current_exception());
        // A connection lost before COMMIT took its uncommitted transaction with it: once, on a
        // new connection, it runs again (a pooled connection to a node that was restarted
        // fails at its first statement). Lost during COMMIT, the outcome is unknown: reported.
        const bool lost_early =
            failure.kind == DbFailureKind::connection_lost && !committing && !reconnected;
        if ((failure.retryable || lost_early) && attempt < max_attempts) {
          if (lost_early) {
            reconnected = true;
            lease.fail(std::current_exception());  // logs it; the next lease reconnects
          }
          write_retries_.fetch_add(1, std::memory_order_relaxed);
          continue;
        }
        if (failure.retryable) write_conflicts_lost_.fetch_add(1, std::memory_order_relaxed);
        return std::unexpected(lease.fail(std::current_exception()));
      }
    }
  }

  /// Whether the MariaDB server is a Galera cluster node (known once a session has connected).
  bool galera() const { return galera_.load(std::memory_order_relaxed); }

  /// `SELECT 1` on a pooled session: for readiness checks.
  Status ping();

 private:
  static constexpr int kMaxAttempts = 4;  // SQLite's BEGIN of a group (busy: another process)

  /// Sleeps retry_backoff(attempt) with a fresh random draw.
  static void pause_before(int attempt);

  /// The calling thread's turn at galera_gate_ for one write transaction, taken when the
  /// server is a Galera node and the thread holds no turn yet (a transaction opened inside
  /// another's body would otherwise wait for itself); nothing to take elsewhere.
  class GaleraTurn {
   public:
    explicit GaleraTurn(Database& db);
    ~GaleraTurn();
    GaleraTurn(const GaleraTurn&) = delete;
    GaleraTurn& operator=(const GaleraTurn&) = delete;
    /// False when the wait for the turn ran out: the transaction must not run.
    bool held() const { return held_; }

   private:
    Database* entered_ = nullptr;  // the database whose gate this turn holds, if any
    bool held_ = true;
  };
  /// The answer when a write waited kGaleraTurnLimit for its turn (logged).
  static Error turn_refused();

  /// RAII loan of one pooled session; reconnects a session that lost its server.
  class Lease {
   public:
    explicit Lease(Database& db);
    ~Lease();
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    /// The session, reconnected first if it lost its server (may throw).
    soci::session& session();
    /// The session as it is, for cleanup after a failure.
    soci::session& raw() { return db_.pool_.at(pos_); }
    /// Classifies the exception, logs it, and marks the session for reconnection when the
    /// connection was lost.
    Error fail(std::exception_ptr e);

   private:
    Database& db_;
    std::size_t pos_;
  };

  // One caller's write in a group commit. `run` returns whether fn's result was a value (keep its
  // savepoint); `failed` is set when nothing of it was kept for a reason fn did not return (it
  // threw, or the group's transaction could not begin or commit).
  struct GroupedWrite {
    bool (*run)(void* body, soci::session& s);
    void* body;
    std::optional<Error> failed;
    bool ran = false;
    bool kept = false;
    bool done = false;
  };
  template <class Body>
  static bool call_body(void* body, soci::session& s) {
    return (*static_cast<Body*>(body))(s);
  }
  /// Queues `write` and returns once a group holding it has committed or failed; leads the
  /// group when no other caller does.
  void run_grouped(GroupedWrite& write);
  /// One group: begin, each write in a savepoint, commit. Sets each write's outcome.
  void commit_group(const std::vector<GroupedWrite*>& group) noexcept;
  /// Classifies and logs a caught database exception (as Lease::fail, without a session).
  static Error failure_of(std::exception_ptr e);

  Database(ConnectionSpec spec, std::size_t pool_size);
  void connect(soci::session& s);
  void initialise(soci::session& s);
  void begin(soci::session& s);
  void commit(soci::session& s);
  void rollback(soci::session& s);
  void rollback_quietly(soci::session& s) noexcept;

  ConnectionSpec spec_;
  std::size_t pool_size_;
  soci::connection_pool pool_;
  std::vector<char> broken_;  // indexed by pool position; touched only by the lease holder
  // Bumped whenever a session finds its server gone: every other pooled session may point at
  // the same dead server, so each is pinged once before its next use (checked_, per position,
  // is the generation it was last known good at).
  std::atomic<std::uint64_t> lost_generation_{0};
  std::vector<std::uint64_t> checked_;
  std::atomic<std::size_t> in_use_{0};
  // SQLite allows one writer: the group leader is the process's only one, which avoids SQLite's
  // busy-retry sleeps (BEGIN IMMEDIATE still guards against other processes).
  std::mutex group_mutex_;
  std::condition_variable group_done_;
  std::vector<GroupedWrite*> group_queue_;  // waiting for the next group
  bool group_leader_ = false;
  std::atomic<std::uint64_t> write_groups_{0};
  std::atomic<std::uint64_t> grouped_writes_{0};
  std::atomic<std::uint64_t> write_retries_{0};
  std::atomic<std::uint64_t> write_conflicts_lost_{0};
  FifoGate galera_gate_;             // write transactions of this process, on Galera only
  std::atomic<bool> galera_{false};  // the server is a Galera node (wsrep_on), seen at connect
};

}  // namespace xiehui::db
