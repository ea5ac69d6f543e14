#include "services/notifications/notification_service.hpp"

#include <algorithm>

#include "core/audit.hpp"
#include "core/time.hpp"
#include "core/validate.hpp"
#include "services/notifications/channels.hpp"
#include "services/notifications/notification_repository.hpp"
#include "services/notifications/outbox_repository.hpp"

namespace xiehui::notifications {
namespace {

namespace nr = notification_repository;
namespace ob = outbox_repository;

bool known_kind(const std::string& kind) { return kind_info(kind).kind == kind; }

Error unknown_kind(const std::string& kind) {
  return make_error(ErrorCode::not_found,
                    {"没有这类通知：" + kind, "no such kind of notification: " + kind});
}

Status check_locale(const std::string& locale) {
  if (locale == "zh-CN" || locale == "en") return {};
  return std::unexpected(invalid_fields({{"locale", {"应为 zh-CN 或 en", "must be zh-CN or en"}}}));
}

// A unit's notice with a user's stored switches laid over the kind's defaults.
ChannelChoice choice_of(const KindInfo& k, const std::map<std::string, bool>& stored) {
  ChannelChoice c{k.email_default, k.sms_allowed && k.sms_default};
  if (auto it = stored.find("email"); it != stored.end() && !k.locked) c.email = it->second;
  if (auto it = stored.find("sms"); it != stored.end() && k.sms_allowed) c.sms = it->second;
  return c;
}

Preferences read_preferences(soci::session& s, long long user_id) {
  const auto stored = nr::stored_preferences(s, user_id);
  Preferences p;
  for (const KindInfo& k : kind_catalog()) {
    const auto it = stored.find(std::string(k.kind));
    p.kinds[std::string(k.kind)] =
        choice_of(k, it == stored.end() ? std::map<std::string, bool>{} : it->second);
  }
  return p;
}

Account to_account(const nr::AccountRow& r) {
  return {r.id, r.username, r.display_name, r.email, r.locale};
}

Variables sample_variables(const std::string& kind, const std::string& locale) {
  const bool en = locale == "en";
  const KindInfo& k = kind_info(kind);
  return {{"recipient_name", en ? "Zhang San" : "张三"},
          {"unit_name",
           en ? "Changsha Economic and Technological Development Zone" : "长沙经济技术开发区"},
          {"message", en ? "Zhang San moved up from the waitlist: Investment promotion class 2"
                         : "张三 已从候补转为正式学员：招商引资专题培训班 第二期"},
          {"title", std::string(kind_label(k, locale))},
          {"link", "https://xiehui.example.org/training/classes/12"},
          {"association", en ? "Hunan Development Zones Association" : "湖南省开发区协会"},
          {"date", "2026-12-05"},
          {"preferences_url", "https://xiehui.example.org/notifications/preferences"},
          {"action_url", "https://xiehui.example.org/reset-password?token=…"}};
}

}  // namespace

Result<InboxPage> NotificationService::inbox(const Principal& who, InboxFilter filter,
                                             const std::string& locale) {
  const std::string lang = normalize_locale(locale);
  return db_.with_session([&](soci::session& s) -> Result<InboxPage> {
    InboxPage page;
    page.total = nr::inbox_total(s, who.user_id, who.member_id, filter);
    page.unread = nr::unread_count(s, who.user_id, who.member_id);
    for (NoticeRow& n : nr::inbox(s, who.user_id, who.member_id, filter)) {
      InboxItem item;
      item.id = n.id;
      item.kind = n.kind;
      item.title = std::string(kind_label(kind_info(n.kind), lang));
      item.body = lang == "en" && !n.message_en.empty() ? n.message_en : n.message;
      item.link = n.link ? n.link : default_link(n.entity_type, n.entity_id);
      item.created_at = n.created_at;
      item.read_at = n.read_at;
      page.items.push_back(std::move(item));
    }
    return page;
  });
}

Result<long long> NotificationService::unread_count(const Principal& who) {
  return db_.with_session([&](soci::session& s) -> Result<long long> {
    return nr::unread_count(s, who.user_id, who.member_id);
  });
}

Status NotificationService::mark_read(long long id, const Principal& who) {
  const Timestamp now = clock_.now();
  auto found = db_.with_transaction([&](soci::session& s) -> Result<bool> {
    return nr::mark_read(s, id, who.user_id, who.member_id, now);
  });
  if (!found) return std::unexpected(found.error());
  if (!*found) return std::unexpected(not_found_error({"通知", "notification"}));
  return {};
}

Result<long long> NotificationService::mark_all_read(const Principal& who) {
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<long long> {
    return nr::mark_all_read(s, who.user_id, who.member_id, now);
  });
}

Result<Preferences> NotificationService::preferences(const Principal& who) {
  return db_.with_session(
      [&](soci::session& s) -> Result<Preferences> { return read_preferences(s, who.user_id); });
}

Result<Preferences> NotificationService::set_preferences(
    const std::map<std::string, ChannelChoice>& kinds, const Principal& who) {
  std::vector<FieldError> bad;
  for (const auto& [kind, choice] : kinds) {
    const KindInfo& k = kind_info(kind);
    const std::string field = "kinds." + kind;
    if (!known_kind(kind)) {
      bad.push_back({field, {"没有这类通知", "no such kind of notification"}});
    } else if (k.locked && !choice.email) {
      bad.push_back({field + ".email", {"此类通知不可关闭", "this notice cannot be turned off"}});
    } else if (!k.sms_allowed && choice.sms) {
      bad.push_back({field + ".sms", {"此类通知不发短信", "this notice is not sent by SMS"}});
    }
  }
  if (!bad.empty()) return std::unexpected(invalid_fields(std::move(bad)));
  return db_.with_transaction([&](soci::session& s) -> Result<Preferences> {
    for (const auto& [kind, choice] : kinds) {
      nr::save_preference(s, who.user_id, kind, "email", choice.email);
      nr::save_preference(s, who.user_id, kind, "sms", choice.sms);
    }
    return read_preferences(s, who.user_id);
  });
}

Result<Account> NotificationService::account(const Principal& who) {
  return db_.with_session([&](soci::session& s) -> Result<Account> {
    auto row = nr::account(s, who.user_id);
    if (!row) return std::unexpected(not_found_error({"账号", "account"}));
    return to_account(*row);
  });
}

Result<Account> NotificationService::update_account(const AccountPatch& patch,
                                                    const Principal& who) {
  std::optional<std::optional<std::string>> email;
  if (patch.email) {
    if (!*patch.email || (*patch.email)->empty()) {
      email = std::optional<std::string>();
    } else {
      auto normal = normalise_email(**patch.email);
      if (!normal) return std::unexpected(invalid_fields({{"email", normal.error()}}));
      email = *normal;
    }
  }
  if (patch.locale) {
    if (auto ok = check_locale(*patch.locale); !ok) return std::unexpected(ok.error());
  }
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<Account> {
    auto row = nr::account(s, who.user_id);
    if (!row) return std::unexpected(not_found_error({"账号", "account"}));
    const std::optional<std::string> new_email = email ? *email : row->email;
    const std::string new_locale = patch.locale.value_or(row->locale);
    nr::update_account(s, who.user_id, new_email, new_locale, now);
    if (email) audit_as(s, who, "account.email", "user", who.user_id, "e-mail changed", now);
    return to_account(*nr::account(s, who.user_id));
  });
}

Result<std::vector<TemplateView>> NotificationService::templates() {
  return db_.with_session([&](soci::session& s) -> Result<std::vector<TemplateView>> {
    const auto customized = nr::customized_templates(s);
    std::vector<TemplateView> out;
    for (const KindInfo& k : kind_catalog()) {
      for (const char* locale : {"zh-CN", "en"}) {
        TemplateView v;
        v.kind = std::string(k.kind);
        v.locale = locale;
        v.customized =
            std::ranges::find(customized, std::pair{v.kind, v.locale}) != customized.end();
        out.push_back(std::move(v));
      }
    }
    return out;
  });
}

Result<TemplateView> NotificationService::get_template(const std::string& kind,
                                                       const std::string& locale) {
  if (!known_kind(kind)) return std::unexpected(unknown_kind(kind));
  if (auto ok = check_locale(locale); !ok) return std::unexpected(ok.error());
  return db_.with_session([&](soci::session& s) -> Result<TemplateView> {
    auto stored = nr::stored_template(s, kind, locale);
    return TemplateView{kind, locale, stored ? *stored : default_template(kind, locale),
                        stored.has_value()};
  });
}

Result<TemplateView> NotificationService::save_template(const std::string& kind,
                                                        const std::string& locale,
                                                        const Template& t, const Principal& who) {
  if (!known_kind(kind)) return std::unexpected(unknown_kind(kind));
  if (auto ok = check_locale(locale); !ok) return std::unexpected(ok.error());
  if (auto ok = check_template(t); !ok) return std::unexpected(ok.error());
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<TemplateView> {
    nr::save_template(s, kind, locale, t, who.user_id, now);
    audit_as(s, who, "notification_template.save", "notification_template", 0, kind + " " + locale,
             now);
    return TemplateView{kind, locale, t, true};
  });
}

Status NotificationService::reset_template(const std::string& kind, const std::string& locale,
                                           const Principal& who) {
  if (!known_kind(kind)) return std::unexpected(unknown_kind(kind));
  if (auto ok = check_locale(locale); !ok) return std::unexpected(ok.error());
  const Timestamp now = clock_.now();
  auto done = db_.with_transaction([&](soci::session& s) -> Result<bool> {
    nr::delete_template(s, kind, locale);
    audit_as(s, who, "notification_template.reset", "notification_template", 0, kind + " " + locale,
             now);
    return true;
  });
  if (!done) return std::unexpected(done.error());
  return {};
}

Result<Preview> NotificationService::preview(const std::string& kind, const std::string& locale,
                                             const Template& t) {
  if (!known_kind(kind)) return std::unexpected(unknown_kind(kind));
  if (auto ok = check_locale(locale); !ok) return std::unexpected(ok.error());
  if (auto ok = check_template(t); !ok) return std::unexpected(ok.error());
  const Variables vars = sample_variables(kind, locale);
  Preview p;
  p.subject = render(t.subject, vars);
  p.body = render(t.body, vars);
  p.html = text_to_html(p.body, vars.at("preferences_url"), locale);
  p.sms = render(t.sms, vars);
  p.sms_characters = sms_characters(p.sms);
  p.sms_segments = sms_segments(p.sms);
  return p;
}

Result<OutboxPage> NotificationService::outbox(const OutboxFilter& filter) {
  return db_.with_session(
      [&](soci::session& s) -> Result<OutboxPage> { return ob::list(s, filter); });
}

Result<OutboxMessage> NotificationService::retry(long long id, const Principal& who) {
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<OutboxMessage> {
    auto m = ob::get(s, id);
    if (!m) return std::unexpected(not_found_error({"待发消息", "outbox message"}));
    if (!ob::retry(s, id, now)) {
      return std::unexpected(make_error(
          ErrorCode::conflict, {"只有失败、放弃或已取消且不含一次性链接的消息可以重发",
                                "only failed, dead or cancelled messages without a one-time "
                                "link can be retried"}));
    }
    audit_as(s, who, "outbox.retry", "outbox", id, m->channel + " " + m->kind, now);
    return *ob::get(s, id);
  });
}

Result<OutboxMessage> NotificationService::cancel(long long id, const Principal& who) {
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<OutboxMessage> {
    auto m = ob::get(s, id);
    if (!m) return std::unexpected(not_found_error({"待发消息", "outbox message"}));
    if (!ob::cancel(s, id, now)) {
      return std::unexpected(
          make_error(ErrorCode::conflict, {"只有待发送或待重试的消息可以取消",
                                           "only pending or failed messages can be cancelled"}));
    }
    audit_as(s, who, "outbox.cancel", "outbox", id, m->channel + " " + m->kind, now);
    return *ob::get(s, id);
  });
}

Result<OutboxStats> NotificationService::stats() {
  const Timestamp now = clock_.now();
  return db_.with_session(
      [&](soci::session& s) -> Result<OutboxStats> { return ob::stats(s, now); });
}

}  // namespace xiehui::notifications
