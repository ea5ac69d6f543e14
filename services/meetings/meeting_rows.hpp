#pragma once
// Reading soci rows as both backends report them; only the meetings repository files include it.

#include <soci/soci.h>

#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/db/sql.hpp"
#include "core/time.hpp"

namespace xiehui::meetings::rows {

inline bool is_mysql(soci::session& s) { return s.get_backend_name() == "mysql"; }

inline Timestamp ts(const soci::row& r, std::size_t i) {
  return parse_db_timestamp(r.get<std::string>(i)).value_or(Timestamp{});
}

inline std::optional<long long> nullable_id(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) != soci::i_ok) return std::nullopt;
  return db::get_int64(r, i);
}

inline std::string text(const soci::row& r, std::size_t i) {
  return r.get_indicator(i) == soci::i_ok ? r.get<std::string>(i) : std::string();
}

inline int as_int(const soci::row& r, std::size_t i) {
  return static_cast<int>(db::get_int64(r, i));
}

/// The rows `sql` selects with `binds`, each read by `read`.
template <class Read, class... Binds>
auto query(soci::session& s, const std::string& sql, Read read, Binds&&... binds) {
  soci::row row;
  soci::statement st = ((s.prepare << sql, soci::into(row)), ..., std::forward<Binds>(binds));
  st.execute(false);
  std::vector<decltype(read(row))> out;
  while (st.fetch()) out.push_back(read(row));
  return out;
}

/// Binds an optional id as a nullable value.
struct NullableId {
  explicit NullableId(std::optional<long long> v)
      : value(v.value_or(0)), ind(v ? soci::i_ok : soci::i_null) {}
  long long value;
  soci::indicator ind;
};

}  // namespace xiehui::meetings::rows
