// MembershipService: tier changes and the history of a unit, and an applicant's own applications.

#include <algorithm>

#include "core/audit.hpp"
#include "core/time.hpp"
#include "services/accounts/account_rules.hpp"
#include "services/membership/membership_repository.hpp"
#include "services/membership/membership_service.hpp"

namespace xiehui::membership {
namespace {

namespace mr = membership_repository;

std::optional<long long> actor_of(const Principal& p) {
  return p.user_id ? std::optional<long long>(p.user_id) : std::nullopt;
}

}  // namespace

Result<Member> MembershipService::change_tier(long long member_id, const std::string& tier,
                                              const std::string& effective_on_text,
                                              const std::string& reason, const Principal& actor) {
  const Timestamp now = clock_.now();
  std::vector<FieldError> errors;
  if (!is_tier(tier)) {
    errors.push_back({"tier",
                      {"请选择会员层级",
                       "choose member, council, standing_council, "
                       "vice_president or president"}});
  }
  std::string effective_on = format_date(shanghai_date(now));
  if (!effective_on_text.empty()) {
    if (parse_date(effective_on_text)) {
      effective_on = effective_on_text;
    } else {
      errors.push_back({"effective_on", {"日期格式应为 YYYY-MM-DD", "expected YYYY-MM-DD"}});
    }
  }
  if (accounts::utf8_length(reason) > 500) {
    errors.push_back({"reason", {"原因最多 500 字", "at most 500 characters"}});
  }
  if (!errors.empty()) return std::unexpected(invalid_fields(std::move(errors)));
  return db_.with_transaction([&](soci::session& s) -> Result<Member> {
    auto m = mr::find_member(s, member_id, true);
    if (!m) return std::unexpected(not_found_error({"会员单位", "member unit"}));
    if (m->tier == tier) {
      return std::unexpected(make_error(
          ErrorCode::conflict, {"该单位已是此会员层级", "the unit already has this tier"}));
    }
    mr::set_member_tier(s, member_id, tier, now);
    mr::insert_history(s, member_id,
                       {"tier", m->tier, tier, effective_on, reason, actor.username, now},
                       actor_of(actor));
    append_audit(s,
                 {actor_of(actor), actor.username, actor.address, "member.tier", "member",
                  std::to_string(member_id),
                  m->tier + " -> " + tier + " from " + effective_on + ": " + reason},
                 now);
    m->tier = tier;
    return *m;
  });
}

Result<std::vector<HistoryEntry>> MembershipService::history(long long member_id,
                                                             const Principal& who) {
  if (!who.can(Permission::members_read_all) && who.member_id != member_id) {
    return std::unexpected(not_found_error({"会员单位", "member unit"}));
  }
  return db_.with_session([&](soci::session& s) -> Result<std::vector<HistoryEntry>> {
    if (!mr::find_member(s, member_id)) {
      return std::unexpected(not_found_error({"会员单位", "member unit"}));
    }
    auto entries = mr::member_history(s, member_id);
    for (const StatusChange& c : mr::status_history(s, member_id)) {
      entries.push_back({"status", c.from_status, c.to_status,
                         format_date(shanghai_date(c.changed_at)), c.reason, c.actor_name,
                         c.changed_at});
    }
    std::stable_sort(
        entries.begin(), entries.end(),
        [](const HistoryEntry& a, const HistoryEntry& b) { return a.changed_at > b.changed_at; });
    return entries;
  });
}

Result<std::vector<Application>> MembershipService::my_applications(const Principal& who) {
  if (!who.user_id) return std::vector<Application>{};
  return db_.with_session([&](soci::session& s) -> Result<std::vector<Application>> {
    return mr::applications_of_user(s, who.user_id);
  });
}

}  // namespace xiehui::membership
