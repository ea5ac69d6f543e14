#pragma once
// JSON shapes of applications (API.md "Membership").

#include <boost/json/object.hpp>

#include "services/membership/membership.hpp"
#include "web/json_body.hpp"

namespace xiehui::web::dto {

boost::json::object application_json(const membership::Application& a);

/// A member unit; with `full` false only the public directory fields (id, name, short_name,
/// type, level, city_code, tier).
boost::json::object member_json(const membership::Member& m, bool full);

boost::json::object contact_json(const membership::MemberContact& c);

/// Reads {"org":{...},"contact":{...},"account":{"username","password"}}; type errors are
/// collected in `body` under "org.name" etc.
membership::ApplicationInput read_application(JsonBody& body);

}  // namespace xiehui::web::dto
