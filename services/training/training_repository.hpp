#pragma once
// The only SQL about courses, classes, enrolments, attendance, charges and notifications.

#include <soci/soci.h>

#include <optional>
#include <string>
#include <vector>

#include "services/training/training.hpp"

namespace xiehui::training::training_repository {

long long insert_course(soci::session& s, const Course& c, Timestamp now);
void update_course(soci::session& s, const Course& c, Timestamp now);
std::optional<Course> find_course(soci::session& s, long long id);
std::vector<Course> list_courses(soci::session& s);

long long insert_class(soci::session& s, const TrainingClass& c, Timestamp now);
/// Writes every field of the class, counters included.
void update_class(soci::session& s, const TrainingClass& c, Timestamp now);
/// The class, row-locked on MariaDB when `lock`: every change of its seats locks it first.
std::optional<TrainingClass> find_class(soci::session& s, long long id, bool lock);
/// Classes by status ("" for all), soonest first; `with_seats` keeps those with a seat left.
std::vector<TrainingClass> list_classes(soci::session& s, const std::string& status,
                                        std::optional<long long> course_id, bool with_seats);

/// Places held in the class (confirmed or waitlisted) by the unit.
int places_held(soci::session& s, long long class_id, long long member_id);
/// Whether the mobile already holds a place in the class.
bool mobile_holds_place(soci::session& s, long long class_id, const std::string& mobile);
long long insert_enrollment(soci::session& s, const Enrollment& e, long long enrolled_by,
                            Timestamp now);
std::optional<Enrollment> find_enrollment(soci::session& s, long long id);
std::optional<Enrollment> find_enrollment_by_token(soci::session& s, const std::string& token);
std::optional<Enrollment> find_enrollment_by_certificate(soci::session& s, const std::string& code);
/// The earliest waitlisted enrolment of the class.
std::optional<Enrollment> first_waitlisted(soci::session& s, long long class_id);
void confirm_enrollment(soci::session& s, long long id, Timestamp now);
void cancel_enrollment(soci::session& s, long long id, Timestamp now);
void set_certificate(soci::session& s, long long id, const std::string& number,
                     const std::string& code);
/// A class's enrolments, confirmed first then the waitlist in order, then cancelled ones;
/// only the unit's when `member_id` is set. Waitlist positions are filled in.
std::vector<Enrollment> class_enrollments(soci::session& s, long long class_id,
                                          std::optional<long long> member_id);
/// A unit's enrolments in every class, newest first, with positions.
std::vector<Enrollment> member_enrollments(soci::session& s, long long member_id);
/// 1-based position of a waitlisted enrolment.
int waitlist_position(soci::session& s, long long class_id, long long seq);

/// Records a check-in; false when that slot was already recorded.
bool insert_attendance(soci::session& s, const Attendance& a, long long checked_by);
/// Removes a recorded check-in; false when there was none.
bool delete_attendance(soci::session& s, long long enrollment_id, const std::string& day,
                       const std::string& half);
std::vector<Attendance> class_attendance(soci::session& s, long long class_id);
/// The class's places still held (confirmed or waitlisted).
std::vector<Enrollment> held_places(soci::session& s, long long class_id);

/// The fee a confirmed place owes (none for a free class).
void insert_charge(soci::session& s, const Enrollment& e, Timestamp now);
void void_charge(soci::session& s, long long enrollment_id, Timestamp now);
long long open_charges_fen(soci::session& s, long long member_id);

void insert_notification(soci::session& s, std::optional<long long> member_id,
                         const std::string& kind, const std::string& message,
                         long long enrollment_id, Timestamp now, const std::string& message_en,
                         long long class_id);

}  // namespace xiehui::training::training_repository
