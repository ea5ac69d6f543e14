#pragma once
// The few places where shared DML differs between SQLite and MariaDB.

#include <soci/soci.h>

#include <string>

namespace xiehui::db {

/// " FOR UPDATE" on MariaDB (row locks for read-then-write), "" on SQLite, whose write
/// transactions (BEGIN IMMEDIATE) already exclude other writers.
inline const char* for_update(soci::session& s) {
  return s.get_backend_name() == "mysql" ? " FOR UPDATE" : "";
}

/// The id the last INSERT into `table` gave its row.
inline long long last_insert_id(soci::session& s, const char* table) {
  long long id = 0;
  s.get_last_insert_id(table, id);
  return id;
}

/// Reads a COUNT/SUM-like aggregate, which SQLite reports as text and MariaDB as a number.
inline long long scalar(soci::session& s, const std::string& sql) {
  long long v = 0;
  soci::indicator ind = soci::i_null;
  s << sql, soci::into(v, ind);
  return ind == soci::i_ok ? v : 0;
}

/// An integer column of a soci::row, whichever width or type the backend reports (SQLite gives
/// INTEGER as int and aggregates as text; MariaDB gives BIGINT as long long). NULL reads as 0.
inline long long get_int64(const soci::row& row, std::size_t i) {
  if (row.get_indicator(i) == soci::i_null) return 0;
  switch (row.get_properties(i).get_data_type()) {
    case soci::dt_integer:
      return row.get<int>(i);
    case soci::dt_long_long:
      return row.get<long long>(i);
    case soci::dt_unsigned_long_long:
      return static_cast<long long>(row.get<unsigned long long>(i));
    case soci::dt_double:
      return static_cast<long long>(row.get<double>(i));
    case soci::dt_string:
      return std::stoll(row.get<std::string>(i));
    default:
      return 0;
  }
}

}  // namespace xiehui::db
