#pragma once
// The records of notification delivery as services and handlers see them.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"

namespace xiehui::notifications {

/// One notice in a user's inbox, in the user's language.
struct InboxItem {
  long long id = 0;
  std::string kind;
  std::string title;
  std::string body;
  std::optional<std::string> link;
  Timestamp created_at;
  std::optional<Timestamp> read_at;
};

struct InboxPage {
  std::vector<InboxItem> items;
  long long total = 0;
  long long unread = 0;
};

struct InboxFilter {
  bool unread_only = false;
  std::string kind;  ///< empty: all
  int page = 1;
  int page_size = 50;
};

/// Channel switches of one kind: in-app is always on.
struct ChannelChoice {
  bool email = true;
  bool sms = false;
};

/// One message in the outbox.
struct OutboxMessage {
  long long id = 0;
  long long notification_id = 0;
  std::string kind;
  std::string channel;  ///< email, sms
  std::string recipient;
  std::string recipient_name;
  std::string subject;
  std::string body_text;
  std::string body_html;
  std::string message_id;
  bool secret = false;  ///< carries a one-time link: its text is wiped once finished
  std::string status;   ///< pending, sending, sent, failed, dead, cancelled
  int attempts = 0;
  int failures = 0;
  std::optional<std::string> last_error;
  std::optional<Timestamp> next_attempt_at;
  Timestamp created_at;
  std::optional<Timestamp> sent_at;
};

struct OutboxFilter {
  std::string status;   ///< empty: all
  std::string channel;  ///< empty: all
  int page = 1;
  int page_size = 50;
};

struct OutboxPage {
  std::vector<OutboxMessage> items;
  long long total = 0;
  std::map<std::string, long long> counts;  ///< by status, every status present
};

/// What /metrics shows of the queue.
struct OutboxStats {
  std::map<std::string, long long> by_status;
  std::map<std::string, long long> failures_by_channel;
  double oldest_pending_seconds = 0;
};

/// A person a notice is delivered to, with the addresses on record.
struct Recipient {
  std::optional<long long> user_id;  ///< set for accounts (their preferences and language)
  std::string name;
  std::string email;   ///< empty: none
  std::string mobile;  ///< empty: none
  std::string locale = "zh-CN";
};

}  // namespace xiehui::notifications
