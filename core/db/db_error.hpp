#pragma once
// Classification of database exceptions into what callers can act on.

#include <exception>
#include <string>

#include "core/error.hpp"

namespace xiehui::db {

enum class DbFailureKind { unique_violation, foreign_key_violation, connection_lost, busy, other };

/// What a caught database exception means. `retryable` marks deadlocks and busy databases.
struct DbFailure {
  DbFailureKind kind = DbFailureKind::other;
  bool retryable = false;
  std::string detail;  ///< the driver's message, for logs only
};

/// Classifies a SOCI (or other) exception by SQLite result code / MySQL error number.
DbFailure classify(std::exception_ptr e);

/// The caller-facing error: unique → already_exists, foreign key → conflict, lost connection or
/// busy → unavailable, anything else → internal (details only in the log).
Error to_error(const DbFailure& failure);

}  // namespace xiehui::db
