#include "services/audit/audit_repository.hpp"

#include "core/time.hpp"

namespace xiehui::audit::audit_repository {
namespace {

// "WHERE ..." with every value bound, never spliced into the text.
struct Where {
  std::string sql;
  std::vector<std::string> values;
  void add(const char* column, const char* op, const std::string& value) {
    sql += values.empty() ? " WHERE " : " AND ";
    sql += std::string(column) + op + ":v" + std::to_string(values.size());
    values.push_back(value);
  }
};

Where where_of(const AuditFilter& f) {
  Where w;
  if (!f.entity_type.empty()) w.add("entity_type", " = ", f.entity_type);
  if (!f.entity_id.empty()) w.add("entity_id", " = ", f.entity_id);
  if (!f.actor.empty()) w.add("actor_name", " = ", f.actor);
  if (!f.action.empty()) w.add("action", " = ", f.action);
  if (f.from) w.add("at", " >= ", format_db_timestamp(*f.from));
  if (f.to) w.add("at", " < ", format_db_timestamp(*f.to));
  return w;
}

void prepare(soci::statement& st, const std::string& sql) {
  st.alloc();
  st.prepare(sql);
  st.define_and_bind();
}

}  // namespace

long long count(soci::session& s, const AuditFilter& filter) {
  const Where w = where_of(filter);
  long long total = 0;
  soci::statement st(s);
  st.exchange(soci::into(total));
  for (const std::string& v : w.values) st.exchange(soci::use(v));
  prepare(st, "SELECT COUNT(*) FROM audit_log" + w.sql);
  st.execute(true);
  return total;
}

std::vector<AuditRecord> list(soci::session& s, const AuditFilter& filter, int limit, int offset) {
  const Where w = where_of(filter);
  soci::row row;
  soci::statement st(s);
  st.exchange(soci::into(row));
  // SOCI binds by position: the filter values come first in the text, then LIMIT and OFFSET.
  for (const std::string& v : w.values) st.exchange(soci::use(v));
  st.exchange(soci::use(limit));
  st.exchange(soci::use(offset));
  prepare(st, std::string("SELECT ") + kAuditColumns + " FROM audit_log" + w.sql +
                  " ORDER BY id DESC LIMIT :lim OFFSET :off");
  st.execute(false);
  std::vector<AuditRecord> out;
  while (st.fetch()) out.push_back(read_audit_record(row));
  return out;
}

}  // namespace xiehui::audit::audit_repository
