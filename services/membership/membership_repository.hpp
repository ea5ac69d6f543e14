#pragma once
// The only SQL about member units and applications.

#include <soci/soci.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "services/membership/membership.hpp"

namespace xiehui::membership::membership_repository {

bool uscc_is_member(soci::session& s, const std::string& uscc);
bool uscc_is_pending(soci::session& s, const std::string& uscc);

long long insert_application(soci::session& s, const ApplicationInput& in, long long user_id,
                             Timestamp now, const std::string& ip);
/// The application, row-locked on MariaDB when `lock` (for the decision that follows).
std::optional<Application> find_application(soci::session& s, long long id, bool lock);
std::vector<Application> list_applications(soci::session& s, const std::string& status, int limit,
                                           int offset);
long long count_applications(soci::session& s, const std::string& status);
void decide_application(soci::session& s, long long id, const std::string& status,
                        const std::string& reason, long long decided_by,
                        std::optional<long long> member_id, Timestamp now);

/// Inserts a member unit and gives it its number ("XH0001", from the row id, never reused).
/// Returns {id, member_no}.
std::pair<long long, std::string> insert_member(soci::session& s, const Organisation& org,
                                                const std::string& tier,
                                                const std::string& joined_on,
                                                const std::string& sort_key, Timestamp now);

/// Writes a unit's organisation fields and sort key.
void update_member(soci::session& s, const Member& m, Timestamp now);
void set_member_status(soci::session& s, long long id, const std::string& status, Timestamp now);
long long count_all_members(soci::session& s);

/// The unit, row-locked on MariaDB when `lock`.
std::optional<Member> find_member(soci::session& s, long long id, bool lock = false);
void insert_status_change(soci::session& s, long long member_id, const StatusChange& change,
                          std::optional<long long> actor_id);
std::vector<StatusChange> status_history(soci::session& s, long long member_id);
std::vector<MemberContact> list_contacts(soci::session& s, long long member_id);
std::optional<MemberContact> find_contact(soci::session& s, long long id);
long long insert_contact(soci::session& s, const MemberContact& c, Timestamp now);
void update_contact(soci::session& s, const MemberContact& c, Timestamp now);
void delete_contact(soci::session& s, long long id);
/// Makes every representative of the unit a liaison (before another becomes representative).
void demote_representatives(soci::session& s, long long member_id, Timestamp now);

/// The representative of every unit that has one, by member id.
std::map<long long, Contact> representatives(soci::session& s);

/// The unit with this credit code, row-locked on MariaDB when `lock`.
std::optional<Member> find_member_by_uscc(soci::session& s, const std::string& uscc, bool lock);
/// Sets a unit's tier.
void set_member_tier(soci::session& s, long long id, const std::string& tier, Timestamp now);
/// The unit's representative, if it has one.
std::optional<MemberContact> representative(soci::session& s, long long member_id);

/// The applications an account submitted, newest first.
std::vector<Application> applications_of_user(soci::session& s, long long user_id);

void insert_history(soci::session& s, long long member_id, const HistoryEntry& e,
                    std::optional<long long> actor_id);
/// Tier, name and representative changes, newest first.
std::vector<HistoryEntry> member_history(soci::session& s, long long member_id);

/// The code of the unit's certificate for `year`, if issued.
std::optional<std::string> certificate_code(soci::session& s, long long member_id, int year);
void insert_certificate(soci::session& s, long long member_id, int year, const std::string& code,
                        Timestamp now);
/// {member id, year} of the certificate with this code.
std::optional<std::pair<long long, int>> find_certificate(soci::session& s,
                                                          const std::string& code);

std::vector<Member> list_members(soci::session& s, const MemberFilter& filter, int limit,
                                 int offset);
long long count_members(soci::session& s, const MemberFilter& filter);

}  // namespace xiehui::membership::membership_repository
