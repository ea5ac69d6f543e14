#pragma once
// Exchange visits (考察交流) vocabulary: a visit with its hosts and itinerary, the applications of
// units with their delegates (places approved under the visit row lock, with a waitlist shared in
// rule with training), check-ins, the visit report, and the host offers and interests that the
// matching pairs up.

#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/time.hpp"

namespace xiehui::visits {

/// Who receives the delegation: a member unit or an outside organisation by name.
struct Host {
  std::optional<long long> member_id;
  std::string name;
};

/// One line of the programme; `half` empty for the whole day.
struct ItineraryItem {
  std::string date;  ///< YYYY-MM-DD
  std::string half;  ///< "am", "pm" or ""
  std::string place;
  std::string activity;
  std::string contact;
  std::string transport;
};

/// A visit's status: draft (not visible), open (applications), closed (no applications),
/// confirmed (the delegation is fixed), completed, cancelled.
struct Visit {
  long long id = 0;
  std::string title;
  std::string theme;
  std::string destination;
  std::string description;
  std::vector<Host> hosts;
  Date starts_on{};
  Date ends_on{};
  int capacity = 0;
  std::optional<int> per_member_quota;
  long long cost_fen = 0;
  std::string cost_covers;
  Timestamp apply_deadline;
  Date withdraw_cutoff{};
  std::string status = "draft";
  int approved = 0;
  int waitlisted = 0;
  int pending = 0;  ///< read with the visit, not stored in its row
  long long next_waitlist_seq = 1;
  std::optional<long long> offer_id;
  bool rooming_saved = false;
  std::string report_text;
  std::optional<Timestamp> report_published_at;
  int version = 1;
  std::vector<ItineraryItem> itinerary;
};

struct Delegate {
  long long id = 0;
  long long application_id = 0;
  long long visit_id = 0;
  long long member_id = 0;
  std::string member_name;
  std::string member_sort_key;  ///< the unit's pinyin sort key (staff may have corrected it)
  std::string name;
  std::string title;
  std::string gender;  ///< "m", "f"
  std::string mobile;
  std::string dietary;
  bool shares_room = true;
  std::string status = "pending";  ///< pending, approved, waitlisted, rejected, withdrawn
  std::optional<long long> waitlist_seq;
  int waitlist_position = 0;  ///< 1-based while waitlisted
  std::string reason;
  long long fee_fen = 0;
  std::optional<std::string> charge_status;
  std::string checkin_token;
  std::optional<int> room_no;
  std::optional<Timestamp> decided_at;
  std::optional<Timestamp> promoted_at;
  Timestamp created_at;
};

struct Application {
  long long id = 0;
  long long visit_id = 0;
  long long member_id = 0;
  std::string member_name;
  std::string note;
  Timestamp created_at;
  std::vector<Delegate> delegates;
  long long consent_version = 0;  ///< the privacy notice accepted for the delegates
};

/// A period of days, both ends included.
struct Period {
  Date from{};
  Date to{};
};

/// A unit's offer to host visitors.
struct HostOffer {
  long long id = 0;
  long long member_id = 0;
  std::string member_name;
  std::vector<std::string> topics;
  std::vector<Period> available;
  int group_size = 0;
  std::string note;
  bool active = true;
  Timestamp created_at;
};

/// What a unit wants to learn, and when.
struct Interest {
  long long id = 0;
  long long member_id = 0;
  std::string member_name;
  std::vector<std::string> topics;
  std::vector<Period> preferred;
  std::optional<int> group_size;
  std::string note;
  bool active = true;
  Timestamp created_at;
};

struct Topic {
  long long id = 0;
  std::string name;
  bool active = true;
};

}  // namespace xiehui::visits
