#pragma once
// Pure rules of training: checking courses and classes and the attendance rule. Where a sign-up
// goes, quotas, promotion and check-in slots are the shared place rules (services/places), seen
// through a class.

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/time.hpp"
#include "services/places/place_rules.hpp"
#include "services/training/training.hpp"

namespace xiehui::training {

bool is_class_status(std::string_view s);
/// Staff move a class draft → open ⇄ closed → finished; any but finished may be cancelled.
bool class_status_change_allowed(std::string_view from, std::string_view to);

/// Names each bad field of a course ("title", "topics").
std::vector<FieldError> check_course(Course& c);
/// Names each bad field of a class ("starts_at", "capacity", "signup_deadline", ...).
std::vector<FieldError> check_class(const TrainingClass& c);
/// Normalises an attendee (mobile as 11 digits) and names each bad field ("attendee.mobile").
std::vector<FieldError> check_attendee(Attendee& a);

/// The class's seats as the shared place rules (services/places) see them.
places::Seats seats_of(const TrainingClass& c);
using places::Placement;
/// Where a new sign-up goes given the class as locked: a seat while confirmed < capacity.
Placement place(const TrainingClass& c);

/// Whether a unit holding `held` places (confirmed + waitlisted) may take one more.
bool within_quota(const TrainingClass& c, int held);

/// Why a sign-up is refused now (class not open, past the deadline), or nullopt.
std::optional<Error> signup_refusal(const TrainingClass& c, Timestamp now);

/// How many waitlisted places to promote after the class's seats or counts changed.
int promotions(const TrainingClass& c);

/// The half days a class runs: every day from its start to its end (Asia/Shanghai), am and pm.
std::vector<std::pair<std::string, std::string>> attendance_slots(const TrainingClass& c);

/// Whether `attended` of the class's slots meets its attendance rule (a percentage).
bool meets_attendance_rule(const TrainingClass& c, std::size_t attended);

/// The half day a check-in at `t` belongs to ("am" before 12:00 Shanghai time).
std::pair<std::string, std::string> slot_at(Timestamp t);

/// Why a check-in for the half day `when` is refused, or nullopt. A half day outside the class's
/// dates is a conflict (field "day") unless staff give `override_reason`; a given reason must be
/// 1–200 characters without control characters (invalid_argument, field "override_reason").
std::optional<Error> check_in_refusal(const TrainingClass& c,
                                      const std::pair<std::string, std::string>& when,
                                      const std::optional<std::string>& override_reason);

}  // namespace xiehui::training
