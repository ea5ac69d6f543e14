#pragma once
// A WHERE clause built from optional filters, every value bound (never spliced into the text).
// SOCI binds by position, so bind() binds the values in the order their placeholders appear.

#include <soci/soci.h>

#include <string>
#include <vector>

namespace xiehui::db {

/// A LIKE pattern for `text` anywhere, with ! as the escape character (write ESCAPE '!'):
/// %, _ and ! in `text` match themselves. ('\\' would be an escape inside MariaDB strings.)
inline std::string contains_pattern(const std::string& text) {
  std::string pattern = "%";
  for (const char c : text) {
    if (c == '%' || c == '_' || c == '!') pattern += '!';
    pattern += c;
  }
  return pattern + '%';
}

/// Prepares a statement whose into/use exchanges are already set (dynamic WHERE clauses).
inline void prepare(soci::statement& st, const std::string& sql) {
  st.alloc();
  st.prepare(sql);
  st.define_and_bind();
}

class Where {
 public:
  /// Adds "column op :vN" bound to `value`; nothing when `value` is empty (no filter).
  void add(const std::string& column, const std::string& op, const std::string& value) {
    if (!value.empty()) condition(column + op + next(value));
  }
  /// Adds "(c1 LIKE :vN ESCAPE '!' OR c2 LIKE …)" for `text` anywhere in any of the columns;
  /// nothing when `text` is empty. %, _ and ! in `text` match themselves.
  void add_contains(const std::vector<std::string>& columns, const std::string& text) {
    if (text.empty()) return;
    const std::string pattern = contains_pattern(text);
    std::string any;
    for (const std::string& column : columns) {
      any += (any.empty() ? "(" : " OR ") + column + " LIKE " + next(pattern) + " ESCAPE '!'";
    }
    condition(any + ")");
  }
  /// Adds a condition without caller text in it (ids the service produced, fixed SQL).
  void add_fixed(const std::string& sql) { condition(sql); }
  /// " WHERE a = :v0 AND …", or "" without conditions.
  const std::string& sql() const { return sql_; }
  /// Binds every value to `st`, in placeholder order.
  void bind(soci::statement& st) const {
    for (const std::string& v : values_) st.exchange(soci::use(v));
  }

 private:
  std::string next(const std::string& value) {
    values_.push_back(value);
    return ":v" + std::to_string(values_.size() - 1);
  }
  void condition(const std::string& text) {
    sql_ += sql_.empty() ? " WHERE " : " AND ";
    sql_ += text;
  }

  std::string sql_;
  std::vector<std::string> values_;
};

}  // namespace xiehui::db
