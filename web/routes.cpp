// THE route table: every endpoint, its method, who may call it, and its handler.

#include "web/handlers/accounts.hpp"
#include "web/handlers/dues.hpp"
#include "web/handlers/meetings.hpp"
#include "web/handlers/member_records.hpp"
#include "web/handlers/membership.hpp"
#include "web/handlers/system.hpp"
#include "web/handlers/training.hpp"
#include "web/router.hpp"

namespace xiehui::web {

std::vector<Route> make_routes() {
  using http::verb;
  using P = Permission;
  const Access kPublic = Access::public_route();
  const Access kSignedIn = Access::signed_in();
  const auto need = [](Permission p) { return Access::requires_permission(p); };
  // Staff change any unit; a member account its own (the service checks which unit).
  const Access kChangeUnit = Access::requires_any(P::members_write, P::own_unit_manage);
  const Access kReadUnit = Access::requires_any(P::members_read_all, P::own_unit_manage);
  // Staff and leaders read every unit's dues, a member its own: the service decides.
  const Access kReadDues = Access::requires_any(P::reports_read, P::dues_read_own);
  // Staff reply for any unit, a member for its own: the service decides.
  const Access kRsvp = Access::requires_any(P::meetings_manage, P::meetings_rsvp);
  const Access kQuorum = Access::requires_any(P::meetings_manage, P::reports_read);
  return {
      {verb::get, "/healthz", kPublic, handlers::healthz, "Liveness: the process answers"},
      {verb::get, "/readyz", kPublic, handlers::readyz, "Readiness: the database answers"},
      // Scraped by Prometheus on the internal network; carries no personal data.
      {verb::get, "/metrics", kPublic, handlers::metrics, "Prometheus metrics"},
      {verb::get, "/api/openapi.json", kPublic, handlers::openapi, "This API's OpenAPI 3 document"},

      {verb::post, "/api/session", kPublic, handlers::login, "Sign in; sets the session cookie"},
      {verb::get, "/api/session", kPublic, handlers::current_session, "The signed-in user"},
      {verb::delete_, "/api/session", kSignedIn, handlers::logout, "Sign out"},

      {verb::get, "/api/users", need(P::users_manage), handlers::list_users, "List users"},
      {verb::post, "/api/users", need(P::users_manage), handlers::create_user, "Create a user"},
      {verb::get, "/api/users/{id}", need(P::users_manage), handlers::get_user, "One user"},
      {verb::patch, "/api/users/{id}", need(P::users_manage), handlers::update_user,
       "Change roles, name, unit or disable"},
      // Own password (with the current one) or, with users.manage, anyone's: the service decides.
      {verb::post, "/api/users/{id}/password", kSignedIn, handlers::set_password,
       "Change or reset a password"},

      {verb::post, "/api/tokens", kSignedIn, handlers::create_token, "Create a personal API token"},
      {verb::get, "/api/tokens", kSignedIn, handlers::list_tokens, "My API tokens"},
      {verb::delete_, "/api/tokens/{id}", kSignedIn, handlers::revoke_token, "Revoke a token"},

      {verb::post, "/api/applications", kPublic, handlers::submit_application,
       "Apply to join (creates the applicant's account)"},
      {verb::get, "/api/applications", need(P::applications_read), handlers::list_applications,
       "Applications, by status"},
      // Before /api/applications/{id}.
      {verb::get, "/api/applications/mine", kSignedIn, handlers::my_applications,
       "The caller's own applications (what an applicant sees after signing in)"},
      // Reviewers see any application, an applicant its own: the service decides.
      {verb::get, "/api/applications/{id}", kSignedIn, handlers::get_application,
       "One application"},
      {verb::post, "/api/applications/{id}/approve", need(P::applications_review),
       handlers::approve_application, "Approve with a tier: creates the member unit"},
      {verb::post, "/api/applications/{id}/reject", need(P::applications_review),
       handlers::reject_application, "Reject with a reason the applicant sees"},
      // The applicant's own (the service answers 404 for anyone else's).
      {verb::post, "/api/applications/{id}/withdraw", kSignedIn, handlers::withdraw_application,
       "The applicant withdraws its pending application"},

      // Staff and leaders see every field; members see other units' public fields only.
      {verb::get, "/api/members", need(P::directory_read), handlers::list_members,
       "The member directory, sorted by pinyin or by joining date"},
      // Before /api/members/{id}, which would otherwise take "export" for an id.
      {verb::get, "/api/members/export", need(P::members_read_all), handlers::export_members,
       "The filtered directory as xlsx or CSV (UTF-8 with BOM)"},
      // Before /api/members/{id}/…, which would otherwise take "import" for an id.
      {verb::get, "/api/members/import/template", need(P::members_write), handlers::import_template,
       "The member import template (xlsx)"},
      {verb::post, "/api/members/import", need(P::members_write), handlers::import_members,
       "Import units from xlsx or CSV (UTF-8/GBK): ?dry_run=true|false, ?async=true for a job",
       kUploadBodyLimit},
      {verb::get, "/api/members/{id}", need(P::directory_read), handlers::get_member,
       "One member unit"},

      // Staff change any field, a member its own unit's short name and address: service decides.
      {verb::patch, "/api/members/{id}", kChangeUnit, handlers::update_member,
       "Change a unit (name, city, type, level, address, pinyin reading)"},
      {verb::post, "/api/members/{id}/status", need(P::members_write),
       handlers::change_member_status, "Suspend, withdraw, expel or reinstate, with a reason"},
      {verb::get, "/api/members/{id}/status-history", need(P::members_read_all),
       handlers::member_status_history, "A unit's status changes"},
      {verb::post, "/api/members/{id}/tier", need(P::members_write), handlers::change_member_tier,
       "Change a unit's tier from a date, with a reason"},
      // Staff and leaders any unit, a member its own: the service decides.
      {verb::get, "/api/members/{id}/history", kReadUnit, handlers::member_history,
       "A unit's tier, name, representative and status changes"},
      {verb::get, "/api/members/{id}/certificate", kReadUnit, handlers::member_certificate,
       "This year's membership certificate with its verification QR code"},
      // Printed on certificates: says only whether one is genuine and current.
      {verb::get, "/api/certificates/{code}", kPublic, handlers::verify_certificate,
       "Verify a membership certificate"},

      // Contacts: staff and leaders read any unit, a member its own (numbers masked for those
      // who may not change the unit); staff and the unit itself change them. Service decides.
      {verb::get, "/api/members/{id}/contacts", kReadUnit, handlers::list_contacts,
       "A unit's contacts"},
      {verb::post, "/api/members/{id}/contacts", kChangeUnit, handlers::add_contact,
       "Add a contact"},
      {verb::patch, "/api/members/{id}/contacts/{cid}", kChangeUnit, handlers::update_contact,
       "Change a contact"},
      {verb::delete_, "/api/members/{id}/contacts/{cid}", kChangeUnit, handlers::delete_contact,
       "Remove a contact"},

      // Members read the bank details for transfers; staff every setting: the handler decides.
      {verb::get, "/api/dues/settings", kSignedIn, handlers::get_dues_settings,
       "Dues settings (members: the association's bank details)"},
      {verb::put, "/api/dues/settings", need(P::dues_manage), handlers::put_dues_settings,
       "Change dues settings: thresholds, proration, lapse, reminders, bank details"},
      // Members see published schedules only: the service decides.
      {verb::get, "/api/dues/schedules", kSignedIn, handlers::list_schedules,
       "Dues schedules, newest year first"},
      {verb::get, "/api/dues/schedules/{year}", kSignedIn, handlers::get_schedule,
       "A year's dues schedule with its decision and history"},
      {verb::put, "/api/dues/schedules/{year}", need(P::dues_manage), handlers::put_schedule,
       "Set a year's schedule with the assembly's decision, or copy another year's"},
      {verb::post, "/api/dues/schedules/{year}/publish", need(P::dues_manage),
       handlers::publish_schedule, "Publish a schedule: every active unit is notified"},
      {verb::get, "/api/dues/reductions", need(P::dues_manage), handlers::list_reductions,
       "Reductions and waivers (?format=xlsx)"},
      {verb::post, "/api/dues/reductions", need(P::dues_manage), handlers::create_reduction,
       "Record a reduction or waiver for a unit and year"},
      {verb::delete_, "/api/dues/reductions/{id}", need(P::dues_manage), handlers::revoke_reduction,
       "Revoke a reduction"},
      {verb::post, "/api/dues/bill-runs", need(P::dues_manage), handlers::run_bill,
       "Bill a year (dry_run lists what it would create; ?async=true for a job)"},
      {verb::get, "/api/dues/invoices", kReadDues, handlers::list_invoices,
       "Dues invoices (?format=xlsx); a member sees its own"},
      {verb::get, "/api/dues/invoices/{id}", kReadDues, handlers::get_invoice,
       "One invoice with its payments"},
      {verb::post, "/api/dues/invoices/{id}/payments", need(P::dues_record_payment),
       handlers::record_payment, "Record a payment (Idempotency-Key header required)"},
      {verb::get, "/api/dues/payments", need(P::dues_record_payment), handlers::list_payments,
       "Payments with their receipt numbers (?format=xlsx)"},
      {verb::post, "/api/dues/payments/{id}/reverse", need(P::dues_record_payment),
       handlers::reverse_payment, "Reverse (冲正) a payment: its receipt becomes void"},
      {verb::get, "/api/dues/receipts/{receipt_no}", kReadDues, handlers::get_receipt,
       "A 会费收据 to print; a member its own"},
      // Printed on receipts: says only whether one is genuine and valid.
      {verb::get, "/api/receipts/verify/{code}", kPublic, handlers::verify_receipt,
       "Verify a dues receipt"},
      {verb::post, "/api/dues/statements", need(P::dues_manage), handlers::upload_statement,
       "Upload a bank statement (xlsx/CSV): ?map= columns, ?dry_run=false stores it",
       kUploadBodyLimit},
      {verb::get, "/api/dues/statements/{id}", need(P::dues_manage), handlers::get_statement,
       "A stored statement's credit lines with suggested invoices"},
      {verb::post, "/api/dues/statements/{id}/confirm", need(P::dues_record_payment),
       handlers::confirm_statement, "Record confirmed lines as payments (each line once)"},
      {verb::get, "/api/dues/arrears", need(P::reports_read), handlers::list_arrears,
       "Arrears by unit with ageing (?format=xlsx)"},
      {verb::post, "/api/dues/lapse-runs", need(P::dues_manage), handlers::run_lapse,
       "The charter's lapse of units unpaid after a reminder (dry_run by default)"},
      {verb::post, "/api/dues/reminder-runs", need(P::dues_manage), handlers::run_reminders,
       "Send the reminders due today (dry_run by default)"},
      {verb::get, "/api/reports/dues", need(P::reports_read), handlers::dues_report,
       "A year's dues figures by tier and city (?format=xlsx)"},
      {verb::get, "/api/dues/use-statements/{year}", kReadDues, handlers::get_use_statement,
       "The year's dues income and use statement (members: published ones)"},
      {verb::put, "/api/dues/use-statements/{year}", need(P::dues_manage),
       handlers::put_use_statement, "Write the year's income and use statement"},
      {verb::post, "/api/dues/use-statements/{year}/publish", need(P::dues_manage),
       handlers::publish_use_statement, "Publish the statement to every active unit"},

      {verb::get, "/api/fees", need(P::dues_manage), handlers::list_fees,
       "The fee ledger (training, visits) with 发票 status and 开票信息"},
      {verb::get, "/api/fees/mine", need(P::dues_read_own), handlers::my_fees, "My unit's fees"},
      {verb::patch, "/api/fees/{id}", need(P::dues_manage), handlers::update_fee,
       "Record the 发票 issued for a fee"},
      // The unit's own fee, or staff: the service decides.
      {verb::post, "/api/fees/{id}/fapiao-request",
       Access::requires_any(P::dues_manage, P::dues_read_own), handlers::request_fapiao,
       "Ask for a 发票 of a fee"},
      {verb::get, "/api/members/{id}/invoicing", kReadUnit, handlers::get_invoicing,
       "A unit's 开票信息"},
      {verb::put, "/api/members/{id}/invoicing",
       Access::requires_any(P::dues_manage, P::own_unit_manage), handlers::put_invoicing,
       "Save a unit's 开票信息 (tax number = its credit code)"},

      {verb::get, "/api/courses", kSignedIn, handlers::list_courses, "Training courses"},
      {verb::post, "/api/courses", need(P::training_manage), handlers::create_course,
       "Create a course"},
      {verb::get, "/api/courses/{id}", kSignedIn, handlers::get_course, "One course"},
      {verb::patch, "/api/courses/{id}", need(P::training_manage), handlers::update_course,
       "Change a course"},
      {verb::post, "/api/courses/{id}/classes", need(P::training_manage), handlers::create_class,
       "Schedule a class of a course"},
      // Drafts only for staff: the service decides.
      {verb::get, "/api/classes", kSignedIn, handlers::list_classes,
       "Classes (?status=open&with_seats=true for the catalogue)"},
      {verb::get, "/api/classes/{id}", kSignedIn, handlers::get_class,
       "One class with its confirmed and waitlisted counts"},
      {verb::patch, "/api/classes/{id}", need(P::training_manage), handlers::update_class,
       "Change a class: capacity (promotes the waitlist), status, dates, fee"},
      // A member signs up, lists and cancels its own unit's people: the service decides.
      {verb::post, "/api/classes/{id}/enrollments", need(P::training_enroll), handlers::enroll,
       "Sign an attendee up: confirmed or waitlisted"},
      {verb::get, "/api/classes/{id}/enrollments", need(P::training_enroll),
       handlers::class_enrollments, "A class's roster (?format=xlsx); a member sees its own"},
      {verb::post, "/api/classes/{id}/check-in", need(P::training_manage),
       handlers::check_in_by_token, "Check an attendee in by the token of its QR code"},
      {verb::get, "/api/classes/{id}/check-in/{token}", need(P::training_manage),
       handlers::enrollment_by_token, "The attendee a check-in QR token names"},
      {verb::get, "/api/classes/{id}/attendance", need(P::training_manage),
       handlers::class_attendance, "The attendance sheet"},
      {verb::post, "/api/classes/{id}/certificates", need(P::training_manage),
       handlers::issue_certificates, "Number certificates for a finished class"},
      {verb::get, "/api/enrollments/mine", need(P::training_enroll), handlers::my_enrollments,
       "My unit's enrolments"},
      {verb::get, "/api/enrollments/{id}", need(P::training_enroll), handlers::get_enrollment,
       "One enrolment"},
      {verb::delete_, "/api/enrollments/{id}", need(P::training_enroll),
       handlers::cancel_enrollment, "Cancel: the first waitlisted place is confirmed"},
      {verb::get, "/api/enrollments/{id}/pass", need(P::training_enroll), handlers::enrollment_pass,
       "The attendee's check-in QR code"},
      {verb::post, "/api/enrollments/{id}/check-in", need(P::training_manage),
       handlers::check_in_enrollment, "Check an attendee in for a half day"},
      {verb::delete_, "/api/enrollments/{id}/check-ins/{day}/{half}", need(P::training_manage),
       handlers::undo_check_in, "Undo one check-in (day YYYY-MM-DD, half am|pm)"},
      // Sent to the attendee: class, dates, venue, name and QR code only; unknown → 404.
      {verb::get, "/api/passes/{token}", kPublic, handlers::public_pass,
       "An attendee's public pass by its check-in token"},
      {verb::get, "/api/enrollments/{id}/certificate", need(P::training_enroll),
       handlers::training_certificate, "The attendee's certificate with its QR code"},
      // Printed on certificates: name, course, dates and number only.
      {verb::get, "/api/training-certificates/{code}", kPublic,
       handlers::verify_training_certificate, "Verify a training certificate"},

      // Rooms and bookings: everyone signed in sees availability (titles only with rooms.book).
      {verb::get, "/api/rooms", kSignedIn, handlers::list_rooms, "Rooms by pinyin (?active=true)"},
      {verb::post, "/api/rooms", need(P::meetings_manage), handlers::create_room, "Add a room"},
      {verb::patch, "/api/rooms/{id}", need(P::meetings_manage), handlers::update_room,
       "Change or deactivate a room"},
      {verb::get, "/api/bookings", kSignedIn, handlers::list_bookings,
       "Active bookings in a range (?room_id=&from=&to=)"},
      {verb::post, "/api/bookings", need(P::rooms_book), handlers::create_booking,
       "Book a room; an overlap is 409 naming the booking in the way"},
      // Its creator or staff: the service decides.
      {verb::patch, "/api/bookings/{id}", need(P::rooms_book), handlers::update_booking,
       "Move or rename a booking (same overlap check)"},
      {verb::delete_, "/api/bookings/{id}", need(P::rooms_book), handlers::cancel_booking,
       "Cancel a booking or one occurrence of a series"},
      {verb::post, "/api/booking-series", need(P::rooms_book), handlers::create_series,
       "Book a repeating series (fail or skip on conflicts; dry_run lists them)"},
      {verb::get, "/api/booking-series/{id}", kSignedIn, handlers::get_series,
       "A series with its occurrences"},
      {verb::delete_, "/api/booking-series/{id}", need(P::rooms_book), handlers::cancel_series,
       "Cancel a series' occurrences (?from=DATE: that day and after)"},
      {verb::get, "/api/calendar/events", kSignedIn, handlers::calendar_events,
       "Bookings, meetings and classes in a range (?from=&to=&room_id=)"},
      {verb::get, "/api/calendar/feed", kSignedIn, handlers::get_calendar_feed,
       "The caller's secret calendar feed URL"},
      {verb::post, "/api/calendar/feed", kSignedIn, handlers::renew_calendar_feed,
       "Renew the feed URL (the old one stops working)"},
      {verb::delete_, "/api/calendar/feed", kSignedIn, handlers::revoke_calendar_feed,
       "Turn the calendar feed off"},
      // The secret key in the URL is the credential: calendar apps send no cookie.
      {verb::get, "/api/calendar.ics", kPublic, handlers::calendar_ics,
       "iCalendar (RFC 5545) of what concerns the feed's owner"},

      // Before /api/meetings/{id}.
      {verb::get, "/api/meetings/settings", kSignedIn, handlers::get_meeting_settings,
       "Meeting rules: invitation tiers, quorum, pass rules, proxies"},
      {verb::put, "/api/meetings/settings", need(P::meetings_manage),
       handlers::put_meeting_settings, "Change the meeting rules"},
      {verb::get, "/api/meetings/next-number", need(P::meetings_manage),
       handlers::next_meeting_number, "The suggested 届/次 and title of a kind's next meeting"},
      {verb::post, "/api/meetings", need(P::meetings_manage), handlers::create_meeting,
       "Schedule a meeting: room, agenda, invitations"},
      // Staff and leaders all, a member its unit's invitations: the service decides.
      {verb::get, "/api/meetings", kSignedIn, handlers::list_meetings,
       "Meetings the caller may see (?from=&to=&kind=&status=)"},
      {verb::get, "/api/meetings/{id}", kSignedIn, handlers::get_meeting, "One meeting"},
      {verb::patch, "/api/meetings/{id}", need(P::meetings_manage), handlers::update_meeting,
       "Change, finish or cancel a meeting; minutes"},
      {verb::get, "/api/meetings/{id}/invitees", need(P::meetings_manage),
       handlers::meeting_invitees, "Invited units and people"},
      {verb::post, "/api/meetings/{id}/invitees", need(P::meetings_manage),
       handlers::add_meeting_invitees, "Invite more units or people"},
      {verb::delete_, "/api/meetings/{id}/invitees/{member_id}", need(P::meetings_manage),
       handlers::remove_meeting_invitee, "Withdraw a unit's invitation (before it replies)"},
      {verb::post, "/api/meetings/{id}/materials", need(P::meetings_manage),
       handlers::upload_material, "Upload a material (raw body, ?filename=)", kUploadBodyLimit},
      // Invitees and staff only: the service decides.
      {verb::get, "/api/meetings/{id}/materials/{mid}", kSignedIn, handlers::download_material,
       "Download a material"},
      {verb::delete_, "/api/meetings/{id}/materials/{mid}", need(P::meetings_manage),
       handlers::delete_material, "Withdraw a material"},
      {verb::post, "/api/meetings/{id}/rsvp", kRsvp, handlers::submit_rsvp,
       "A unit's 回执: attending with attendees, absent, or a written proxy"},
      {verb::get, "/api/meetings/{id}/rsvp", need(P::meetings_rsvp), handlers::get_my_rsvp,
       "The caller's unit's 回执"},
      {verb::get, "/api/meetings/{id}/rsvps", need(P::meetings_manage), handlers::list_rsvps,
       "The reply matrix (?format=xlsx: the 回执 summary)"},
      {verb::get, "/api/meetings/{id}/sign-in-sheet", need(P::meetings_manage),
       handlers::sign_in_sheet, "The printable 签到表 (xlsx, by pinyin)"},
      {verb::post, "/api/meetings/{id}/reminders", need(P::meetings_manage),
       handlers::send_meeting_reminders, "Remind the units that have not replied"},
      {verb::get, "/api/meetings/{id}/pass", kRsvp, handlers::meeting_pass,
       "A unit's check-in QR pass"},
      {verb::post, "/api/meetings/{id}/attendance", need(P::meetings_manage),
       handlers::record_attendance, "Check a unit in (by id or pass token) or out"},
      {verb::get, "/api/meetings/{id}/quorum", kQuorum, handlers::meeting_quorum,
       "Entitled, present (in person + proxies), required, reached"},
      {verb::post, "/api/meetings/{id}/resolutions", need(P::meetings_manage),
       handlers::create_resolution, "Record a resolution's vote; passed per the kind's rule"},
      {verb::get, "/api/meetings/{id}/resolutions", kSignedIn, handlers::list_resolutions,
       "A meeting's resolutions"},
      {verb::delete_, "/api/resolutions/{id}", need(P::meetings_manage),
       handlers::delete_resolution, "Withdraw a resolution recorded by mistake"},

      // The job's owner only: the service decides.
      {verb::get, "/api/jobs/{id}", kSignedIn, handlers::get_job,
       "A background job's progress and result"},

      {verb::get, "/api/audit", need(P::audit_read), handlers::list_audit, "The audit log"},
      {verb::get, "/api/audit/verify", need(P::audit_read), handlers::verify_audit,
       "Verify the audit hash chain"},
  };
}

}  // namespace xiehui::web
