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

boost::json::object retention_settings_json(const privacy::RetentionSettings& s) {
  return {{"enrollment_years", s.enrollment_years},
          {"visit_delegate_years", s.visit_delegate_years},
          {"meeting_attendee_years", s.meeting_attendee_years},
          {"rejected_application_years", s.rejected_application_years},
          {"outbox_days", s.outbox_days},
          {"daily", s.daily}};
}

// Absent fields keep their current values; the service checks the ranges.
privacy::RetentionPatch read_retention_patch(JsonBody& body) {
  privacy::RetentionPatch p;
  const auto number = [&](const char* name, std::optional<int>& into) {
    if (auto v = body.integer(name, false, -1'000'000, 1'000'000)) into = static_cast<int>(*v);
  };
  number("enrollment_years", p.enrollment_years);
  number("visit_delegate_years", p.visit_delegate_years);
  number("meeting_attendee_years", p.meeting_attendee_years);
  number("rejected_application_years", p.rejected_application_years);
  number("outbox_days", p.outbox_days);
  p.daily = body.boolean("daily", false);
  return p;
}

boost::json::object retention_run_json(const privacy::RetentionRun& r) {
  boost::json::array items;
  for (const auto& i : r.items) {
    items.push_back(
        {{"kind", i.kind}, {"label", i.label}, {"cutoff", i.cutoff}, {"records", i.records}});
  }
  return {{"id", r.id},       {"dry_run", r.dry_run},      {"ran_at", format_instant(r.ran_at)},
          {"actor", r.actor}, {"items", std::move(items)}, {"total", r.total}};
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
