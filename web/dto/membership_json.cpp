#include "web/dto/membership_json.hpp"

#include <boost/json.hpp>

#include "core/time.hpp"
#include "web/dto/privacy_json.hpp"

namespace xiehui::web::dto {

boost::json::object application_json(const membership::Application& a) {
  return {
      {"id", a.id},
      {"status", a.status},
      {"org",
       {{"name", a.org.name},
        {"short_name", a.org.short_name},
        {"uscc", a.org.uscc},
        {"type", a.org.type},
        {"level", a.org.level},
        {"city_code", a.org.city_code},
        {"address", a.org.address}}},
      {"contact",
       {{"name", a.contact.name},
        {"title", a.contact.title},
        {"mobile", a.contact.mobile},
        {"email", a.contact.email}}},
      {"member_id", a.member_id ? boost::json::value(*a.member_id) : nullptr},
      {"decision_reason", a.decision_reason},
      {"submitted_at", format_instant(a.submitted_at)},
      {"decided_at", a.decided_at ? boost::json::value(format_instant(*a.decided_at)) : nullptr},
      {"consent_version", a.consent_version}};
}

boost::json::object history_json(const membership::HistoryEntry& e) {
  return {{"kind", e.kind},
          {"from", e.from_value},
          {"to", e.to_value},
          {"effective_on", e.effective_on},
          {"reason", e.reason},
          {"actor_name", e.actor_name},
          {"changed_at", format_instant(e.changed_at)}};
}

boost::json::object certificate_json(const membership::Certificate& c,
                                     const std::string& verify_url, const std::string& qr_svg) {
  boost::json::object out = certificate_check_json(c);
  out["year"] = c.year;
  out["verify_url"] = verify_url;
  out["qr_svg"] = qr_svg;
  return out;
}

boost::json::object certificate_check_json(const membership::Certificate& c) {
  return {{"genuine", true},
          {"current", c.current},
          {"member_no", c.member_no},
          {"name", c.name},
          {"tier", c.tier},
          {"valid_from", c.valid_from},
          {"valid_until", c.valid_until}};
}

boost::json::object import_report_json(const membership::ImportReport& r, Lang lang) {
  boost::json::array errors;
  for (const auto& e : r.errors) {
    errors.push_back(
        {{"row", e.row},
         {"field", e.column},
         {"message", lang == Lang::en && !e.message.en.empty() ? e.message.en : e.message.zh}});
  }
  return {{"dry_run", r.dry_run},         {"rows", r.rows},
          {"created", r.created},         {"updated", r.updated},
          {"unchanged", r.unchanged},     {"error_rows", r.error_rows},
          {"error_count", r.error_count}, {"errors", std::move(errors)}};
}

void write_member(JsonWriter& w, const membership::Member& m, bool full) {
  w.begin_object()
      .member("id", m.id)
      .member("name", m.org.name)
      .member("short_name", m.org.short_name)
      .member("type", m.org.type)
      .member("level", m.org.level)
      .member("city_code", m.org.city_code)
      .member("tier", m.tier);
  if (full) {
    w.member("member_no", m.member_no)
        .member("uscc", m.org.uscc)
        .member("address", m.org.address)
        .member("status", m.status)
        .member("joined_on", m.joined_on);
  }
  w.end_object();
}

std::string member_text(const membership::Member& m, bool full) {
  std::string out;
  JsonWriter w(out);
  write_member(w, m, full);
  return out;
}

std::string member_page_text(const membership::MemberPage& page, const Paging& paging, bool full) {
  std::string body;
  body.reserve(page.items.size() * 400 + 64);
  JsonWriter w(body);
  w.begin_object().key("items").begin_array();
  for (const auto& m : page.items) write_member(w, m, full);
  w.end_array().member("total", page.total).member("page", paging.page);
  w.member("page_size", paging.page_size).end_object();
  return body;
}

boost::json::object contact_json(const membership::MemberContact& c) {
  return {{"id", c.id},
          {"member_id", c.member_id},
          {"role", c.role},
          {"name", c.person.name},
          {"title", c.person.title},
          {"mobile", c.person.mobile},
          {"email", c.person.email}};
}

membership::ApplicationInput read_application(JsonBody& body) {
  membership::ApplicationInput in;
  auto org = body.object("org");
  auto contact = body.object("contact");
  auto account = body.object("account");
  in.org.name = org.string("name", true, 200).value_or("");
  in.org.short_name = org.string("short_name", false, 100).value_or("");
  in.org.uscc = org.string("uscc", true, 40).value_or("");
  in.org.type = org.string("type", true, 40).value_or("");
  in.org.level = org.string("level", true, 40).value_or("");
  in.org.city_code = org.string("city_code", true, 12).value_or("");
  in.org.address = org.string("address", false, 400).value_or("");
  in.contact.name = contact.string("name", true, 100).value_or("");
  in.contact.title = contact.string("title", false, 100).value_or("");
  in.contact.mobile = contact.string("mobile", true, 40).value_or("");
  in.contact.email = contact.string("email", true, 300).value_or("");
  in.username = account.string("username", true, 64).value_or("");
  in.password = account.secret("password", true, 512).value_or("");
  in.consent_version = read_consent_version(body);
  body.absorb(org);
  body.absorb(contact);
  body.absorb(account);
  return in;
}

}  // namespace xiehui::web::dto
