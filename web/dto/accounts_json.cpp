#include "web/dto/accounts_json.hpp"

#include <boost/json.hpp>

#include "core/time.hpp"

namespace xiehui::web::dto {
namespace {

boost::json::array roles_json(const std::vector<Role>& roles) {
  boost::json::array out;
  for (Role r : roles) out.emplace_back(to_string(r));
  return out;
}

boost::json::value nullable(const std::optional<long long>& v) {
  return v ? boost::json::value(*v) : boost::json::value(nullptr);
}

}  // namespace

boost::json::object user_json(const accounts::User& u) {
  return {{"id", u.id},
          {"username", u.username},
          {"display_name", u.display_name},
          {"roles", roles_json(u.roles)},
          {"member_id", nullable(u.member_id)},
          {"email", u.email ? boost::json::value(*u.email) : nullptr},
          {"member_no", u.member_id ? boost::json::value(u.member_no) : nullptr},
          {"member_name", u.member_id ? boost::json::value(u.member_name) : nullptr},
          {"disabled", u.disabled},
          {"two_factor", u.two_factor},
          {"created_at", format_instant(u.created_at)}};
}

boost::json::object session_user_json(long long id, const std::string& username,
                                      const std::string& display_name,
                                      const std::vector<Role>& roles,
                                      const std::optional<long long>& member_id) {
  boost::json::array permissions;
  for (Permission p : kAllPermissions) {
    if (grants(roles, p)) permissions.emplace_back(to_string(p));
  }
  return {{"id", id},
          {"username", username},
          {"display_name", display_name},
          {"roles", roles_json(roles)},
          {"member_id", nullable(member_id)},
          {"permissions", std::move(permissions)}};
}

boost::json::object token_json(const accounts::ApiToken& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"created_at", format_instant(t.created_at)},
          {"last_used_at", t.last_used_at ? boost::json::value(format_instant(*t.last_used_at))
                                          : boost::json::value(nullptr)},
          {"revoked", t.revoked}};
}

boost::json::object two_factor_json(const accounts::TwoFactorStatus& st) {
  return {{"enabled", st.enabled},
          {"pending", st.pending},
          {"enabled_at", st.enabled_at ? boost::json::value(format_instant(*st.enabled_at))
                                       : boost::json::value(nullptr)}};
}

boost::json::object active_session_json(const accounts::ActiveSession& s) {
  return {{"id", s.id},
          {"created_at", format_instant(s.created_at)},
          {"last_seen_at", format_instant(s.last_seen_at)},
          {"expires_at", format_instant(s.expires_at)},
          {"address", s.address},
          {"user_agent", s.user_agent},
          {"current", s.current}};
}

boost::json::object audit_json(const AuditRecord& r) {
  return {{"id", r.id},
          {"at", format_instant(r.at)},
          {"actor_id", nullable(r.entry.actor_id)},
          {"actor", r.entry.actor_name},
          {"address", r.entry.address},
          {"action", r.entry.action},
          {"entity_type", r.entry.entity_type},
          {"entity_id", r.entry.entity_id},
          {"summary", r.entry.summary},
          {"hash", r.hash}};
}

}  // namespace xiehui::web::dto
