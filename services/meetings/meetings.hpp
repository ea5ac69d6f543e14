#pragma once
// Meetings and rooms vocabulary: rooms and their bookings (single or a repeating series), the
// association's meetings with their invitees, 回执 (replies), attendance and resolutions.

#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"

namespace xiehui::meetings {

struct Room {
  long long id = 0;
  std::string name;
  std::string location;
  int capacity = 0;
  std::vector<std::string> equipment;
  bool active = true;
};

/// A room held for [starts_at, ends_at). status: active or cancelled.
struct Booking {
  long long id = 0;
  long long room_id = 0;
  std::string room_name;
  Timestamp starts_at;
  Timestamp ends_at;
  std::string title;
  std::string booked_for;
  std::optional<long long> meeting_id;
  std::optional<long long> class_id;
  std::optional<long long> series_id;
  std::string status = "active";
  std::optional<long long> created_by;
  int version = 1;
  Timestamp updated_at;
};

/// How a series repeats. weekly: on by_weekday (ISO 1 = Monday) every `interval` weeks;
/// monthly: the same day of the month (monthly_by "date") or the same n-th weekday ("weekday").
/// Exactly one of until and count ends it.
struct SeriesRule {
  std::string freq = "weekly";
  int interval = 1;
  std::vector<int> by_weekday;
  std::string monthly_by = "date";
  std::optional<std::string> until;  ///< YYYY-MM-DD, inclusive
  std::optional<int> count;
};

struct SeriesRequest {
  long long room_id = 0;
  std::string title;
  std::string booked_for;
  Timestamp starts_at;
  Timestamp ends_at;
  SeriesRule rule;
  std::vector<std::string> except;   ///< YYYY-MM-DD dates left out
  std::string on_conflict = "fail";  ///< fail or skip
  bool dry_run = false;
};

struct Interval {
  Timestamp starts_at;
  Timestamp ends_at;
};

/// One occurrence of a series request and the booking it would collide with, if any.
struct Occurrence {
  Interval when;
  std::optional<Booking> conflict;
};

struct SeriesResult {
  long long id = 0;
  std::vector<Booking> booked;
  std::vector<Occurrence> occurrences;  ///< every occurrence; conflicts have `conflict` set
};

struct Series {
  long long id = 0;
  long long room_id = 0;
  std::string title;
  std::string booked_for;
  std::string rule_json;
  std::vector<std::string> except;
  std::vector<Booking> occurrences;
};

/// One entry of a calendar: a booking, a meeting or a training class.
struct CalendarEvent {
  std::string type;
  long long id = 0;
  std::string title;
  Timestamp starts_at;
  Timestamp ends_at;
  std::optional<long long> room_id;
  std::string room_name;
  std::string location;
  std::string status;
  std::optional<long long> meeting_id;
  std::optional<long long> series_id;
  bool editable = false;
  int version = 0;
  Timestamp updated_at;
};

struct AgendaItem {
  std::string title;
  std::string presenter;
};

struct Material {
  long long id = 0;
  long long meeting_id = 0;
  std::string filename;
  std::string content_type;
  long long size = 0;
  std::string sha256;
  std::string stored_name;
  Timestamp uploaded_at;
};

struct RsvpAttendee {
  std::string name;
  std::string title;
  std::string mobile;
};

/// A unit's 回执.
struct Rsvp {
  long long meeting_id = 0;
  long long member_id = 0;
  std::string member_name;
  bool attending = false;
  std::vector<RsvpAttendee> attendees;
  std::optional<long long> proxy_to_member_id;
  std::string proxy_to_name;
  std::string note;
  Timestamp replied_at;
  /// The privacy notice accepted for the attendees (required when the reply names any).
  std::optional<long long> consent_version;
};

/// status: scheduled, finished or cancelled.
struct Meeting {
  long long id = 0;
  std::string kind;
  int term_no = 0;
  int session_no = 0;
  std::string title;
  Timestamp starts_at;
  Timestamp ends_at;
  std::string mode = "onsite";
  std::optional<long long> room_id;
  std::string room_name;
  std::optional<long long> booking_id;
  std::string venue;
  Timestamp rsvp_deadline;
  std::string status = "scheduled";
  std::string description;
  std::string minutes;
  int version = 1;
  Timestamp updated_at;
  std::vector<AgendaItem> agenda;
  std::vector<Material> materials;
  int invited = 0;
  int replied = 0;
  int attending = 0;
  std::optional<Rsvp> my_reply;  ///< a member's own unit's reply, when asked for
};

struct Invitee {
  long long member_id = 0;
  std::string member_name;
  std::string tier;
  std::string status;  ///< the unit's membership status
  std::string source;  ///< rule or hand
  std::string pass_token;
};

struct Guest {
  long long user_id = 0;
  std::string display_name;
};

/// One row of the reply matrix. state: attending, absent, proxy or none.
struct ReplyRow {
  Invitee invitee;
  std::string state = "none";
  std::optional<Rsvp> reply;
  std::vector<long long> proxies_held;
  bool present = false;
};

struct Resolution {
  long long id = 0;
  long long meeting_id = 0;
  std::string title;
  std::string kind = "ordinary";  ///< ordinary, charter, dues, election
  std::string method;             ///< secret_ballot, show_of_hands, written
  int entitled = 0;
  int present = 0;
  int votes_for = 0;
  int votes_against = 0;
  int abstentions = 0;
  bool passed = false;
  std::string rule_text;
  Timestamp created_at;
};

}  // namespace xiehui::meetings
