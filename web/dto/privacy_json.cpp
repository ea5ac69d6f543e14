#include "web/dto/privacy_json.hpp"

#include "core/time.hpp"

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

boost::json::object notice_json(const privacy::Notice& n) {
  return {{"version", n.version},
          {"text_zh", n.text_zh},
          {"text_en", n.text_en},
          {"published_at", format_instant(n.published_at)},
          {"published_by", n.published_by}};
}

boost::json::object acceptance_json(const privacy::Acceptance& a) {
  return {{"version", a.version},
          {"accepted_version", a.accepted_version ? boost::json::value(*a.accepted_version)
                                                  : boost::json::value(nullptr)},
          {"accepted_at", a.accepted_at ? boost::json::value(format_instant(*a.accepted_at))
                                        : boost::json::value(nullptr)}};
}

}  // namespace xiehui::web::dto
