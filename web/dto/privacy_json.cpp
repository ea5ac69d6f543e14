#include "web/dto/privacy_json.hpp"

namespace xiehui::web::dto {

boost::json::object person_data_json(const privacy::PersonData& d) {
  boost::json::array records;
  for (const auto& r : d.records) {
    records.push_back({{"kind", r.kind},
                       {"ref", r.ref},
                       {"name", r.name},
                       {"title", r.title},
                       {"mobile", r.mobile},
                       {"email", r.email},
                       {"context", r.context},
                       {"unit", r.unit},
                       {"status", r.status},
                       {"recorded_at", r.recorded_at},
                       {"certificate_no", r.certificate_no}});
  }
  boost::json::array messages;
  for (const auto& m : d.messages) {
    messages.push_back({{"id", m.id},
                        {"channel", m.channel},
                        {"kind", m.kind},
                        {"subject", m.subject},
                        {"status", m.status},
                        {"created_at", m.created_at}});
  }
  return {{"records", std::move(records)}, {"messages", std::move(messages)}};
}

boost::json::object erasure_json(const privacy::ErasureReport& r) {
  return {{"records", r.records},
          {"messages", r.messages},
          {"notifications", r.notifications},
          {"audit_rows", r.audit_rows},
          {"other_rows", r.other_rows}};
}

}  // namespace xiehui::web::dto
