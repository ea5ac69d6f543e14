#pragma once
// The only SQL about the visit topic list, host offers and interests.

#include <soci/soci.h>

#include <optional>
#include <string>
#include <vector>

#include "services/visits/visits.hpp"

namespace xiehui::visits::offer_repository {

/// Every topic, by pinyin of the name.
std::vector<Topic> list_topics(soci::session& s);
std::optional<Topic> find_topic(soci::session& s, long long id);
/// Throws the database's duplicate-key error for a name already listed.
long long insert_topic(soci::session& s, const std::string& name, Timestamp now);
void set_topic_active(soci::session& s, long long id, bool active);

long long insert_offer(soci::session& s, const HostOffer& o, Timestamp now);
void update_offer(soci::session& s, const HostOffer& o, Timestamp now);
void delete_offer(soci::session& s, long long id);
std::optional<HostOffer> find_offer(soci::session& s, long long id);
/// Offers, newest first; `member_id` keeps one unit's, `active_only` the active ones.
std::vector<HostOffer> list_offers(soci::session& s, std::optional<long long> member_id,
                                   bool active_only);

long long insert_interest(soci::session& s, const Interest& i, Timestamp now);
void update_interest(soci::session& s, const Interest& i, Timestamp now);
void delete_interest(soci::session& s, long long id);
std::optional<Interest> find_interest(soci::session& s, long long id);
std::vector<Interest> list_interests(soci::session& s, std::optional<long long> member_id,
                                     bool active_only);

}  // namespace xiehui::visits::offer_repository
