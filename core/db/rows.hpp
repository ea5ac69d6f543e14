#pragma once
// Reading soci rows as both backends report them (repositories only: SQL stays there).

#include <soci/soci.h>

#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/db/sql.hpp"
#include "core/time.hpp"

namespace xiehui::db::rows {

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

/// A short list kept in one text column, one item per line (items never hold a newline: the
/// callers accept one-line strings only).
inline std::string join_lines(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& t : items) {
    if (!out.empty()) out += '\n';
    out += t;
  }
  return out;
}

inline std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = text.find('\n', start);
    out.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

/// Binds an optional id as a nullable value.
struct NullableId {
  explicit NullableId(std::optional<long long> v)
      : value(v.value_or(0)), ind(v ? soci::i_ok : soci::i_null) {}
  long long value;
  soci::indicator ind;
};

}  // namespace xiehui::db::rows
