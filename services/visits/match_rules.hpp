#pragma once
// Matching host offers with interests: which zones could show which others what they want to
// learn, when both have time. Pure: a score 0–100 with the reason in words.

#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "services/visits/visits.hpp"

namespace xiehui::visits {

/// One offer matched with one interest.
struct Match {
  long long offer_id = 0;
  long long interest_id = 0;
  long long host_member_id = 0;
  long long guest_member_id = 0;
  int score = 0;  ///< topics 60 + time 30 + group size 10
  std::vector<std::string> common_topics;
  int overlap_days = 0;
  bool group_fits = true;
  std::string reason;  ///< "共同主题：新能源汽车、电子信息；时间重叠 12 天；可接待 30 人"
};

/// Days both sets of periods cover (each set merged first, so overlapping periods count once).
int overlap_days(const std::vector<Period>& a, const std::vector<Period>& b);
/// The first stretch of days both cover, or nullopt.
std::optional<Period> first_overlap(const std::vector<Period>& a, const std::vector<Period>& b);

/// The match of an interest with an offer, or nullopt without a common topic or between a unit
/// and itself. Topics give 60 × the share of the interest's topics the host offers; time 30 at
/// 14 or more common days (15 when either side gave no period), group size 10 when the host
/// takes the group (or the group size is unknown).
std::optional<Match> match(const Interest& interest, const HostOffer& offer);

/// The offers matching any of a unit's interests, each once with its best interest, best first
/// (score, then overlap, then offer id).
std::vector<Match> rank_offers(const std::vector<Interest>& interests,
                               const std::vector<HostOffer>& offers);
/// The interests of other units matching one offer, each unit once, best first.
std::vector<Match> rank_interests(const HostOffer& offer, const std::vector<Interest>& interests);

/// Names bad periods ("available[1].to"): from ≤ to, at most 366 days each, 1–10 of them
/// (0 allowed when `optional`). Sorts them by start.
std::vector<FieldError> check_periods(std::vector<Period>& periods, const std::string& field,
                                      bool optional);
/// Names bad topics: 1–10, each on the active list, none twice.
std::vector<FieldError> check_topics(std::vector<std::string>& topics,
                                     const std::vector<std::string>& active);

}  // namespace xiehui::visits
