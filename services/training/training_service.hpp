#pragma once
// Courses, classes and sign-up. Every change of a class's seats (sign-up, cancellation, capacity
// change) locks the class row first and decides inside that transaction, so no number of
// concurrent requests or server processes can overbook a class or skip the waitlist.

#include <optional>
#include <string>
#include <vector>

#include "core/access.hpp"
#include "core/clock.hpp"
#include "core/db/database.hpp"
#include "core/error.hpp"
#include "core/table_export.hpp"
#include "services/privacy/export_fields.hpp"
#include "services/privacy/sight.hpp"
#include "services/training/training.hpp"

namespace xiehui::training {

/// A sign-up request. `member_id` empty with staff: a non-member organisation named `org_name`.
struct SignUp {
  std::optional<long long> member_id;
  std::string org_name;
  Attendee attendee;
  std::optional<long long> consent_version;  ///< the privacy notice accepted for the attendee
};

/// Fields of a class to change; absent ones stay. A new capacity promotes from the waitlist.
struct ClassPatch {
  std::optional<std::string> title, venue, status;
  std::optional<Timestamp> starts_at, ends_at, signup_deadline;
  std::optional<int> capacity, min_attendance_percent;
  std::optional<std::optional<int>> per_member_quota;
  std::optional<long long> fee_fen;
};

/// A class's attendance sheet: its half-day slots and, per confirmed enrolment, the slots
/// attended and whether the attendance rule is met.
struct AttendanceSheet {
  TrainingClass cls;
  std::vector<std::pair<std::string, std::string>> slots;
  struct Row {
    Enrollment enrollment;
    std::vector<bool> present;  ///< per slot
    bool meets_rule = false;
  };
  std::vector<Row> rows;
};

/// What a training certificate shows (and its public check: name, course, dates, number).
struct TrainingCertificate {
  std::string number;
  std::string code;
  std::string attendee_name;
  std::string org_name;
  std::string course_title;
  std::string starts_on;
  std::string ends_on;
};

/// What an attendee's public pass shows: the class and the place (only the attendee's name of
/// the place leaves the service's caller; the handler picks the fields).
struct TrainingPass {
  Enrollment enrollment;
  TrainingClass cls;
};

class TrainingService {
 public:
  TrainingService(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  Result<Course> create_course(Course c, const Principal& actor);
  Result<Course> update_course(Course c, const Principal& actor);
  Result<std::vector<Course>> list_courses();
  Result<Course> get_course(long long id);

  /// A new class of a course (status draft unless given open/closed).
  Result<TrainingClass> create_class(TrainingClass c, const Principal& actor);
  /// Changes a class; a capacity below the confirmed count is a conflict; a higher one promotes
  /// the waitlist in order. Status changes follow class_status_change_allowed.
  Result<TrainingClass> update_class(long long id, const ClassPatch& patch, const Principal& actor);
  /// Classes by status; drafts are for staff only (others also see cancelled classes, so a
  /// unit learns why its places went).
  Result<std::vector<TrainingClass>> list_classes(const std::string& status,
                                                  std::optional<long long> course_id,
                                                  bool with_seats, const Principal& who);
  Result<TrainingClass> get_class(long long id, const Principal& who);

  /// Signs one attendee up: confirmed while seats remain, else waitlisted. conflict when the
  /// class is not open, past its deadline, the unit's quota is used up, or the mobile already
  /// holds a place; a member signs up only its own unit (others: permission_denied).
  Result<Enrollment> enroll(long long class_id, SignUp signup, const Principal& who);
  /// Cancels a place (the unit's own or, for staff, any); a freed seat goes to the first on the
  /// waitlist in the same transaction, and that unit gets a notification.
  Status cancel(long long enrollment_id, const Principal& who);

  /// A class's enrolments: all for staff, the unit's own for a member.
  /// A class's roster: staff see every unit's people (the view is logged), a member its own
  /// unit's, a leader everyone's with mobiles and e-mail addresses masked.
  Result<std::vector<Enrollment>> class_enrollments(long long class_id, const Principal& who);
  /// The roster as a workbook (places held, in roster order) with the contact columns chosen
  /// in `fields` and a 说明 sheet naming the personal fields; logged as an export.
  Result<std::string> roster_xlsx(long long class_id, const Principal& who,
                                  privacy::ExportFields fields);
  /// The caller's unit's enrolments in every class.
  Result<std::vector<Enrollment>> my_enrollments(const Principal& who);
  /// One enrolment: staff, or the unit it belongs to (others: not_found).
  Result<Enrollment> get_enrollment(long long id, const Principal& who);

  /// Checks an attendee in for a half day (default: the current one). By enrolment id, or by the
  /// token from its QR code, which must belong to `class_id`. Returns false when already in.
  /// A half day outside the class's dates is a conflict (field "day") unless `override_reason`
  /// (staff, 1–200 characters) is given; the reason is kept in the audit row.
  Result<bool> check_in(long long class_id, std::optional<long long> enrollment_id,
                        const std::string& token,
                        std::optional<std::pair<std::string, std::string>> slot,
                        const Principal& actor,
                        const std::optional<std::string>& override_reason = std::nullopt);
  /// Undoes one check-in (audited "attendance.undo"); not_found when the enrolment has none for
  /// that half day.
  Status undo_check_in(long long enrollment_id, const std::string& day, const std::string& half,
                       const Principal& actor);
  /// The public pass a check-in QR token names: the enrolment and its class. not_found for a
  /// malformed or unknown token and for a cancelled place.
  Result<TrainingPass> pass(const std::string& token);
  Result<AttendanceSheet> attendance_sheet(long long class_id);
  /// The enrolment a check-in QR token names, if it belongs to `class_id` (else not_found):
  /// what the check-in page shows before staff confirm.
  Result<Enrollment> enrollment_by_token(long long class_id, const std::string& token);

  /// Numbers certificates for every confirmed attendee of a finished class who met the
  /// attendance rule (once each); returns how many were issued now.
  Result<int> issue_certificates(long long class_id, const Principal& actor);
  /// An enrolment's certificate: staff or its unit; not_found when none was issued.
  Result<TrainingCertificate> certificate(long long enrollment_id, const Principal& who);
  /// The public check of a certificate by its code.
  Result<TrainingCertificate> verify_certificate(const std::string& code);

 private:
  Result<std::vector<Enrollment>> roster(soci::session& s, long long class_id, const Principal& who,
                                         privacy::Sight sight);

  db::Database& db_;
  const Clock& clock_;
};

}  // namespace xiehui::training
