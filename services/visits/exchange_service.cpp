#include "services/visits/exchange_service.hpp"

#include <algorithm>

#include "services/accounts/account_rules.hpp"
#include "services/membership/membership_repository.hpp"
#include "services/visits/offer_repository.hpp"
#include "services/visits/visit_places.hpp"
#include "services/visits/visit_rules.hpp"

namespace xiehui::visits {
namespace {

namespace orp = offer_repository;
using places_of_visit::audit;
using places_of_visit::is_staff;
using places_of_visit::sees_all;

Error no_such_offer() { return not_found_error({"接待意向", "host offer"}); }
Error no_such_interest() { return not_found_error({"考察意向", "interest"}); }

bool own_or_staff(const Principal& who, long long member_id) {
  return is_staff(who) || (who.member_id && *who.member_id == member_id);
}

Error not_own_unit() {
  return make_error(ErrorCode::permission_denied,
                    {"会员单位只能为本单位登记", "a member speaks only for its own unit"});
}

std::vector<std::string> active_topic_names(soci::session& s) {
  std::vector<std::string> names;
  for (const Topic& t : orp::list_topics(s)) {
    if (t.active) names.push_back(t.name);
  }
  return names;
}

// Topics checked against the active list, except those the record already had (a retired topic
// stays on an old offer).
std::vector<FieldError> check_record_topics(soci::session& s, std::vector<std::string>& topics,
                                            const std::vector<std::string>& had) {
  auto allowed = active_topic_names(s);
  allowed.insert(allowed.end(), had.begin(), had.end());
  return check_topics(topics, allowed);
}

Status check_unit(soci::session& s, long long member_id) {
  if (!membership::membership_repository::find_member(s, member_id)) {
    return std::unexpected(not_found_error({"会员单位", "member unit"}));
  }
  return {};
}

}  // namespace

Result<std::vector<Topic>> ExchangeService::topics() {
  return db_.with_session(
      [&](soci::session& s) -> Result<std::vector<Topic>> { return orp::list_topics(s); });
}

Result<Topic> ExchangeService::add_topic(std::string name, const Principal& actor) {
  std::vector<FieldError> errors;
  accounts::check_length(errors, name, "name", 1, 20);
  if (!errors.empty()) return std::unexpected(invalid_fields(std::move(errors)));
  const Timestamp now = clock_.now();
  auto r = db_.with_transaction([&](soci::session& s) -> Result<Topic> {
    const long long id = orp::insert_topic(s, name, now);
    audit(s, actor, "topic.create", "visit_topic", id, name, now);
    return Topic{id, name, true};
  });
  if (!r && r.error().code == ErrorCode::already_exists) {
    Error e = make_error(ErrorCode::already_exists,
                         {"主题「" + name + "」已存在", "the topic \"" + name + "\" exists"});
    e.fields.push_back({"name", e.message});
    return std::unexpected(std::move(e));
  }
  return r;
}

Result<Topic> ExchangeService::set_topic_active(long long id, bool active, const Principal& actor) {
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<Topic> {
    auto t = orp::find_topic(s, id);
    if (!t) return std::unexpected(not_found_error({"主题", "topic"}));
    orp::set_topic_active(s, id, active);
    audit(s, actor, "topic.update", "visit_topic", id, t->name + (active ? " active" : " retired"),
          now);
    t->active = active;
    return *t;
  });
}

Result<std::vector<HostOffer>> ExchangeService::offers(std::optional<long long> member_id,
                                                       bool active_only) {
  return db_.with_session([&](soci::session& s) -> Result<std::vector<HostOffer>> {
    return orp::list_offers(s, member_id, active_only);
  });
}

namespace {

// Staff's and members' offers go through one check: periods, size, note, then the topics against
// the active list (topics the record already had may stay though retired since).
std::vector<FieldError> check_offer(soci::session& s, HostOffer& o,
                                    const std::vector<std::string>& had) {
  std::vector<FieldError> errors = check_periods(o.available, "available", false);
  if (o.group_size < 1 || o.group_size > 500) {
    errors.push_back({"group_size", {"接待人数应为 1–500", "must be 1–500"}});
  }
  accounts::check_length(errors, o.note, "note", 0, 500);
  auto more = check_record_topics(s, o.topics, had);
  errors.insert(errors.end(), more.begin(), more.end());
  return errors;
}

std::vector<FieldError> check_interest(soci::session& s, Interest& i,
                                       const std::vector<std::string>& had) {
  std::vector<FieldError> errors = check_periods(i.preferred, "preferred", true);
  if (i.group_size && (*i.group_size < 1 || *i.group_size > 500)) {
    errors.push_back({"group_size", {"人数应为 1–500", "must be 1–500"}});
  }
  accounts::check_length(errors, i.note, "note", 0, 500);
  auto more = check_record_topics(s, i.topics, had);
  errors.insert(errors.end(), more.begin(), more.end());
  return errors;
}

}  // namespace

Result<HostOffer> ExchangeService::create_offer(HostOffer in, const Principal& who) {
  if (!own_or_staff(who, in.member_id)) return std::unexpected(not_own_unit());
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<HostOffer> {
    HostOffer o = in;  // a retried transaction starts again from the request
    if (auto st = check_unit(s, o.member_id); !st) return std::unexpected(st.error());
    if (auto errors = check_offer(s, o, {}); !errors.empty()) {
      return std::unexpected(invalid_fields(std::move(errors)));
    }
    o.id = orp::insert_offer(s, o, now);
    audit(s, who, "host_offer.create", "host_offer", o.id,
          "member " + std::to_string(o.member_id) + " group " + std::to_string(o.group_size), now);
    return *orp::find_offer(s, o.id);
  });
}

Result<HostOffer> ExchangeService::update_offer(long long id, const OfferPatch& p,
                                                const Principal& who) {
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<HostOffer> {
    auto old = orp::find_offer(s, id);
    if (!old || !own_or_staff(who, old->member_id)) return std::unexpected(no_such_offer());
    HostOffer o = *old;
    if (p.topics) o.topics = *p.topics;
    if (p.available) o.available = *p.available;
    if (p.group_size) o.group_size = *p.group_size;
    if (p.note) o.note = *p.note;
    if (p.active) o.active = *p.active;
    if (auto errors = check_offer(s, o, old->topics); !errors.empty()) {
      return std::unexpected(invalid_fields(std::move(errors)));
    }
    orp::update_offer(s, o, now);
    audit(s, who, "host_offer.update", "host_offer", id,
          "member " + std::to_string(o.member_id) + (o.active ? " active" : " inactive"), now);
    return *orp::find_offer(s, id);
  });
}

Status ExchangeService::delete_offer(long long id, const Principal& who) {
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Status {
    auto o = orp::find_offer(s, id);
    if (!o || !own_or_staff(who, o->member_id)) return std::unexpected(no_such_offer());
    orp::delete_offer(s, id);
    audit(s, who, "host_offer.delete", "host_offer", id, "member " + std::to_string(o->member_id),
          now);
    return {};
  });
}

Result<std::vector<Interest>> ExchangeService::interests(std::optional<long long> member_id,
                                                         const Principal& who) {
  if (!sees_all(who)) {
    if (!who.member_id) return std::vector<Interest>{};
    if (member_id && *member_id != *who.member_id) return std::vector<Interest>{};
    member_id = who.member_id;
  }
  return db_.with_session([&](soci::session& s) -> Result<std::vector<Interest>> {
    return orp::list_interests(s, member_id, false);
  });
}

Result<Interest> ExchangeService::create_interest(Interest in, const Principal& who) {
  if (!own_or_staff(who, in.member_id)) return std::unexpected(not_own_unit());
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<Interest> {
    Interest i = in;  // a retried transaction starts again from the request
    if (auto st = check_unit(s, i.member_id); !st) return std::unexpected(st.error());
    if (auto errors = check_interest(s, i, {}); !errors.empty()) {
      return std::unexpected(invalid_fields(std::move(errors)));
    }
    i.id = orp::insert_interest(s, i, now);
    audit(s, who, "visit_interest.create", "visit_interest", i.id,
          "member " + std::to_string(i.member_id), now);
    return *orp::find_interest(s, i.id);
  });
}

Result<Interest> ExchangeService::update_interest(long long id, const InterestPatch& p,
                                                  const Principal& who) {
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<Interest> {
    auto old = orp::find_interest(s, id);
    if (!old || !own_or_staff(who, old->member_id)) return std::unexpected(no_such_interest());
    Interest i = *old;
    if (p.topics) i.topics = *p.topics;
    if (p.preferred) i.preferred = *p.preferred;
    if (p.group_size) i.group_size = *p.group_size;
    if (p.note) i.note = *p.note;
    if (p.active) i.active = *p.active;
    if (auto errors = check_interest(s, i, old->topics); !errors.empty()) {
      return std::unexpected(invalid_fields(std::move(errors)));
    }
    orp::update_interest(s, i, now);
    audit(s, who, "visit_interest.update", "visit_interest", id,
          "member " + std::to_string(i.member_id) + (i.active ? " active" : " inactive"), now);
    return *orp::find_interest(s, id);
  });
}

Status ExchangeService::delete_interest(long long id, const Principal& who) {
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Status {
    auto i = orp::find_interest(s, id);
    if (!i || !own_or_staff(who, i->member_id)) return std::unexpected(no_such_interest());
    orp::delete_interest(s, id);
    audit(s, who, "visit_interest.delete", "visit_interest", id,
          "member " + std::to_string(i->member_id), now);
    return {};
  });
}

Result<std::vector<MatchView>> ExchangeService::matches_for_unit(long long member_id,
                                                                 const Principal& who) {
  if (!sees_all(who) && (!who.member_id || *who.member_id != member_id)) {
    return std::unexpected(not_found_error({"会员单位", "member unit"}));
  }
  return db_.with_session([&](soci::session& s) -> Result<std::vector<MatchView>> {
    const auto offers = orp::list_offers(s, std::nullopt, true);
    const auto mine = orp::list_interests(s, member_id, true);
    std::vector<MatchView> out;
    for (Match& m : rank_offers(mine, offers)) {
      auto host = std::ranges::find(offers, m.offer_id, &HostOffer::id);
      out.push_back({std::move(m), host->member_name, mine.front().member_name});
    }
    return out;
  });
}

Result<std::vector<MatchView>> ExchangeService::matches_for_offer(long long offer_id,
                                                                  const Principal& who) {
  return db_.with_session([&](soci::session& s) -> Result<std::vector<MatchView>> {
    auto offer = orp::find_offer(s, offer_id);
    if (!offer || !(sees_all(who) || (who.member_id && *who.member_id == offer->member_id))) {
      return std::unexpected(no_such_offer());
    }
    const auto all = orp::list_interests(s, std::nullopt, true);
    std::vector<MatchView> out;
    for (Match& m : rank_interests(*offer, all)) {
      auto guest = std::ranges::find(all, m.interest_id, &Interest::id);
      out.push_back({std::move(m), offer->member_name, guest->member_name});
    }
    return out;
  });
}

Result<Visit> ExchangeService::visit_from_match(long long offer_id,
                                                std::optional<long long> interest_id,
                                                const Principal& actor) {
  auto draft = db_.with_session([&](soci::session& s) -> Result<Visit> {
    auto offer = orp::find_offer(s, offer_id);
    if (!offer) return std::unexpected(no_such_offer());
    std::optional<Interest> interest;
    if (interest_id) {
      interest = orp::find_interest(s, *interest_id);
      if (!interest) return std::unexpected(no_such_interest());
    }
    auto m = interest ? match(*interest, *offer) : std::nullopt;
    Visit v;
    v.offer_id = offer_id;
    v.title = "赴" + offer->member_name + "考察交流";
    v.destination = offer->member_name;
    v.hosts = {{offer->member_id, offer->member_name}};
    const auto& topics = m ? m->common_topics : offer->topics;
    for (const auto& t : topics) {
      // The theme holds 200 characters: as many common topics as fit.
      if (accounts::utf8_length(v.theme) + accounts::utf8_length(t) + 1 > 200) break;
      if (!v.theme.empty()) v.theme += "、";
      v.theme += t;
    }
    auto overlap = interest ? first_overlap(interest->preferred, offer->available) : std::nullopt;
    const Period span = overlap.value_or(
        offer->available.empty() ? Period{shanghai_date(clock_.now()), shanghai_date(clock_.now())}
                                 : offer->available.front());
    v.starts_on = span.from;
    const auto last = std::min(std::chrono::sys_days{span.to},
                               std::chrono::sys_days{span.from} + std::chrono::days(2));
    v.ends_on = Date(last);
    v.capacity = std::min(offer->group_size, 1000);
    v.apply_deadline = std::chrono::sys_days{v.starts_on} - std::chrono::days(7) - kShanghaiOffset +
                       std::chrono::hours(24) - std::chrono::seconds(1);
    v.withdraw_cutoff = default_withdraw_cutoff(v.starts_on);
    if (interest) {
      v.description = interest->member_name + " 有意考察：" + (m ? m->reason : std::string());
    }
    return v;
  });
  if (!draft) return std::unexpected(draft.error());
  // create_visit audits it (visit.create); the visit keeps offer_id, so the match stays known.
  return visits_.create_visit(std::move(*draft), actor);
}

}  // namespace xiehui::visits
