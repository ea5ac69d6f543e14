#include "services/notifications/notification_repository.hpp"

#include "core/time.hpp"

namespace xiehui::notifications {

void notify(soci::session& s, const Notice& n, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  long long member = n.member_id.value_or(0), user = n.user_id.value_or(0);
  soci::indicator member_ind = n.member_id ? soci::i_ok : soci::i_null;
  soci::indicator user_ind = n.user_id ? soci::i_ok : soci::i_null;
  s << "INSERT INTO notifications (member_id, user_id, kind, message, entity_type, entity_id, "
       "created_at) VALUES (:m, :u, :k, :msg, :t, :e, :at)",
      soci::use(member, member_ind), soci::use(user, user_ind), soci::use(n.kind),
      soci::use(n.message), soci::use(n.entity_type), soci::use(n.entity_id), soci::use(at);
}

}  // namespace xiehui::notifications
