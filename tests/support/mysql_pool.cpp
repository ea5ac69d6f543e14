#include "tests/support/mysql_pool.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <soci/mysql/soci-mysql.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <vector>

#include "core/clock.hpp"
#include "core/db/database.hpp"
#include "core/db/migrator.hpp"

namespace xiehui::testing {
namespace {

// Enough for ctest -j with two-process tests; a test that finds none free fails loudly.
constexpr int kMaxSlots = 32;
constexpr int kSetupLockSeconds = 300;

std::unique_ptr<soci::session> connect(const std::string& db, const std::string& server) {
  return std::make_unique<soci::session>(soci::mysql, "db=" + db + " " + server);
}

// The pool's name changes with the migrations, so a schema change never meets an old database.
std::string pool_prefix() {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a
  const auto mix = [&h](std::string_view s) {
    for (const char c : s) {
      h ^= static_cast<unsigned char>(c);
      h *= 1099511628211ULL;
    }
  };
  for (const db::Migration& m : db::embedded_migrations(db::Dialect::mysql)) {
    mix(std::to_string(m.version));
    mix(m.sql);
  }
  return fmt::format("xt_p{:010x}", h & 0xffffffffffULL);
}

int latest_version() {
  int v = 0;
  for (const db::Migration& m : db::embedded_migrations(db::Dialect::mysql)) {
    v = std::max(v, m.version);
  }
  return v;
}

bool get_lock(soci::session& s, const std::string& name, int seconds) {
  int got = 0;
  soci::indicator ind = soci::i_ok;
  s << "SELECT GET_LOCK(:n, :t)", soci::use(name), soci::use(seconds), soci::into(got, ind);
  return ind == soci::i_ok && got == 1;
}

void release_lock(soci::session& s, const std::string& name) {
  int released = 0;
  soci::indicator ind = soci::i_ok;
  s << "SELECT RELEASE_LOCK(:n)", soci::use(name), soci::into(released, ind);
}

bool database_exists(soci::session& s, const std::string& name) {
  int n = 0;
  s << "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = :n", soci::use(name),
      soci::into(n);
  return n == 1;
}

// Tables, views and triggers: a test that dropped or added one leaves a database to rebuild.
long long object_count(soci::session& s, const std::string& name) {
  long long tables = 0;
  long long triggers = 0;
  s << "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = :n", soci::use(name),
      soci::into(tables);
  s << "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = :n",
      soci::use(name), soci::into(triggers);
  return tables * 100000 + triggers;
}

int schema_version_of(soci::session& s, const std::string& name) {
  if (!database_exists(s, name)) return -1;
  int n = 0;
  s << "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = :n AND TABLE_NAME = "
       "'schema_version'",
      soci::use(name), soci::into(n);
  if (n == 0) return -1;
  int v = 0;
  soci::indicator ind = soci::i_ok;
  s << "SELECT MAX(version) FROM " + name + ".schema_version", soci::into(v, ind);
  return ind == soci::i_ok ? v : -1;
}

void create_migrated(soci::session& admin, const std::string& name, const std::string& server) {
  admin << "DROP DATABASE IF EXISTS " + name;
  admin << "CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci";
  auto database = db::Database::open("mysql://db=" + name + " " + server, 1);
  if (!database)
    throw std::runtime_error("cannot open " + name + ": " + database.error().message.en);
  const SystemClock clock;
  auto migrated = db::migrate(**database, db::embedded_migrations(db::Dialect::mysql), clock);
  if (!migrated)
    throw std::runtime_error("cannot migrate " + name + ": " + migrated.error().message.en);
}

bool ready(soci::session& admin, const std::string& name, long long pristine_objects) {
  return schema_version_of(admin, name) == latest_version() &&
         (pristine_objects < 0 || object_count(admin, name) == pristine_objects);
}

// What every use of the pool compares against: the pristine database's base tables (children
// before the report tables their triggers write, the second-layer report tables last) and which
// of them the migrations filled.
struct Pristine {
  std::string name;
  long long objects = 0;
  std::vector<std::string> tables;
  std::vector<std::string> seeded;
};

// Children before their parents: a trigger on a child row looks its parent up (an enrolment's
// class gives the year of the figures it moves).
std::vector<std::string> children_first(soci::session& s, const std::string& name,
                                        std::vector<std::string> tables) {
  std::multimap<std::string, std::string> parents;  // child → parent
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT TABLE_NAME, REFERENCED_TABLE_NAME FROM "
                    "information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = :n AND "
                    "REFERENCED_TABLE_NAME IS NOT NULL AND REFERENCED_TABLE_NAME <> TABLE_NAME",
       soci::use(name));
  for (const soci::row& r : rows) parents.emplace(r.get<std::string>(0), r.get<std::string>(1));
  std::vector<std::string> out;
  while (!tables.empty()) {
    const auto referenced = [&](const std::string& t) {
      for (const auto& [child, parent] : parents) {
        if (parent == t && std::find(tables.begin(), tables.end(), child) != tables.end()) {
          return true;
        }
      }
      return false;
    };
    const auto leaf = std::find_if_not(tables.begin(), tables.end(), referenced);
    // A cycle of foreign keys: take the rest as they are (deletes run without FK checks).
    const auto next = leaf == tables.end() ? tables.begin() : leaf;
    out.push_back(*next);
    tables.erase(next);
  }
  return out;
}

std::vector<std::string> base_tables(soci::session& s, const std::string& name) {
  std::vector<std::string> plain;
  std::vector<std::string> reports;
  std::vector<std::string> derived;  // filled by triggers on report_unit_year
  soci::rowset<std::string> rows =
      (s.prepare << "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = :n AND "
                    "TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME",
       soci::use(name));
  for (const std::string& t : rows) {
    if (t == "report_group_year" || t == "report_units") {
      derived.push_back(t);
    } else if (t.starts_with("report_")) {
      reports.push_back(t);
    } else {
      plain.push_back(t);
    }
  }
  plain = children_first(s, name, std::move(plain));
  plain.insert(plain.end(), reports.begin(), reports.end());
  plain.insert(plain.end(), derived.begin(), derived.end());
  return plain;
}

// The tables of `tables` holding at least one row, in their order (one round trip).
std::vector<std::string> non_empty(soci::session& s, const std::string& db,
                                   const std::vector<std::string>& tables) {
  std::string sql;
  for (std::size_t i = 0; i < tables.size(); ++i) {
    if (i > 0) sql += " UNION ALL ";
    sql += fmt::format("SELECT {} AS i FROM DUAL WHERE EXISTS (SELECT 1 FROM {}.`{}`)", i, db,
                       tables[i]);
  }
  std::vector<std::string> out;
  soci::rowset<int> rows = s.prepare << sql;
  for (const int i : rows) out.push_back(tables[static_cast<std::size_t>(i)]);
  return out;
}

Pristine pristine(soci::session& admin, const std::string& prefix, const std::string& server) {
  Pristine p;
  p.name = prefix + "_0";
  if (!ready(admin, p.name, -1)) create_migrated(admin, p.name, server);
  p.objects = object_count(admin, p.name);
  p.tables = base_tables(admin, p.name);
  p.seeded = non_empty(admin, p.name, p.tables);
  return p;
}

// Pools of older schemas left on a server kept between runs; dropped when nobody holds them.
void drop_stale_pools(soci::session& admin, const std::string& prefix) {
  std::vector<std::string> stale;
  soci::rowset<std::string> rows =
      admin.prepare << "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME "
                       "LIKE 'xt\\_p%\\_%'";
  for (const std::string& n : rows) {
    if (!n.starts_with(prefix + "_")) stale.push_back(n);
  }
  for (const std::string& n : stale) {
    if (!get_lock(admin, n, 0)) continue;
    admin << "DROP DATABASE IF EXISTS " + n;
    release_lock(admin, n);
  }
}

// Back to the migrated state: delete until every table is empty (deleting rows fires the report
// triggers, which write rows of their own), then copy the migrations' rows back.
void reset(soci::session& s, const std::string& name, const Pristine& p) {
  s << "SET FOREIGN_KEY_CHECKS = 0";
  soci::transaction tx(s);
  for (int pass = 0;; ++pass) {
    const std::vector<std::string> dirty = non_empty(s, name, p.tables);
    if (dirty.empty()) break;
    if (pass == 4) throw std::runtime_error("tables of " + name + " keep refilling: " + dirty[0]);
    for (const std::string& t : dirty) s << fmt::format("DELETE FROM {}.`{}`", name, t);
  }
  for (const std::string& t : p.seeded) {
    s << fmt::format("INSERT INTO {}.`{}` SELECT * FROM {}.`{}`", name, t, p.name, t);
  }
  tx.commit();
  s << "SET FOREIGN_KEY_CHECKS = 1";
}

}  // namespace

PooledMysqlDatabase::PooledMysqlDatabase(const std::string& server_params) {
  const std::string prefix = pool_prefix();
  lock_ = connect("mysql", server_params);
  soci::session& admin = *lock_;
  // One process at a time builds the pristine copy and sweeps old pools.
  const std::string setup = prefix + "_setup";
  if (!get_lock(admin, setup, kSetupLockSeconds)) {
    throw std::runtime_error("timed out waiting for " + setup);
  }
  Pristine p;
  try {
    drop_stale_pools(admin, prefix);
    p = pristine(admin, prefix, server_params);
  } catch (...) {
    release_lock(admin, setup);
    throw;
  }
  release_lock(admin, setup);

  for (int slot = 1; slot <= kMaxSlots && name_.empty(); ++slot) {
    const std::string candidate = fmt::format("{}_{}", prefix, slot);
    if (get_lock(admin, candidate, 0)) name_ = candidate;
  }
  if (name_.empty())
    throw std::runtime_error(fmt::format("all {} pooled databases are in use", kMaxSlots));
  if (!ready(admin, name_, p.objects)) {
    create_migrated(admin, name_, server_params);
  } else {
    reset(admin, name_, p);
  }
}

PooledMysqlDatabase::~PooledMysqlDatabase() = default;

}  // namespace xiehui::testing
