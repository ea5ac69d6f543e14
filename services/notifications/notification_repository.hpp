#pragma once
// The SQL of notices (writing them, the inbox, read marks), preferences, templates and the
// account fields delivery uses. Outbox SQL lives in outbox_repository.

#include <soci/soci.h>

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "services/notifications/notification_rules.hpp"
#include "services/notifications/notifications.hpp"

namespace xiehui::notifications {

/// A message to a unit (member_id) or a person (user_id) about an entity, written in the
/// transaction of the change it reports; the dispatcher delivers it afterwards.
struct Notice {
  std::optional<long long> member_id;
  std::optional<long long> user_id;
  std::string kind;  ///< "visit.approved", "training.promoted", ...
  std::string message;
  std::string entity_type;
  long long entity_id = 0;
  std::string message_en = {};           ///< empty: English readers get the Chinese text
  std::optional<std::string> link = {};  ///< UI path; empty: default_link(entity)
  std::string action_url = {};           ///< a one-time link (password reset): secret
};

void notify(soci::session& s, const Notice& n, Timestamp now);

/// A stored notice as read back.
struct NoticeRow {
  long long id = 0;
  std::optional<long long> member_id;
  std::optional<long long> user_id;
  std::string kind;
  std::string message;
  std::string message_en;
  std::string action_url;
  std::optional<std::string> link;
  std::string entity_type;
  long long entity_id = 0;
  Timestamp created_at;
  std::optional<Timestamp> read_at;
};

namespace notification_repository {

/// The notices a user sees: addressed to them, or to their unit; newest first.
std::vector<NoticeRow> inbox(soci::session& s, long long user_id,
                             std::optional<long long> member_id, const InboxFilter& f);
long long inbox_total(soci::session& s, long long user_id, std::optional<long long> member_id,
                      const InboxFilter& f);
long long unread_count(soci::session& s, long long user_id, std::optional<long long> member_id);
/// False when the notice is not the user's (or does not exist).
bool mark_read(soci::session& s, long long id, long long user_id,
               std::optional<long long> member_id, Timestamp now);
long long mark_all_read(soci::session& s, long long user_id, std::optional<long long> member_id,
                        Timestamp now);

/// The user's stored choices: kind → channel → on.
std::map<std::string, std::map<std::string, bool>> stored_preferences(soci::session& s,
                                                                      long long user_id);
void save_preference(soci::session& s, long long user_id, const std::string& kind,
                     const std::string& channel, bool enabled);

std::optional<Template> stored_template(soci::session& s, const std::string& kind,
                                        const std::string& locale);
/// (kind, locale) of every stored template.
std::vector<std::pair<std::string, std::string>> customized_templates(soci::session& s);
void save_template(soci::session& s, const std::string& kind, const std::string& locale,
                   const Template& t, long long user_id, Timestamp now);
void delete_template(soci::session& s, const std::string& kind, const std::string& locale);

struct AccountRow {
  long long id = 0;
  std::string username;
  std::string display_name;
  std::optional<std::string> email;
  std::string locale;
};
std::optional<AccountRow> account(soci::session& s, long long user_id);
void update_account(soci::session& s, long long user_id, const std::optional<std::string>& email,
                    const std::string& locale, Timestamp now);

/// The association's name for templates (the dues settings' name, else the default).
std::string association_name(soci::session& s);

}  // namespace notification_repository
}  // namespace xiehui::notifications
