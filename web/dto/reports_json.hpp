#pragma once
// JSON shapes of the reports and the dashboard (API.md "Reports").

#include <boost/json/object.hpp>

#include "services/reports/reports.hpp"

namespace xiehui::web::dto {

boost::json::object dashboard_json(const reports::Dashboard& d);
boost::json::object membership_report_json(const reports::MembershipReport& r);
boost::json::object dues_report_json(const reports::DuesReport& r);
boost::json::object training_report_json(const reports::TrainingReport& r);
boost::json::object meetings_report_json(const reports::MeetingsReport& r);
boost::json::object visits_report_json(const reports::VisitsReport& r);
boost::json::object engagement_json(const reports::EngagementReport& r);
boost::json::object annual_json(const reports::AnnualReport& r);
boost::json::object drill_json(const reports::Page& p);
boost::json::object term_json(const reports::Term& t);

}  // namespace xiehui::web::dto
