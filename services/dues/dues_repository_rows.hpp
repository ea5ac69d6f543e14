#pragma once
// What the dues repository files share: reading soci rows as the backends report them, and the
// paged reads of a filtered list. Only the dues repository files include it.

#include <soci/soci.h>

#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/db/sql.hpp"
#include "core/db/where.hpp"
#include "core/time.hpp"

namespace xiehui::dues::dues_repository::rows {

inline bool is_mysql(soci::session& s) { return s.get_backend_name() == "mysql"; }

inline Timestamp ts(const soci::row& r, std::size_t i) {
  return parse_db_timestamp(r.get<std::string>(i)).value_or(Timestamp{});
}

inline std::optional<Timestamp> nullable_ts(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) != soci::i_ok) return std::nullopt;
  return parse_db_timestamp(r.get<std::string>(i));
}

inline std::optional<std::string> nullable_text(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) != soci::i_ok) return std::nullopt;
  return r.get<std::string>(i);
}

inline int as_int(const soci::row& r, std::size_t i) {
  return static_cast<int>(db::get_int64(r, i));
}

/// The rows `sql` (ending in "LIMIT :lim OFFSET :off") selects under `w`, read by `read`.
template <class Read>
auto page(soci::session& s, const db::Where& w, const std::string& sql, int limit, int offset,
          Read read) {
  soci::row row;
  soci::statement st(s);
  st.exchange(soci::into(row));
  w.bind(st);
  st.exchange(soci::use(limit));
  st.exchange(soci::use(offset));
  db::prepare(st, sql);
  st.execute(false);
  std::vector<decltype(read(row))> out;
  while (st.fetch()) out.push_back(read(row));
  return out;
}

/// The COUNT(*) `sql` computes under `w`.
inline long long count(soci::session& s, const db::Where& w, const std::string& sql) {
  long long n = 0;
  soci::statement st(s);
  st.exchange(soci::into(n));
  w.bind(st);
  db::prepare(st, sql);
  st.execute(true);
  return n;
}

}  // namespace xiehui::dues::dues_repository::rows
