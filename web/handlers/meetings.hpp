#pragma once
// Handlers of rooms, bookings, calendars and meetings (docs/API.md "Meetings and rooms").

#include "web/router.hpp"

namespace xiehui::web::handlers {

Response list_rooms(RequestContext& ctx);
Response create_room(RequestContext& ctx);
Response update_room(RequestContext& ctx);
Response list_bookings(RequestContext& ctx);
Response create_booking(RequestContext& ctx);
Response update_booking(RequestContext& ctx);
Response cancel_booking(RequestContext& ctx);
Response create_series(RequestContext& ctx);
Response get_series(RequestContext& ctx);
Response cancel_series(RequestContext& ctx);
Response calendar_events(RequestContext& ctx);
Response get_calendar_feed(RequestContext& ctx);
Response renew_calendar_feed(RequestContext& ctx);
Response revoke_calendar_feed(RequestContext& ctx);
Response calendar_ics(RequestContext& ctx);

Response get_meeting_settings(RequestContext& ctx);
Response put_meeting_settings(RequestContext& ctx);
Response next_meeting_number(RequestContext& ctx);
Response create_meeting(RequestContext& ctx);
Response list_meetings(RequestContext& ctx);
Response get_meeting(RequestContext& ctx);
Response update_meeting(RequestContext& ctx);
Response meeting_invitees(RequestContext& ctx);
Response add_meeting_invitees(RequestContext& ctx);
Response remove_meeting_invitee(RequestContext& ctx);
Response upload_material(RequestContext& ctx);
Response download_material(RequestContext& ctx);
Response delete_material(RequestContext& ctx);

Response submit_rsvp(RequestContext& ctx);
Response get_my_rsvp(RequestContext& ctx);
Response list_rsvps(RequestContext& ctx);
Response sign_in_sheet(RequestContext& ctx);
Response send_meeting_reminders(RequestContext& ctx);
Response meeting_pass(RequestContext& ctx);
Response record_attendance(RequestContext& ctx);
Response meeting_quorum(RequestContext& ctx);
Response create_resolution(RequestContext& ctx);
Response list_resolutions(RequestContext& ctx);
Response delete_resolution(RequestContext& ctx);

}  // namespace xiehui::web::handlers
