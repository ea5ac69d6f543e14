#pragma once
// 请进来: the shared topic list, units' offers to host and their interests, and the matching that
// pairs them; staff turn a match into a draft visit in one step.

#include <optional>
#include <string>
#include <vector>

#include "core/access.hpp"
#include "core/clock.hpp"
#include "core/db/database.hpp"
#include "core/error.hpp"
#include "services/visits/match_rules.hpp"
#include "services/visits/visit_service.hpp"
#include "services/visits/visits.hpp"

namespace xiehui::visits {

/// Fields of an offer to change; absent ones stay.
struct OfferPatch {
  std::optional<std::vector<std::string>> topics;
  std::optional<std::vector<Period>> available;
  std::optional<int> group_size;
  std::optional<std::string> note;
  std::optional<bool> active;
};

/// Fields of an interest to change; absent ones stay.
struct InterestPatch {
  std::optional<std::vector<std::string>> topics;
  std::optional<std::vector<Period>> preferred;
  std::optional<std::optional<int>> group_size;
  std::optional<std::string> note;
  std::optional<bool> active;
};

/// A match with the names the list shows.
struct MatchView {
  Match match;
  std::string host_name;
  std::string guest_name;
};

class ExchangeService {
 public:
  ExchangeService(db::Database& db, const Clock& clock, VisitService& visits)
      : db_(db), clock_(clock), visits_(visits) {}

  Result<std::vector<Topic>> topics();
  /// A new topic (staff): 1–20 characters, unique (already_exists naming "name").
  Result<Topic> add_topic(std::string name, const Principal& actor);
  Result<Topic> set_topic_active(long long id, bool active, const Principal& actor);

  /// Offers: every signed-in caller sees them (they are meant to be found).
  Result<std::vector<HostOffer>> offers(std::optional<long long> member_id, bool active_only);
  /// A unit's new offer (a member for its own unit, staff for any).
  Result<HostOffer> create_offer(HostOffer o, const Principal& who);
  /// Changes an offer (its unit or staff; others: not_found).
  Result<HostOffer> update_offer(long long id, const OfferPatch& p, const Principal& who);
  Status delete_offer(long long id, const Principal& who);

  /// Interests: staff and leaders see all, a member its own unit's.
  Result<std::vector<Interest>> interests(std::optional<long long> member_id, const Principal& who);
  Result<Interest> create_interest(Interest i, const Principal& who);
  Result<Interest> update_interest(long long id, const InterestPatch& p, const Principal& who);
  Status delete_interest(long long id, const Principal& who);

  /// Offers of other units for a unit's interests (a member: its own unit only).
  Result<std::vector<MatchView>> matches_for_unit(long long member_id, const Principal& who);
  /// Units interested in an offer (its unit, staff and leaders).
  Result<std::vector<MatchView>> matches_for_offer(long long offer_id, const Principal& who);
  /// A draft visit to the offer's unit: theme from the common topics, dates at the first days of
  /// the overlap (else of the offer's first period), capacity the offer's group size.
  Result<Visit> visit_from_match(long long offer_id, std::optional<long long> interest_id,
                                 const Principal& actor);

 private:
  db::Database& db_;
  const Clock& clock_;
  VisitService& visits_;
};

}  // namespace xiehui::visits
