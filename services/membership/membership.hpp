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
};

struct Application {
  long long id = 0;
  std::string status;  ///< pending, approved, rejected
  Organisation org;
  Contact contact;
  long long user_id = 0;
  std::optional<long long> member_id;
  std::string decision_reason;
  Timestamp submitted_at;
  std::optional<Timestamp> decided_at;
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

/// Directory filters; empty fields do not filter. `sort` is "name" (pinyin) or "joined".
struct MemberFilter {
  std::string q;  ///< text in the name or short name
  std::string city_code;
  std::string type;
  std::string level;
  std::string tier;
  std::string status;
  std::string sort = "name";
};

}  // namespace xiehui::membership
