#pragma once
// JSON of subject requests (docs/API.md "Privacy").

#include <boost/json.hpp>

#include "services/privacy/privacy.hpp"

namespace xiehui::web::dto {

/// {"records": [...], "messages": [...]}
boost::json::object person_data_json(const privacy::PersonData& d);
/// {"records", "messages", "notifications", "audit_rows", "other_rows"}
boost::json::object erasure_json(const privacy::ErasureReport& r);

}  // namespace xiehui::web::dto
