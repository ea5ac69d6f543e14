#include "services/audit/audit_repository.hpp"

#include "core/db/where.hpp"
#include "core/time.hpp"

namespace xiehui::audit::audit_repository {
namespace {

db::Where where_of(const AuditFilter& f) {
  db::Where w;
  w.add("entity_type", " = ", f.entity_type);
  w.add("entity_id", " = ", f.entity_id);
  w.add("actor_name", " = ", f.actor);
  w.add("action", " = ", f.action);
  // personal.view, personal.export, person.search …: one prefix, a range of ix_audit_log_action.
  if (f.access_log) w.add_fixed("action LIKE 'person%'");
  if (f.from) w.add("at", " >= ", format_db_timestamp(*f.from));
  if (f.to) w.add("at", " < ", format_db_timestamp(*f.to));
  return w;
}

}  // namespace

long long count(soci::session& s, const AuditFilter& filter) {
  const db::Where w = where_of(filter);
  long long total = 0;
  soci::statement st(s);
  st.exchange(soci::into(total));
  w.bind(st);
  db::prepare(st, "SELECT COUNT(*) FROM audit_log" + w.sql());
  st.execute(true);
  return total;
}

std::vector<AuditRecord> list(soci::session& s, const AuditFilter& filter, int limit, int offset) {
  const db::Where w = where_of(filter);
  soci::row row;
  soci::statement st(s);
  st.exchange(soci::into(row));
  // SOCI binds by position: the filter values come first in the text, then LIMIT and OFFSET.
  w.bind(st);
  st.exchange(soci::use(limit));
  st.exchange(soci::use(offset));
  db::prepare(st, std::string("SELECT ") + kAuditColumns + " FROM audit_log" + w.sql() +
                      " ORDER BY id DESC LIMIT :lim OFFSET :off");
  st.execute(false);
  std::vector<AuditRecord> out;
  while (st.fetch()) out.push_back(read_audit_record(row));
  return out;
}

}  // namespace xiehui::audit::audit_repository
