#pragma once
// JSON of rooms, bookings, series, calendar entries, meetings, 回执, quorum and resolutions
// (docs/API.md "Meetings and rooms"), and reading their request bodies.

#include <boost/json.hpp>

#include "services/meetings/booking_service.hpp"
#include "services/meetings/meeting_service.hpp"
#include "web/json_body.hpp"

namespace xiehui::web::dto {

boost::json::object room_json(const meetings::Room& r);
boost::json::object booking_json(const meetings::Booking& b);
boost::json::object event_json(const meetings::CalendarEvent& e);
boost::json::object meeting_json(const meetings::Meeting& m);
boost::json::object rsvp_json(const meetings::Rsvp& r);
boost::json::object quorum_json(const meetings::Quorum& q);
boost::json::object resolution_json(const meetings::Resolution& r);
boost::json::object settings_json(const meetings::MeetingSettings& s);
boost::json::object material_json(const meetings::Material& m);

/// An instant field ("2026-03-05T09:00:00+08:00", or a date: start or end of that day).
std::optional<Timestamp> read_when(JsonBody& body, const char* name, bool required,
                                   bool end_of_day);

meetings::RoomPatch read_room(JsonBody& body, bool required);
meetings::BookingPatch read_booking_patch(JsonBody& body, bool required);
/// The request of POST /api/booking-series, and its rule as JSON to keep.
meetings::SeriesRequest read_series(JsonBody& body, std::string& rule_json);
meetings::MeetingDraft read_meeting(JsonBody& body);
meetings::MeetingPatch read_meeting_patch(JsonBody& body);
meetings::Rsvp read_rsvp(JsonBody& body);
meetings::Resolution read_resolution(JsonBody& body, bool& figures_given);
meetings::MeetingSettings read_settings(JsonBody& body, meetings::MeetingSettings base);

}  // namespace xiehui::web::dto
