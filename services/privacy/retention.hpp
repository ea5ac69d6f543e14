#pragma once
// Retention (PIPL art. 19, GB/T 35273 §6.1): each kind of record keeps its people's data for a
// set time after its purpose ends, then is anonymised in place: rows, counts and certificate
// numbers stay. A run may be dry (what would go); a record once anonymised is not counted again,
// so a dry run followed by a run reports the same.

#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/time.hpp"

namespace xiehui::privacy {

struct RetentionSettings {
  int enrollment_years = 3;            ///< after the class ends: the trainee's contact details
  int visit_delegate_years = 3;        ///< after the visit ends: the delegate
  int meeting_attendee_years = 3;      ///< after the meeting ends: the attendee
  int rejected_application_years = 1;  ///< after the rejection: the applicant's contact
  int outbox_days = 365;               ///< after sending (or giving up): the message
  bool daily = false;                  ///< run by the scheduler once a day after 03:00
};

/// A change of the settings: the fields given change, the rest stay.
struct RetentionPatch {
  std::optional<int> enrollment_years, visit_delegate_years, meeting_attendee_years,
      rejected_application_years, outbox_days;
  std::optional<bool> daily;

  RetentionSettings applied_to(RetentionSettings s) const {
    s.enrollment_years = enrollment_years.value_or(s.enrollment_years);
    s.visit_delegate_years = visit_delegate_years.value_or(s.visit_delegate_years);
    s.meeting_attendee_years = meeting_attendee_years.value_or(s.meeting_attendee_years);
    s.rejected_application_years =
        rejected_application_years.value_or(s.rejected_application_years);
    s.outbox_days = outbox_days.value_or(s.outbox_days);
    s.daily = daily.value_or(s.daily);
    return s;
  }
};

/// One kind of record in a run.
struct RetentionItem {
  std::string kind;  ///< enrollment, visit_delegate, meeting_attendee, rejected_application, outbox
  std::string label;   ///< 培训学员联系方式 …
  std::string cutoff;  ///< purposes ended before this (YYYY-MM-DD, Asia/Shanghai)
  long long records = 0;
};

struct RetentionRun {
  long long id = 0;
  bool dry_run = true;
  Timestamp ran_at;
  std::string actor;
  std::vector<RetentionItem> items;
  long long total = 0;
};

/// Field errors of settings out of range (years 1..50, days 30..3650).
std::vector<FieldError> check_retention(const RetentionSettings& s);

/// The instant before which each kind's purpose must have ended: `now`'s Asia/Shanghai date
/// minus the kind's years (or days), at midnight there. Items in kind order, records 0.
struct RetentionCutoff {
  RetentionItem item;
  Timestamp before;
};
std::vector<RetentionCutoff> retention_cutoffs(const RetentionSettings& s, Timestamp now);

/// Whether the daily run is due at `now`: on, and 03:00 or later in Asia/Shanghai.
bool retention_due(const RetentionSettings& s, Timestamp now);

}  // namespace xiehui::privacy
