#pragma once
// The decisions about a visit's places, shared by the service's entry points. Each runs inside
// the caller's transaction after the visit row was locked (find_visit with lock), and keeps the
// visit's counters in `v` for the caller to write back with update_counts.

#include <soci/soci.h>

#include <string>

#include "core/access.hpp"
#include "core/audit.hpp"
#include "core/error.hpp"
#include "services/visits/visits.hpp"

namespace xiehui::visits::places_of_visit {

/// The audit row of a visits write.
void audit(soci::session& s, const Principal& who, const char* action, const char* entity,
           long long id, std::string summary, Timestamp now);

/// Staff: visits.manage. Leaders read everything (reports.read) without changing it.
bool is_staff(const Principal& p);
bool sees_all(const Principal& p);

/// Gives a pending delegate a place, or the waitlist when none is free or someone waits;
/// notifies the unit. conflict when the unit already has its quota approved. Callers end with
/// promote(): a waiter held back by its unit's quota must not keep a free place empty.
Status approve(soci::session& s, Visit& v, Delegate& d, const Principal& who, Timestamp now);
/// Ends a delegate's claim: "rejected" (with reason) or "withdrawn". An approved delegate's
/// charge is voided (a withdrawal after the cut-off leaves it owed) and the waitlist moves up.
void release(soci::session& s, Visit& v, Delegate& d, const std::string& status,
             const std::string& reason, const Principal& who, Timestamp now);
/// Moves waiting delegates up in order while places are free, skipping units at their quota.
void promote(soci::session& s, Visit& v, const Principal& who, Timestamp now);
/// A cancelled visit releases every place: charges voided, units told.
void release_all(soci::session& s, Visit& v, const Principal& who, Timestamp now);

}  // namespace xiehui::visits::places_of_visit
