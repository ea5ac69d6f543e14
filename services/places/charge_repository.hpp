#pragma once
// The only SQL that writes the `charges` of places: what a unit owes for a training place or a
// visit delegate, invoiced later with a 发票 (the fee ledger reads them, never a 会费收据).

#include <soci/soci.h>

#include <optional>
#include <string>

#include "core/clock.hpp"

namespace xiehui::places::charge_repository {

/// What a place owes: `source` is "training" or "visit", `source_id` the enrolment or delegate.
struct Charge {
  std::string source;
  long long source_id = 0;
  std::optional<long long> member_id;  ///< empty for a non-member organisation
  std::string payer_name;
  long long amount_fen = 0;
};

/// Records the charge as open; nothing for a free place (amount 0).
void record(soci::session& s, const Charge& c, Timestamp now);
/// Voids the place's open charge, if any (an issued 发票 stays on record: the charge is void).
void void_open(soci::session& s, const std::string& source, long long source_id, Timestamp now);
/// The status of the place's charge ("open", "void") or nullopt when none was recorded.
std::optional<std::string> status(soci::session& s, const std::string& source, long long source_id);

}  // namespace xiehui::places::charge_repository
