#include "services/visits/match_rules.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "core/time.hpp"

namespace xiehui::visits {
namespace {

using Days = std::chrono::sys_days;

std::vector<std::pair<Days, Days>> merged(const std::vector<Period>& ps) {
  std::vector<std::pair<Days, Days>> v;
  for (const Period& p : ps) v.emplace_back(Days{p.from}, Days{p.to});
  std::ranges::sort(v);
  std::vector<std::pair<Days, Days>> out;
  for (const auto& [from, to] : v) {
    if (!out.empty() && from <= out.back().second + std::chrono::days(1)) {
      out.back().second = std::max(out.back().second, to);
    } else {
      out.emplace_back(from, to);
    }
  }
  return out;
}

std::vector<std::pair<Days, Days>> intersections(const std::vector<Period>& a,
                                                 const std::vector<Period>& b) {
  std::vector<std::pair<Days, Days>> out;
  for (const auto& [af, at] : merged(a)) {
    for (const auto& [bf, bt] : merged(b)) {
      const Days from = std::max(af, bf), to = std::min(at, bt);
      if (from <= to) out.emplace_back(from, to);
    }
  }
  std::ranges::sort(out);
  return out;
}

std::string join(const std::vector<std::string>& v, const std::string& sep) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

bool better(const Match& a, const Match& b) {
  if (a.score != b.score) return a.score > b.score;
  if (a.overlap_days != b.overlap_days) return a.overlap_days > b.overlap_days;
  return a.offer_id != b.offer_id ? a.offer_id < b.offer_id : a.interest_id < b.interest_id;
}

}  // namespace

int overlap_days(const std::vector<Period>& a, const std::vector<Period>& b) {
  int total = 0;
  for (const auto& [from, to] : intersections(a, b)) {
    total += static_cast<int>((to - from).count()) + 1;
  }
  return total;
}

std::optional<Period> first_overlap(const std::vector<Period>& a, const std::vector<Period>& b) {
  const auto all = intersections(a, b);
  if (all.empty()) return std::nullopt;
  return Period{Date(all.front().first), Date(all.front().second)};
}

std::optional<Match> match(const Interest& interest, const HostOffer& offer) {
  if (interest.member_id == offer.member_id || interest.topics.empty()) return std::nullopt;
  Match m;
  m.offer_id = offer.id;
  m.interest_id = interest.id;
  m.host_member_id = offer.member_id;
  m.guest_member_id = interest.member_id;
  for (const auto& t : interest.topics) {
    if (std::ranges::find(offer.topics, t) != offer.topics.end()) m.common_topics.push_back(t);
  }
  if (m.common_topics.empty()) return std::nullopt;
  const bool periods_known = !interest.preferred.empty() && !offer.available.empty();
  m.overlap_days = periods_known ? overlap_days(interest.preferred, offer.available) : 0;
  m.group_fits = !interest.group_size || *interest.group_size <= offer.group_size;
  const int topic_points = static_cast<int>(
      (60 * m.common_topics.size() + interest.topics.size() / 2) / interest.topics.size());
  const int time_points = periods_known ? 30 * std::min(m.overlap_days, 14) / 14 : 15;
  m.score = topic_points + time_points + (m.group_fits ? 10 : 0);
  m.reason = "共同主题：" + join(m.common_topics, "、") + "；";
  if (!periods_known) {
    m.reason += "时间待商定";
  } else if (m.overlap_days > 0) {
    m.reason += "时间重叠 " + std::to_string(m.overlap_days) + " 天";
  } else {
    m.reason += "时间不重叠";
  }
  m.reason += "；可接待 " + std::to_string(offer.group_size) + " 人";
  if (!m.group_fits) m.reason += "（少于计划的 " + std::to_string(*interest.group_size) + " 人）";
  return m;
}

std::vector<Match> rank_offers(const std::vector<Interest>& interests,
                               const std::vector<HostOffer>& offers) {
  std::vector<Match> out;
  for (const HostOffer& o : offers) {
    std::optional<Match> best;
    for (const Interest& i : interests) {
      auto m = match(i, o);
      if (m && (!best || better(*m, *best))) best = std::move(m);
    }
    if (best) out.push_back(std::move(*best));
  }
  std::ranges::sort(out, better);
  return out;
}

std::vector<Match> rank_interests(const HostOffer& offer, const std::vector<Interest>& interests) {
  std::map<long long, Match> best_of_unit;
  for (const Interest& i : interests) {
    auto m = match(i, offer);
    if (!m) continue;
    auto it = best_of_unit.find(i.member_id);
    if (it == best_of_unit.end() || better(*m, it->second)) best_of_unit[i.member_id] = *m;
  }
  std::vector<Match> out;
  for (auto& [unit, m] : best_of_unit) out.push_back(std::move(m));
  std::ranges::sort(out, better);
  return out;
}

std::vector<FieldError> check_periods(std::vector<Period>& periods, const std::string& field,
                                      bool optional) {
  std::vector<FieldError> errors;
  if ((!optional && periods.empty()) || periods.size() > 10) {
    errors.push_back({field,
                      {optional ? "时间段最多 10 个" : "请给出 1–10 个时间段",
                       optional ? "at most 10 periods" : "give 1–10 periods"}});
    return errors;
  }
  for (std::size_t i = 0; i < periods.size(); ++i) {
    const Period& p = periods[i];
    const std::string f = field + "[" + std::to_string(i) + "].to";
    if (Days{p.to} < Days{p.from}) {
      errors.push_back({f, {"结束日期不能早于开始日期", "must not be before from"}});
    } else if (Days{p.to} - Days{p.from} > std::chrono::days(365)) {
      errors.push_back({f, {"每个时间段最长 366 天", "at most 366 days per period"}});
    }
  }
  std::ranges::sort(periods,
                    [](const Period& a, const Period& b) { return Days{a.from} < Days{b.from}; });
  return errors;
}

std::vector<FieldError> check_topics(std::vector<std::string>& topics,
                                     const std::vector<std::string>& active) {
  std::vector<FieldError> errors;
  if (topics.empty() || topics.size() > 10) {
    errors.push_back({"topics", {"请选择 1–10 个主题", "choose 1–10 topics"}});
    return errors;
  }
  std::set<std::string> seen;
  for (const auto& t : topics) {
    if (std::ranges::find(active, t) == active.end()) {
      errors.push_back(
          {"topics",
           {"主题「" + t + "」不在主题列表中", "\"" + t + "\" is not on the topic list"}});
      return errors;
    }
    if (!seen.insert(t).second) {
      errors.push_back({"topics", {"主题「" + t + "」重复", "\"" + t + "\" is given twice"}});
      return errors;
    }
  }
  return errors;
}

}  // namespace xiehui::visits
