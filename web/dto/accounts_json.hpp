#pragma once
// JSON shapes of accounts, sessions, tokens and audit records (API.md "Session and accounts").

#include <boost/json/object.hpp>

#include "core/access.hpp"
#include "core/audit.hpp"
#include "services/accounts/accounts.hpp"
#include "services/accounts/auth_service.hpp"
#include "services/accounts/two_factor.hpp"

namespace xiehui::web::dto {

/// {"id","username","display_name","roles","member_id","disabled","created_at"}
boost::json::object user_json(const accounts::User& user);
/// The signed-in user as the UI needs it: the user plus the permissions its roles grant.
boost::json::object session_user_json(long long id, const std::string& username,
                                      const std::string& display_name,
                                      const std::vector<Role>& roles,
                                      const std::optional<long long>& member_id);
boost::json::object token_json(const accounts::ApiToken& token);
boost::json::object audit_json(const AuditRecord& record);
/// {"enabled","pending","enabled_at"|null}
boost::json::object two_factor_json(const accounts::TwoFactorStatus& status);
/// {"id","created_at","last_seen_at","expires_at","address","user_agent","current"}
boost::json::object active_session_json(const accounts::ActiveSession& session);

}  // namespace xiehui::web::dto
