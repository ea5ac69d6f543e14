#pragma once
// The SQL of scheduled reminders: what is due (classes and visits about to start, meetings whose
// reply deadline nears), who to tell, and the claim that makes each reminder run once.

#include <soci/soci.h>

#include <string>
#include <vector>

#include "core/clock.hpp"

namespace xiehui::notifications::reminder_repository {

/// Claims (job, key) for this transaction's work: false when it was claimed before (by any
/// process). Rolled back with the work, so a crash leaves it to run again.
bool claim_run(soci::session& s, const std::string& job, const std::string& key, Timestamp now);
void record_items(soci::session& s, const std::string& job, const std::string& key, int items);
/// Gives a claim back (its work could not be done), so a later run claims it again.
void release_run(soci::session& s, const std::string& job, const std::string& key);

/// An activity about to start and the units taking part, with their people's names.
struct Upcoming {
  long long id = 0;
  std::string title;
  std::string starts;  ///< "2026-12-07 09:00" or "2026-12-07"
};
struct UnitPeople {
  long long member_id = 0;
  std::vector<std::string> names;
};

/// Open or closed classes starting in [from, to).
std::vector<Upcoming> classes_starting(soci::session& s, Timestamp from, Timestamp to);
std::vector<UnitPeople> class_units(soci::session& s, long long class_id);
/// Visits not cancelled or drafts, starting on a date in [from, to].
std::vector<Upcoming> visits_starting(soci::session& s, const std::string& from,
                                      const std::string& to);
std::vector<UnitPeople> visit_units(soci::session& s, long long visit_id);
/// Scheduled meetings whose reply deadline lies in (from, to].
std::vector<long long> meetings_closing(soci::session& s, Timestamp from, Timestamp to);

}  // namespace xiehui::notifications::reminder_repository
