#pragma once
// JSON shapes of exchange visits (API.md "Exchange visits").

#include <boost/json/object.hpp>

#include "services/visits/exchange_service.hpp"
#include "services/visits/visit_service.hpp"
#include "web/json_body.hpp"

namespace xiehui::web::dto {

boost::json::object visit_json(const visits::VisitView& v);
boost::json::object delegate_json(const visits::Delegate& d);
boost::json::object application_json(const visits::Application& a);
boost::json::object rooming_json(const visits::Rooming& r);
boost::json::object attendance_json(const visits::VisitAttendance& a);
boost::json::object report_json(const visits::VisitReport& r);
boost::json::object report_file_json(const visits::visit_repository::ReportFile& f);
boost::json::object topic_json(const visits::Topic& t);
boost::json::object offer_json(const visits::HostOffer& o);
boost::json::object interest_json(const visits::Interest& i);
/// A match: the host (`for_unit`) or the interested unit (for an offer).
boost::json::object match_json(const visits::MatchView& m, bool for_unit);

/// Reads a visit's fields for create (`required`) or patch; type errors collect in `body`.
visits::VisitPatch read_visit_patch(JsonBody& body, bool required);
/// A new visit from a patch read with `required` (defaults: status draft, the withdrawal
/// cut-off seven days before the start).
visits::Visit new_visit(const visits::VisitPatch& p);
/// The delegates of an application ("delegates[i].mobile" errors collect in `body`).
std::vector<visits::Delegate> read_delegates(JsonBody& body);
/// {"rooms":[{"delegates":[id,…]}]}.
std::vector<visits::Room> read_rooms(JsonBody& body);
/// A list of {"from","to"} dates under `name`.
std::vector<visits::Period> read_periods(JsonBody& body, const std::string& name, bool required);

}  // namespace xiehui::web::dto
