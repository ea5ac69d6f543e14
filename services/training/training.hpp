#pragma once
// Training vocabulary: courses, their classes (班次, one scheduled run with seats) and the
// enrolments of attendees, with attendance and certificates.

#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"

namespace xiehui::training {

struct Course {
  long long id = 0;
  std::string title;
  std::string description;
  std::vector<std::string> topics;
};

/// A class's status: draft (not yet visible), open (sign-up), closed (no sign-up), cancelled,
/// finished (certificates may be issued).
struct TrainingClass {
  long long id = 0;
  long long course_id = 0;
  std::string course_title;
  std::string title;
  Timestamp starts_at;
  Timestamp ends_at;
  std::string venue;
  int capacity = 0;
  std::optional<int> per_member_quota;
  long long fee_fen = 0;
  Timestamp signup_deadline;
  std::string status = "draft";
  int min_attendance_percent = 80;
  int confirmed = 0;
  int waitlisted = 0;
  long long next_waitlist_seq = 1;
};

struct Attendee {
  std::string name;
  std::string title;
  std::string mobile;
  std::string email;
  std::string lodging;  ///< none, single, shared
};

/// A place in a class: confirmed, waitlisted (with a position) or cancelled.
struct Enrollment {
  long long id = 0;
  long long class_id = 0;
  std::optional<long long> member_id;  ///< empty for a non-member organisation
  std::string org_name;
  Attendee attendee;
  std::string status;
  std::optional<long long> waitlist_seq;
  int waitlist_position = 0;  ///< 1-based while waitlisted, else 0
  long long fee_fen = 0;
  std::string checkin_token;
  std::string certificate_no;
  std::string certificate_code;
  Timestamp created_at;
  std::optional<Timestamp> promoted_at;
  std::optional<Timestamp> cancelled_at;
  long long consent_version = 0;  ///< the privacy notice the person signing up accepted
};

/// One check-in.
struct Attendance {
  long long enrollment_id = 0;
  std::string day;   ///< YYYY-MM-DD
  std::string half;  ///< am, pm
  Timestamp checked_at;
};

}  // namespace xiehui::training
