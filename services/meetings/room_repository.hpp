#pragma once
// The only SQL about rooms, bookings, booking series and calendar feed keys.

#include <soci/soci.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "services/meetings/meetings.hpp"

namespace xiehui::meetings::room_repository {

long long insert_room(soci::session& s, const Room& r, Timestamp now);
void update_room(soci::session& s, const Room& r, Timestamp now);
/// The room; row-locked on MariaDB when `lock` (every change of a room's bookings locks it
/// first, so two writers cannot both see the same free slot).
std::optional<Room> find_room(soci::session& s, long long id, bool lock);
std::vector<Room> list_rooms(soci::session& s, bool active_only);
/// Whether another room (not `except_id`) has this name.
bool room_name_taken(soci::session& s, const std::string& name, long long except_id);

/// Active bookings overlapping [from, to), of one room or (room_id 0) of every room, by start.
std::vector<Booking> active_between(soci::session& s, long long room_id, Timestamp from,
                                    Timestamp to);
/// The first active booking of the room overlapping `when`, other than `except_id`.
std::optional<Booking> first_overlap(soci::session& s, long long room_id, const Interval& when,
                                     long long except_id);
/// Whether a meeting / a training class with this id exists (what a booking may be linked to).
bool meeting_exists(soci::session& s, long long id);
bool class_exists(soci::session& s, long long id);
/// Ids of the bookings that are meetings' own rooms, for meetings overlapping [from, to).
std::set<long long> meeting_room_bookings(soci::session& s, Timestamp from, Timestamp to);
/// Whether the booking is the room of a (not cancelled) meeting, which moves with the meeting.
bool is_meeting_room(soci::session& s, long long booking_id);
std::optional<Booking> find_booking(soci::session& s, long long id);
long long insert_booking(soci::session& s, const Booking& b, Timestamp now);
/// Writes room, times, title and booked_for, and bumps the version.
void update_booking(soci::session& s, const Booking& b, Timestamp now);
void cancel_booking(soci::session& s, long long id, Timestamp now);

long long insert_series(soci::session& s, const SeriesRequest& r, const std::string& rule_json,
                        std::optional<long long> created_by, Timestamp now);
std::optional<Series> find_series(soci::session& s, long long id);
/// The series' active occurrences starting at or after `from`, by start.
std::vector<Booking> series_bookings(soci::session& s, long long series_id, Timestamp from);

/// Meetings (not cancelled, or all when `with_cancelled`) and classes between two instants as
/// calendar entries; the service decides what the caller may see.
std::vector<CalendarEvent> meeting_events(soci::session& s, Timestamp from, Timestamp to,
                                          bool with_cancelled);
std::vector<CalendarEvent> class_events(soci::session& s, Timestamp from, Timestamp to,
                                        bool with_cancelled);
/// Bookings made by `user_id` (0: every booking), including cancelled ones, for the feed.
std::vector<CalendarEvent> booking_events(soci::session& s, long long user_id, Timestamp from,
                                          Timestamp to);

/// Visits (not drafts) running in the range, from the start of their first day to the end of
/// their last (Asia/Shanghai).
std::vector<CalendarEvent> visit_events(soci::session& s, Timestamp from, Timestamp to,
                                        bool with_cancelled);
/// Visits in which the unit holds a place (pending, approved or waitlisted).
std::vector<long long> member_visit_ids(soci::session& s, long long member_id);

/// Classes in which the unit holds a place (confirmed or waitlisted).
std::vector<long long> member_class_ids(soci::session& s, long long member_id);

std::optional<std::string> feed_token(soci::session& s, long long user_id);
void set_feed_token(soci::session& s, long long user_id, const std::string& token, Timestamp now);
void delete_feed(soci::session& s, long long user_id);
std::optional<long long> feed_owner(soci::session& s, const std::string& token);

}  // namespace xiehui::meetings::room_repository
