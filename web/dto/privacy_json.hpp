#pragma once
// JSON of subject requests (docs/API.md "Privacy").

#include <boost/json.hpp>

#include <optional>

#include "services/privacy/notice.hpp"
#include "services/privacy/privacy.hpp"
#include "services/privacy/retention.hpp"
#include "web/json_body.hpp"

namespace xiehui::web::dto {

/// {"records": [...], "messages": [...]}
boost::json::object person_data_json(const privacy::PersonData& d);
/// {"records", "messages", "notifications", "audit_rows", "other_rows"}
boost::json::object erasure_json(const privacy::ErasureReport& r);
/// {"version", "text_zh", "text_en", "published_at", "published_by"}
boost::json::object notice_json(const privacy::Notice& n);
/// {"version", "accepted_version", "accepted_at"}
boost::json::object acceptance_json(const privacy::Acceptance& a);

boost::json::object retention_settings_json(const privacy::RetentionSettings& s);
privacy::RetentionPatch read_retention_patch(JsonBody& body);
boost::json::object retention_run_json(const privacy::RetentionRun& r);

/// The optional "consent_version" of a form that takes personal data (a positive integer). The
/// service says whether it is needed and the one in force, naming a missing one with the form's
/// other field errors.
inline std::optional<long long> read_consent_version(JsonBody& body) {
  return body.integer("consent_version", false, 1, 1'000'000'000);
}

}  // namespace xiehui::web::dto
