#pragma once
// The only SQL about meetings: their agenda, invitees and guests, 回执, attendance, materials,
// resolutions, the meetings settings and the notifications they send.

#include <soci/soci.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "services/meetings/meetings.hpp"

namespace xiehui::meetings::meeting_repository {

long long insert_meeting(soci::session& s, const Meeting& m, std::optional<long long> created_by,
                         Timestamp now);
/// Writes every field (not agenda) and bumps the version.
void update_meeting(soci::session& s, const Meeting& m, Timestamp now);
/// The meeting with its agenda, materials and reply counts; row-locked on MariaDB when `lock`
/// (every reply, check-in and change of invitees locks the meeting first).
std::optional<Meeting> find_meeting(soci::session& s, long long id, bool lock);
void replace_agenda(soci::session& s, long long meeting_id, const std::vector<AgendaItem>& items);

struct MeetingFilter {
  std::optional<Timestamp> from, to;
  std::string kind, status;
  std::optional<long long> member_id;  ///< only meetings this unit is invited to …
  std::optional<long long> user_id;    ///< … or this person is (either, when both are set)
  bool restricted = false;             ///< apply member_id / user_id
};
/// Meetings matching the filter, soonest first, with reply counts (no agenda or materials).
std::vector<Meeting> list_meetings(soci::session& s, const MeetingFilter& f);
/// The 届 and 次 of the latest meeting of the kind (not cancelled).
std::optional<std::pair<int, int>> last_number(soci::session& s, const std::string& kind);

/// Ids of units of the tiers in good standing (active; lapsed too when `with_lapsed`).
std::vector<long long> units_of_tiers(soci::session& s, const std::vector<std::string>& tiers,
                                      bool with_lapsed);
/// Units that exist among `ids`.
std::vector<long long> existing_units(soci::session& s, const std::vector<long long>& ids);
/// Users that exist and are not disabled among `ids`.
std::vector<long long> existing_users(soci::session& s, const std::vector<long long>& ids);
/// Invites a unit; false when it already was.
bool insert_invitee(soci::session& s, long long meeting_id, long long member_id,
                    const std::string& source, const std::string& token, Timestamp now);
void delete_invitee(soci::session& s, long long meeting_id, long long member_id);
bool insert_guest(soci::session& s, long long meeting_id, long long user_id, Timestamp now);
/// Invited units by pinyin of the name.
std::vector<Invitee> invitees(soci::session& s, long long meeting_id);
std::optional<Invitee> find_invitee(soci::session& s, long long meeting_id, long long member_id);
/// The meeting and unit a check-in token names.
std::optional<std::pair<long long, long long>> invitee_by_token(soci::session& s,
                                                                const std::string& token);
std::vector<Guest> guests(soci::session& s, long long meeting_id);
bool is_guest(soci::session& s, long long meeting_id, long long user_id);

std::optional<Rsvp> find_rsvp(soci::session& s, long long meeting_id, long long member_id);
/// Writes the unit's reply (replacing an earlier one) with its attendees.
void upsert_rsvp(soci::session& s, const Rsvp& r, std::optional<long long> replied_by,
                 Timestamp now);
/// Every reply of the meeting with attendees and names.
std::vector<Rsvp> rsvps(soci::session& s, long long meeting_id);
/// How many other units gave their proxy to `holder` (not counting `giver`'s own reply).
int proxies_held(soci::session& s, long long meeting_id, long long holder, long long giver);
/// Invited units without a reply and not reminded on `today`; marks them reminded.
std::vector<long long> take_unreminded(soci::session& s, long long meeting_id,
                                       const std::string& today);

/// Marks a unit present (true: false when it already was) or absent.
bool set_attendance(soci::session& s, long long meeting_id, long long member_id, bool present,
                    std::optional<long long> by, Timestamp now);
std::set<long long> checked_in(soci::session& s, long long meeting_id);

long long insert_material(soci::session& s, const Material& m, std::optional<long long> by,
                          Timestamp now);
std::optional<Material> find_material(soci::session& s, long long meeting_id, long long id);
void delete_material(soci::session& s, long long id, Timestamp now);

long long insert_resolution(soci::session& s, const Resolution& r, std::optional<long long> by,
                            Timestamp now);
std::vector<Resolution> resolutions(soci::session& s, long long meeting_id);
std::optional<Resolution> find_resolution(soci::session& s, long long id);
void delete_resolution(soci::session& s, long long id, Timestamp now);
/// Whether the resolution exists (not withdrawn), its row locked on MariaDB: a dues decision
/// citing it and its withdrawal take turns.
bool lock_resolution(soci::session& s, long long id);
/// Whether a dues schedule's decision cites the resolution.
bool resolution_cited(soci::session& s, long long id);

/// Settings named "meetings.*" (name without the prefix → value).
std::map<std::string, std::string> read_settings(soci::session& s);
void write_setting(soci::session& s, const std::string& name, const std::string& value,
                   Timestamp now);

/// A notification to a unit (member_id) or a person (user_id) about a meeting.
void notify(soci::session& s, std::optional<long long> member_id, std::optional<long long> user_id,
            const std::string& kind, const std::string& message, long long meeting_id,
            Timestamp now, const std::string& message_en = {});

}  // namespace xiehui::meetings::meeting_repository
