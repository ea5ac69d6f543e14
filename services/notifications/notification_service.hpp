#pragma once
// What users do with notifications: read their inbox, choose channels per kind, set the e-mail
// and language delivery uses; what admins do: edit templates with a preview, watch and steer
// the outbox.

#include <map>
#include <string>
#include <vector>

#include "core/access.hpp"
#include "core/clock.hpp"
#include "core/db/database.hpp"
#include "core/error.hpp"
#include "services/notifications/notification_rules.hpp"
#include "services/notifications/notifications.hpp"

namespace xiehui::notifications {

/// A user's choices for every kind, with the catalogue to show them.
struct Preferences {
  std::map<std::string, ChannelChoice> kinds;
};

struct Account {
  long long id = 0;
  std::string username;
  std::string display_name;
  std::optional<std::string> email;
  std::string locale;
};

struct AccountPatch {
  std::optional<std::optional<std::string>> email;  ///< set: new address, or none (null/"")
  std::optional<std::string> locale;
};

/// A template as the editor sees it.
struct TemplateView {
  std::string kind;
  std::string locale;
  Template text;
  bool customized = false;
};

/// A template rendered with sample values.
struct Preview {
  std::string subject;
  std::string body;
  std::string html;
  std::string sms;
  int sms_characters = 0;
  int sms_segments = 0;
};

class NotificationService {
 public:
  NotificationService(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  Result<InboxPage> inbox(const Principal& who, InboxFilter filter, const std::string& locale);
  Result<long long> unread_count(const Principal& who);
  Status mark_read(long long id, const Principal& who);
  Result<long long> mark_all_read(const Principal& who);

  Result<Preferences> preferences(const Principal& who);
  /// Saves the given kinds' switches; an unknown kind or channel, or turning a locked kind's
  /// e-mail off, is refused naming the field.
  Result<Preferences> set_preferences(const std::map<std::string, ChannelChoice>& kinds,
                                      const Principal& who);

  Result<Account> account(const Principal& who);
  Result<Account> update_account(const AccountPatch& patch, const Principal& who);

  /// (kind, locale) → customised, for every kind in the catalogue.
  Result<std::vector<TemplateView>> templates();
  Result<TemplateView> get_template(const std::string& kind, const std::string& locale);
  Result<TemplateView> save_template(const std::string& kind, const std::string& locale,
                                     const Template& t, const Principal& who);
  Status reset_template(const std::string& kind, const std::string& locale, const Principal& who);
  Result<Preview> preview(const std::string& kind, const std::string& locale, const Template& t);

  Result<OutboxPage> outbox(const OutboxFilter& filter);
  Result<OutboxMessage> retry(long long id, const Principal& who);
  Result<OutboxMessage> cancel(long long id, const Principal& who);
  Result<OutboxStats> stats();

 private:
  db::Database& db_;
  const Clock& clock_;
};

}  // namespace xiehui::notifications
