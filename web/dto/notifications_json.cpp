#include "web/dto/notifications_json.hpp"

#include <fmt/format.h>

#include <boost/json.hpp>

#include "core/time.hpp"
#include "services/notifications/channels.hpp"

namespace xiehui::web::dto {
namespace {

namespace nt = notifications;

boost::json::value instant_or_null(const std::optional<Timestamp>& t) {
  return t ? boost::json::value(format_instant(*t)) : nullptr;
}

std::string locale_of(Lang lang) { return lang == Lang::en ? "en" : "zh-CN"; }

}  // namespace

boost::json::object inbox_json(const nt::InboxPage& page, int page_no, int page_size) {
  boost::json::array items;
  for (const nt::InboxItem& i : page.items) {
    items.push_back({{"id", i.id},
                     {"kind", i.kind},
                     {"title", i.title},
                     {"body", i.body},
                     {"link", i.link ? boost::json::value(*i.link) : nullptr},
                     {"created_at", format_instant(i.created_at)},
                     {"read_at", instant_or_null(i.read_at)}});
  }
  return {{"items", std::move(items)},
          {"total", page.total},
          {"page", page_no},
          {"page_size", page_size},
          {"unread", page.unread}};
}

boost::json::object preferences_json(const nt::Preferences& p, Lang lang) {
  const std::string locale = locale_of(lang);
  boost::json::object kinds;
  boost::json::array catalog;
  for (const nt::KindInfo& k : nt::kind_catalog()) {
    const auto it = p.kinds.find(std::string(k.kind));
    if (it == p.kinds.end()) continue;
    kinds[k.kind] = {{"in_app", k.in_app}, {"email", it->second.email}, {"sms", it->second.sms}};
    catalog.push_back({{"kind", k.kind},
                       {"label", nt::kind_label(k, locale)},
                       {"group", nt::kind_group(k, locale)},
                       {"locked", k.locked},
                       {"in_app", k.in_app},
                       {"sms_allowed", k.sms_allowed}});
  }
  return {{"kinds", std::move(kinds)}, {"catalog", std::move(catalog)}};
}

boost::json::object account_json(const nt::Account& a) {
  return {{"id", a.id},
          {"username", a.username},
          {"display_name", a.display_name},
          {"email", a.email ? boost::json::value(*a.email) : nullptr},
          {"locale", a.locale}};
}

boost::json::object template_json(const nt::TemplateView& t, Lang lang) {
  const std::string locale = locale_of(lang);
  boost::json::array variables;
  for (const nt::VariableInfo& v : nt::template_variables()) {
    variables.push_back({{"name", v.name}, {"label", locale == "en" ? v.label_en : v.label_zh}});
  }
  const nt::KindInfo& k = nt::kind_info(t.kind);
  return {{"kind", t.kind},
          {"label", nt::kind_label(k, locale)},
          {"group", nt::kind_group(k, locale)},
          {"locale", t.locale},
          {"subject", t.text.subject},
          {"body", t.text.body},
          {"sms", t.text.sms},
          {"sms_allowed", k.sms_allowed},
          {"variables", std::move(variables)},
          {"customized", t.customized}};
}

boost::json::object templates_json(const std::vector<nt::TemplateView>& all, Lang lang) {
  const std::string locale = locale_of(lang);
  boost::json::array items;
  for (const nt::KindInfo& k : nt::kind_catalog()) {
    boost::json::object customized;
    for (const nt::TemplateView& t : all) {
      if (t.kind == k.kind) customized[t.locale] = t.customized;
    }
    items.push_back({{"kind", k.kind},
                     {"label", nt::kind_label(k, locale)},
                     {"group", nt::kind_group(k, locale)},
                     {"customized", std::move(customized)}});
  }
  return {{"items", std::move(items)}};
}

boost::json::object preview_json(const nt::Preview& p) {
  return {{"subject", p.subject},
          {"body", p.body},
          {"html", p.html},
          {"sms", p.sms},
          {"sms_characters", p.sms_characters},
          {"sms_segments", p.sms_segments}};
}

boost::json::object outbox_message_json(const nt::OutboxMessage& m) {
  return {{"id", m.id},
          {"notification_id", m.notification_id},
          {"kind", m.kind},
          {"channel", m.channel},
          {"recipient", m.recipient},
          {"recipient_name", m.recipient_name},
          {"subject", m.subject},
          {"message_id", m.message_id},
          {"status", m.status},
          {"attempts", m.attempts},
          {"last_error", m.last_error ? boost::json::value(*m.last_error) : nullptr},
          {"next_attempt_at", instant_or_null(m.next_attempt_at)},
          {"created_at", format_instant(m.created_at)},
          {"sent_at", instant_or_null(m.sent_at)},
          {"sms_segments",
           m.channel == "sms" ? boost::json::value(nt::sms_segments(m.body_text)) : nullptr}};
}

boost::json::object outbox_json(const nt::OutboxPage& page, int page_no, int page_size) {
  boost::json::array items;
  for (const nt::OutboxMessage& m : page.items) items.push_back(outbox_message_json(m));
  boost::json::object counts;
  for (const auto& [status, n] : page.counts) counts[status] = n;
  return {{"items", std::move(items)},
          {"total", page.total},
          {"page", page_no},
          {"page_size", page_size},
          {"counts", std::move(counts)}};
}

std::string outbox_metrics(const nt::OutboxStats& s) {
  std::string out;
  out += "# HELP xiehui_outbox_messages Outbox messages by status.\n";
  out += "# TYPE xiehui_outbox_messages gauge\n";
  for (const auto& [status, n] : s.by_status) {
    out += fmt::format("xiehui_outbox_messages{{status=\"{}\"}} {}\n", status, n);
  }
  out += "# HELP xiehui_outbox_depth Messages waiting to go out (pending, sending, failed).\n";
  out += "# TYPE xiehui_outbox_depth gauge\n";
  const auto count = [&](const char* st) {
    auto it = s.by_status.find(st);
    return it == s.by_status.end() ? 0LL : it->second;
  };
  out += fmt::format("xiehui_outbox_depth {}\n",
                     count("pending") + count("sending") + count("failed"));
  out += "# HELP xiehui_outbox_oldest_pending_seconds Age of the oldest message not yet sent.\n";
  out += "# TYPE xiehui_outbox_oldest_pending_seconds gauge\n";
  out += fmt::format("xiehui_outbox_oldest_pending_seconds {:.3f}\n", s.oldest_pending_seconds);
  out += "# HELP xiehui_outbox_failures_total Failed delivery attempts by channel.\n";
  out += "# TYPE xiehui_outbox_failures_total counter\n";
  for (const auto& [channel, n] : s.failures_by_channel) {
    out += fmt::format("xiehui_outbox_failures_total{{channel=\"{}\"}} {}\n", channel, n);
  }
  return out;
}

}  // namespace xiehui::web::dto
