#pragma once
// Pure rules of exchange visits: checking a visit, its hosts and itinerary, and delegates; which
// status changes are allowed; when applications are refused; and whether a withdrawal keeps the
// charge. Where an approval goes and who moves up are the shared place rules (services/places).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "services/places/place_rules.hpp"
#include "services/visits/visits.hpp"

namespace xiehui::visits {

bool is_visit_status(std::string_view s);
/// draft → open ⇄ closed → confirmed → completed; open or closed → completed; any but completed
/// → cancelled; completed and cancelled are final.
bool visit_status_change_allowed(std::string_view from, std::string_view to);
/// Whether staff may decide places in this status (open, closed, confirmed).
bool decisions_allowed(std::string_view status);

/// Trims and names each bad field of a visit ("title", "ends_on", "itinerary[2].date", ...).
std::vector<FieldError> check_visit(Visit& v);
/// The itinerary alone: each date within the visit, sorted by date and half day (whole-day items
/// first), keeping the given order within a half day.
std::vector<FieldError> check_itinerary(std::vector<ItineraryItem>& items, Date first, Date last);
/// Trims and normalises a delegate (mobile as 11 digits); fields are prefixed with `prefix`
/// ("delegates[0].").
std::vector<FieldError> check_delegate(Delegate& d, const std::string& prefix);
/// A mobile given twice in one application: the field of the second, or nullopt.
std::optional<FieldError> duplicate_mobile(const std::vector<Delegate>& delegates);

/// The visit's places as the shared place rules see them.
places::Seats seats_of(const Visit& v);

/// Why an application is refused now (visit not open, past the deadline), or nullopt.
std::optional<Error> application_refusal(const Visit& v, Timestamp now);
/// Why `adding` more places for a unit holding `held` are refused under the quota, or nullopt.
std::optional<Error> quota_refusal(const Visit& v, int held, int adding);

/// Whether withdrawing on `today` voids the charge (on or before the cut-off) or leaves it owed.
bool withdrawal_voids_charge(const Visit& v, Date today);
/// The default cut-off: seven days before the visit starts.
Date default_withdraw_cutoff(Date starts_on);

/// Days the visit runs, both ends included.
int visit_days(const Visit& v);

/// "2026-03-05": a date; "上午"/"下午"/"全天" for a half.
std::string half_label(std::string_view half);

}  // namespace xiehui::visits
