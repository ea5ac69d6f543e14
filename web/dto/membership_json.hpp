#pragma once
// JSON shapes of applications (API.md "Membership").

#include <boost/json/object.hpp>

#include "services/membership/import_service.hpp"
#include "services/membership/membership.hpp"
#include "services/membership/membership_service.hpp"
#include "web/http.hpp"
#include "web/json_body.hpp"
#include "web/json_writer.hpp"

namespace xiehui::web::dto {

boost::json::object application_json(const membership::Application& a);

/// A member unit; with `full` false only the public directory fields (id, name, short_name,
/// type, level, city_code, tier); `full` adds what only staff and the unit itself see.
void write_member(JsonWriter& w, const membership::Member& m, bool full);
std::string member_text(const membership::Member& m, bool full);
/// A page of the directory: {"items": [member…], "total", "page", "page_size"}.
std::string member_page_text(const membership::MemberPage& page, const Paging& paging, bool full);

boost::json::object contact_json(const membership::MemberContact& c);

/// {"kind","from","to","effective_on","reason","actor_name","changed_at"}.
boost::json::object history_json(const membership::HistoryEntry& e);

/// A certificate for its holder: number, name, tier, validity, the verification URL and its
/// QR code as SVG text.
boost::json::object certificate_json(const membership::Certificate& c,
                                     const std::string& verify_url, const std::string& qr_svg);

/// What the public verification page may show: genuine, current, number, name, tier, validity.
boost::json::object certificate_check_json(const membership::Certificate& c);

/// {"dry_run","rows","created","updated","unchanged","errors":[{"row","field","message"}]}
/// with messages in `lang`.
boost::json::object import_report_json(const membership::ImportReport& r, Lang lang);

/// Reads {"org":{...},"contact":{...},"account":{"username","password"}}; type errors are
/// collected in `body` under "org.name" etc.
membership::ApplicationInput read_application(JsonBody& body);

}  // namespace xiehui::web::dto
