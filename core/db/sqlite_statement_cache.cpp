// The definitions below replace SQLite's own for every caller in the process (see the header).
// They are the project's one piece of process-wide mutable state: the dynamic linker hands
// them only a connection pointer, so the caches hang off a registry keyed by it. A connection is
// used by one thread at a time (the pool lends it), so its cache needs no lock of its own; the
// registry's lock is shared except when a connection first prepares or closes.
#include "core/db/sqlite_statement_cache.hpp"

#include <dlfcn.h>
#include <sqlite3.h>
#include <strings.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace {

using PrepareFn = int (*)(sqlite3*, const char*, int, sqlite3_stmt**, const char**);
using FinalizeFn = int (*)(sqlite3_stmt*);
using CloseFn = int (*)(sqlite3*);

// SQLite's own definition of NAME: the next one after ours in the lookup order.
template <class Fn>
Fn sqlite_own(const char* name) {
  void* fn = dlsym(RTLD_NEXT, name);
  if (fn == nullptr) std::abort();  // libsqlite3 is linked in: this cannot fail
  return reinterpret_cast<Fn>(fn);
}

PrepareFn real_prepare() {
  static const PrepareFn fn = sqlite_own<PrepareFn>("sqlite3_prepare_v2");
  return fn;
}
FinalizeFn real_finalize() {
  static const FinalizeFn fn = sqlite_own<FinalizeFn>("sqlite3_finalize");
  return fn;
}
CloseFn real_close(const char* name) {
  static const CloseFn close = sqlite_own<CloseFn>("sqlite3_close");
  static const CloseFn close_v2 = sqlite_own<CloseFn>("sqlite3_close_v2");
  return std::strcmp(name, "sqlite3_close") == 0 ? close : close_v2;
}

struct TextHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// One connection's idle statements, most recently kept first.
class ConnectionCache {
 public:
  ConnectionCache() = default;
  ConnectionCache(const ConnectionCache&) = delete;
  ConnectionCache& operator=(const ConnectionCache&) = delete;

  /// The idle statement compiled from exactly `sql`, taken out of the cache; null when none.
  sqlite3_stmt* take(std::string_view sql) {
    auto it = by_text_.find(sql);
    if (it == by_text_.end()) return nullptr;
    auto entry = it->second;
    sqlite3_stmt* stmt = entry->stmt;
    by_text_.erase(it);
    idle_.erase(entry);
    return stmt;
  }

  /// Keeps a reset statement; returns the one to finalize instead (the statement itself when
  /// its text is already kept, else the least recently kept when the cache is full), or null.
  sqlite3_stmt* keep(sqlite3_stmt* stmt) {
    const char* text = sqlite3_sql(stmt);
    if (text == nullptr || by_text_.contains(std::string_view(text))) return stmt;
    idle_.push_front(Idle{std::string(text), stmt});
    by_text_.emplace(idle_.front().text, idle_.begin());
    if (idle_.size() <= xiehui::db::kIdlePerConnection) return nullptr;
    sqlite3_stmt* oldest = idle_.back().stmt;
    by_text_.erase(idle_.back().text);
    idle_.pop_back();
    return oldest;
  }

  /// The registry's schema generation the idle statements were compiled under.
  std::uint64_t generation = 0;

  std::vector<sqlite3_stmt*> drain() {
    std::vector<sqlite3_stmt*> all;
    for (auto& e : idle_) all.push_back(e.stmt);
    by_text_.clear();
    idle_.clear();
    return all;
  }

 private:
  struct Idle {
    std::string text;
    sqlite3_stmt* stmt;
  };
  std::list<Idle> idle_;  // list nodes stay put, so by_text_'s keys may view their text
  std::unordered_map<std::string_view, std::list<Idle>::iterator, TextHash, std::equal_to<>>
      by_text_;
};

class Registry {
 public:
  ConnectionCache& of(sqlite3* db) {
    {
      std::shared_lock lock(mutex_);
      auto it = caches_.find(db);
      if (it != caches_.end()) return *it->second;
    }
    std::unique_lock lock(mutex_);
    auto& slot = caches_[db];
    if (!slot) slot = std::make_unique<ConnectionCache>();
    return *slot;
  }

  std::vector<sqlite3_stmt*> forget(sqlite3* db) {
    std::unique_lock lock(mutex_);
    auto it = caches_.find(db);
    if (it == caches_.end()) return {};
    auto idle = it->second->drain();
    caches_.erase(it);
    return idle;
  }

  std::atomic<std::uint64_t> hits{0};
  std::atomic<std::uint64_t> misses{0};
  // Bumped by every schema change any connection of the process makes (see changes_schema).
  std::atomic<std::uint64_t> schema_generation{0};

 private:
  std::shared_mutex mutex_;
  std::unordered_map<sqlite3*, std::unique_ptr<ConnectionCache>> caches_;
};

Registry& registry() {
  // Never destroyed: connections may close during static destruction.
  static Registry* const r = new Registry;
  return *r;
}

// Whether SQL is a CREATE, DROP or ALTER. A kept statement recompiles itself when it steps after
// a schema change, but SOCI reads a result's columns before the first step (for soci::row), and
// SQLite marks other connections' statements stale only when they step. So a schema change made
// anywhere in the process drops every kept statement; the cache is for the steady state.
bool changes_schema(const char* sql) {
  if (sql == nullptr) return false;
  while (*sql == ' ' || *sql == '\n' || *sql == '\t' || *sql == '\r') ++sql;
  for (const char* verb : {"CREATE", "DROP", "ALTER"}) {
    if (strncasecmp(sql, verb, std::strlen(verb)) == 0) return true;
  }
  return false;
}

// The idle statement of DB compiled from exactly SQL, taken out of its cache; null when none.
sqlite3_stmt* take_kept(sqlite3* db, std::string_view sql) {
  Registry& r = registry();
  ConnectionCache& cache = r.of(db);
  const std::uint64_t generation = r.schema_generation.load(std::memory_order_acquire);
  if (cache.generation != generation) {
    for (sqlite3_stmt* stale : cache.drain()) real_finalize()(stale);
    cache.generation = generation;
  }
  return cache.take(sql);
}

int close_with(const char* name, sqlite3* db) {
  if (db != nullptr) {
    for (sqlite3_stmt* stmt : registry().forget(db)) real_finalize()(stmt);
  }
  return real_close(name)(db);
}

}  // namespace

extern "C" {

int sqlite3_prepare_v2(sqlite3* db, const char* sql, int bytes, sqlite3_stmt** out,
                       const char** tail) {
  if (db != nullptr && sql != nullptr && out != nullptr) {
    const std::size_t length = bytes < 0 ? std::strlen(sql) : strnlen(sql, std::size_t(bytes));
    if (changes_schema(sql)) registry().schema_generation.fetch_add(1, std::memory_order_release);
    sqlite3_stmt* kept = take_kept(db, std::string_view(sql, length));
    if (kept != nullptr) {
      registry().hits.fetch_add(1, std::memory_order_relaxed);
      *out = kept;
      if (tail != nullptr) *tail = sql + length;
      return SQLITE_OK;
    }
    registry().misses.fetch_add(1, std::memory_order_relaxed);
  }
  return real_prepare()(db, sql, bytes, out, tail);
}

int sqlite3_finalize(sqlite3_stmt* stmt) {
  if (stmt == nullptr) return SQLITE_OK;
  // finalize answers the last step's error, as reset does.
  const int rc = sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  const char* text = sqlite3_sql(stmt);
  if (changes_schema(text)) {
    // Also after it ran: a statement kept meanwhile on another connection saw the old schema.
    registry().schema_generation.fetch_add(1, std::memory_order_release);
    real_finalize()(stmt);
    return rc;
  }
  ConnectionCache& cache = registry().of(sqlite3_db_handle(stmt));
  const std::uint64_t generation = registry().schema_generation.load(std::memory_order_acquire);
  if (cache.generation != generation) {
    // The schema changed since this connection last prepared: what it holds, and this
    // statement, may have been compiled under the old one.
    for (sqlite3_stmt* stale : cache.drain()) real_finalize()(stale);
    cache.generation = generation;
    real_finalize()(stmt);
    return rc;
  }
  sqlite3_stmt* drop = cache.keep(stmt);
  if (drop != nullptr) real_finalize()(drop);
  return rc;
}

int sqlite3_close(sqlite3* db) { return close_with("sqlite3_close", db); }

int sqlite3_close_v2(sqlite3* db) { return close_with("sqlite3_close_v2", db); }

}  // extern "C"

namespace xiehui::db {

StatementCacheFigures sqlite_statement_cache_figures() {
  return {registry().hits.load(std::memory_order_relaxed),
          registry().misses.load(std::memory_order_relaxed)};
}

bool sqlite_statement_cache_active() {
  return dlsym(RTLD_DEFAULT, "sqlite3_prepare_v2") == reinterpret_cast<void*>(&sqlite3_prepare_v2);
}

}  // namespace xiehui::db
