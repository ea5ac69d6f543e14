#pragma once
// The only SQL about visits, their hosts and itinerary, applications, delegates, rooming,
// check-ins, report files and participation.

#include <soci/soci.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "services/visits/rooming_rules.hpp"
#include "services/visits/visits.hpp"

namespace xiehui::visits::visit_repository {

long long insert_visit(soci::session& s, const Visit& v, std::optional<long long> by,
                       Timestamp now);
/// Writes every field of the visit (counters too), its hosts and itinerary; version + 1.
void update_visit(soci::session& s, const Visit& v, Timestamp now);
/// Writes only the place counters (approved, waitlisted, next waitlist number); version + 1.
void update_counts(soci::session& s, const Visit& v, Timestamp now);
/// The visit with hosts, itinerary and pending count; row-locked on MariaDB when `lock`: every
/// decision about its places locks it first.
std::optional<Visit> find_visit(soci::session& s, long long id, bool lock);
/// Visits by status ("" for all), soonest first; `from` keeps those ending on or after it.
/// Hosts and counts are filled in, the itinerary is not.
std::vector<Visit> list_visits(soci::session& s, const std::string& status,
                               std::optional<Date> from);

/// Per visit, a unit's delegates by status.
struct UnitCounts {
  int pending = 0, approved = 0, waitlisted = 0;
};
std::map<long long, UnitCounts> unit_counts(soci::session& s, long long member_id);

long long insert_application(soci::session& s, const Application& a, std::optional<long long> by,
                             Timestamp now);
long long insert_delegate(soci::session& s, const Delegate& d, Timestamp now);
/// Places a unit holds in the visit: pending, approved and waitlisted delegates.
int places_held(soci::session& s, long long visit_id, long long member_id);
int approved_of_unit(soci::session& s, long long visit_id, long long member_id);
/// The most delegates any one unit has approved in the visit.
int max_approved_of_a_unit(soci::session& s, long long visit_id);
/// Whether the mobile holds a place (pending, approved, waitlisted) in the visit.
bool mobile_holds_place(soci::session& s, long long visit_id, const std::string& mobile);

std::optional<Delegate> find_delegate(soci::session& s, long long id);
std::optional<Delegate> find_delegate_by_token(soci::session& s, const std::string& token);
/// Writes a decision: status, waitlist number, reason, who and when; the mobile stops holding a
/// place once rejected or withdrawn, and a delegate no longer approved leaves its room.
void save_decision(soci::session& s, const Delegate& d, std::optional<long long> by, Timestamp now);
/// The visit's delegates: approved, then waiting by position, pending by time, then the rest;
/// only the unit's when `member_id` is set; `status` "" for all.
std::vector<Delegate> list_delegates(soci::session& s, long long visit_id,
                                     std::optional<long long> member_id, const std::string& status);
/// The waiting delegates of the visit, in order.
std::vector<Delegate> waitlisted(soci::session& s, long long visit_id);

std::optional<Application> find_application(soci::session& s, long long id);
std::vector<Application> list_applications(soci::session& s, long long visit_id,
                                           std::optional<long long> member_id);

/// Staff's rooming: clears every room number of the visit and sets the given rooms (1-based).
void save_rooms(soci::session& s, long long visit_id, const std::vector<Room>& rooms);
/// The saved rooms: approved delegates with a room number, grouped in room order.
std::vector<Room> saved_rooms(soci::session& s, long long visit_id);
void set_rooming_saved(soci::session& s, long long visit_id, bool saved);

struct CheckIn {
  long long delegate_id = 0;
  std::string day, half;
};
/// Records a check-in; false when that half day was already recorded.
bool insert_check_in(soci::session& s, const CheckIn& c, std::optional<long long> by,
                     Timestamp now);
bool delete_check_in(soci::session& s, const CheckIn& c);
std::vector<CheckIn> check_ins(soci::session& s, long long visit_id);

void save_report(soci::session& s, long long visit_id, const std::string& text,
                 std::optional<Timestamp> published_at, Timestamp now);

struct ReportFile {
  long long id = 0;
  long long visit_id = 0;
  std::string filename, content_type, sha256, stored_name;
  long long size = 0;
  Timestamp uploaded_at;
};
long long insert_report_file(soci::session& s, const ReportFile& f, std::optional<long long> by,
                             Timestamp now);
std::optional<ReportFile> find_report_file(soci::session& s, long long visit_id, long long id);
std::vector<ReportFile> report_files(soci::session& s, long long visit_id);
void delete_report_file(soci::session& s, long long id, Timestamp now);

/// A unit's part in the year's confirmed and completed visits.
struct Participation {
  long long member_id = 0;
  std::string member_name;
  int visits = 0;
  int delegates = 0;
  int slots_attended = 0;
};
std::vector<Participation> participation(soci::session& s, int year,
                                         std::optional<long long> member_id);

}  // namespace xiehui::visits::visit_repository
