#pragma once
// Rules shared by everything that hands out a limited number of places: training classes (seats)
// and exchange visits (delegation places). A place is taken while one is free and nobody waits;
// otherwise the request joins the waitlist, which moves up in order when places free. Per-unit
// quotas cap what one unit holds. Check-ins are per half day over the dates the activity runs.
// Pure functions: the callers decide under the row lock of the class or visit.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/time.hpp"

namespace xiehui::places {

/// The counts of one class or visit as locked.
struct Seats {
  int capacity = 0;
  int taken = 0;    ///< confirmed (training) or approved (visits)
  int waiting = 0;  ///< on the waitlist
};

/// Where a new request goes: a place while taken < capacity and nobody waits, else the waitlist.
enum class Placement { confirmed, waitlisted };
Placement place(const Seats& s);

/// Whether a unit holding `held` places may take one more under `quota` (none: no limit).
bool within_quota(std::optional<int> quota, int held);

/// How many waiting requests to move up after places or counts changed.
int promotions(const Seats& s);

/// A capacity may not go below the places already taken: conflict naming the number, or nullopt.
std::optional<Error> capacity_refusal(const Seats& s, const Text& what_taken);

/// One half day: {"YYYY-MM-DD", "am"|"pm"}.
using Slot = std::pair<std::string, std::string>;

/// Every half day from `first` to `last` (inclusive), am and pm.
std::vector<Slot> attendance_slots(Date first, Date last);

/// The half day an instant belongs to ("am" before 12:00 Shanghai time).
Slot slot_at(Timestamp t);

/// Why a check-in for `when` is refused, or nullopt. A half day outside [first, last] is a
/// conflict (field "day") unless staff give `override_reason`; a given reason must be 1–200
/// characters without control characters (invalid_argument, field "override_reason").
/// `dates_name` names the dates in the message ("培训日期" / "the class's days").
std::optional<Error> check_in_refusal(Date first, Date last, const Slot& when,
                                      const std::optional<std::string>& override_reason,
                                      const Text& dates_name);

}  // namespace xiehui::places
