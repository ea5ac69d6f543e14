#pragma once
// Membership vocabulary: member units, their kinds, tiers and statuses, and applications.

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"

namespace xiehui::membership {

/// Tier names (API.md): member 会员单位, council 理事单位, standing_council 常务理事单位,
/// vice_president 副会长单位, president 会长单位.
bool is_tier(std::string_view tier);
/// Organisation types: development_zone, customs_zone, industrial_park, research_institute,
/// platform_company, individual.
bool is_org_type(std::string_view type);
/// Levels: national 国家级, provincial 省级, other 其他.
bool is_org_level(std::string_view level);

/// The organisation part of an application or member unit.
struct Organisation {
  std::string name;
  std::string short_name;
  std::string uscc;
  std::string type;
  std::string level;
  std::string city_code;
  std::string address;
};

/// The representative named in an application.
struct Contact {
  std::string name;
  std::string title;
  std::string mobile;
  std::string email;
};

/// A submitted application, with the account the applicant will use.
struct ApplicationInput {
  Organisation org;
  Contact contact;
  std::string username;
  std::string password;
  std::optional<long long> consent_version;  ///< the privacy notice the applicant accepted
};

struct Application {
  long long id = 0;
  std::string status;  ///< pending, approved, rejected, withdrawn
  Organisation org;
  Contact contact;
  long long user_id = 0;
  std::optional<long long> member_id;
  std::string decision_reason;
  Timestamp submitted_at;
  std::optional<Timestamp> decided_at;
  long long consent_version = 0;
};

/// A member unit.
struct Member {
  long long id = 0;
  std::string member_no;
  Organisation org;
  std::string tier;
  std::string status;  ///< active, lapsed, suspended, withdrawn, expelled
  std::string joined_on;
  std::string sort_key;
};

/// A person of a member unit. `role`: representative (one per unit), liaison, finance.
struct MemberContact {
  long long id = 0;
  long long member_id = 0;
  std::string role;
  Contact person;
};

/// One recorded status change.
struct StatusChange {
  std::string from_status;
  std::string to_status;
  std::string reason;
  std::string actor_name;
  Timestamp changed_at;
};

/// One change of a unit's tier, name, representative or status, newest first in listings.
/// `effective_on` (YYYY-MM-DD) is when it takes effect, which may differ from when it was
/// recorded (`changed_at`).
struct HistoryEntry {
  std::string kind;  ///< tier, name, representative, status
  std::string from_value;
  std::string to_value;
  std::string effective_on;
  std::string reason;
  std::string actor_name;
  Timestamp changed_at;
};

/// A unit's membership certificate for one calendar year. `current` is whether, today, the unit
/// is active and the year is this year.
struct Certificate {
  std::string code;  ///< the unguessable part of the public verification URL
  int year = 0;
  std::string member_no;
  std::string name;
  std::string tier;
  std::string valid_from;
  std::string valid_until;
  bool current = false;
};

/// Directory filters; empty fields do not filter. `sort` is "name" (pinyin) or "joined".
struct MemberFilter {
  std::string q;  ///< text in the name or short name
  std::string city_code;
  std::string type;
  std::string level;
  std::string tier;
  std::string status;
  std::string sort = "name";
  /// q also matches the member number (XH0001): set by the service for staff and leaders only.
  bool q_matches_number = false;
};

}  // namespace xiehui::membership
