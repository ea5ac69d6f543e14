#pragma once
// Keeps compiled SQLite statements per connection across SOCI's prepare-and-finalize of every
// query. SOCI 4.0 compiles each query afresh (sqlite3_prepare_v2) and frees it afterwards
// (sqlite3_finalize); compiling, with the audit and report triggers a write fires, was 40 % of a
// training sign-up's CPU and a quarter of a member GET's. sqlite_statement_cache.cpp defines
// those two SQLite functions (and sqlite3_close) in our binaries, so the dynamic linker binds
// SOCI's calls to them: a finalized statement is reset and kept, idle, for its connection, and
// the next prepare of the same text on that connection gets it back without compiling.
//
// Correctness rests on SQLite's own guarantees: a reset statement with cleared bindings behaves
// as a fresh one, and a statement from sqlite3_prepare_v2 recompiles itself when the schema
// changed. Each connection keeps at most kIdlePerConnection idle statements, least recently used
// first out; closing a connection finalizes its idle ones first.

#include <cstddef>
#include <cstdint>

namespace xiehui::db {

inline constexpr std::size_t kIdlePerConnection = 96;

struct StatementCacheFigures {
  std::uint64_t hits = 0;    ///< prepares answered with a kept statement
  std::uint64_t misses = 0;  ///< prepares compiled by SQLite
};

/// Process-wide totals since start (for /metrics and tests).
StatementCacheFigures sqlite_statement_cache_figures();

/// Whether SQLite calls in this process reach the cache: false when the binary does not export
/// its definitions (a link without the libraries that call SQLite), and then nothing is kept.
bool sqlite_statement_cache_active();

}  // namespace xiehui::db
