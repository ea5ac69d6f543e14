#include "services/visits/rooming_rules.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace xiehui::visits {
namespace {

// Pairs one gender's sharers: within each unit first, then the leftovers across units.
void pair_gender(const std::vector<const Delegate*>& people, std::vector<Room>& out) {
  std::vector<long long> unit_order;
  std::map<long long, std::vector<const Delegate*>> by_unit;
  for (const Delegate* d : people) {
    if (!by_unit.contains(d->member_id)) unit_order.push_back(d->member_id);
    by_unit[d->member_id].push_back(d);
  }
  std::vector<const Delegate*> leftovers;
  for (long long unit : unit_order) {
    const auto& group = by_unit[unit];
    std::size_t i = 0;
    for (; i + 1 < group.size(); i += 2) out.push_back({{group[i]->id, group[i + 1]->id}});
    if (i < group.size()) leftovers.push_back(group[i]);
  }
  std::size_t i = 0;
  for (; i + 1 < leftovers.size(); i += 2) {
    out.push_back({{leftovers[i]->id, leftovers[i + 1]->id}});
  }
  if (i < leftovers.size()) out.push_back({{leftovers[i]->id}});
}

}  // namespace

std::vector<Room> pair_rooms(const std::vector<Delegate>& delegates) {
  std::vector<const Delegate*> men, women, singles;
  for (const Delegate& d : delegates) {
    if (!d.shares_room) {
      singles.push_back(&d);
    } else {
      (d.gender == "f" ? women : men).push_back(&d);
    }
  }
  std::vector<Room> rooms;
  pair_gender(men, rooms);
  pair_gender(women, rooms);
  for (const Delegate* d : singles) rooms.push_back({{d->id}});
  return rooms;
}

std::vector<FieldError> check_rooming(const std::vector<Room>& rooms,
                                      const std::vector<Delegate>& approved) {
  std::map<long long, const Delegate*> known;
  for (const Delegate& d : approved) known[d.id] = &d;
  std::vector<FieldError> errors;
  std::set<long long> seen;
  for (std::size_t i = 0; i < rooms.size(); ++i) {
    const std::string field = "rooms[" + std::to_string(i) + "]";
    const auto& ids = rooms[i].delegates;
    if (ids.empty() || ids.size() > 2) {
      errors.push_back({field, {"每间房住 1–2 人", "one or two people per room"}});
      continue;
    }
    bool ok = true;
    for (long long id : ids) {
      if (!known.contains(id)) {
        errors.push_back({field,
                          {"团员 #" + std::to_string(id) + " 不是本次考察已录取的团员",
                           "delegate #" + std::to_string(id) + " is not approved for this visit"}});
        ok = false;
      } else if (!seen.insert(id).second) {
        errors.push_back(
            {field, {known[id]->name + " 被安排了两次", known[id]->name + " appears twice"}});
        ok = false;
      }
    }
    if (ok && ids.size() == 2 && known[ids[0]]->gender != known[ids[1]]->gender) {
      errors.push_back({field, {"男女不能同住一间", "a man and a woman cannot share a room"}});
    }
  }
  return errors;
}

std::vector<Room> complete_rooming(const std::vector<Room>& saved,
                                   const std::vector<Delegate>& approved) {
  std::set<long long> ids;
  for (const Delegate& d : approved) ids.insert(d.id);
  std::vector<Room> out;
  std::set<long long> placed;
  for (const Room& r : saved) {
    Room kept;
    for (long long id : r.delegates) {
      if (ids.contains(id) && placed.insert(id).second) kept.delegates.push_back(id);
    }
    if (!kept.delegates.empty()) out.push_back(std::move(kept));
  }
  std::vector<Delegate> rest;
  for (const Delegate& d : approved) {
    if (!placed.contains(d.id)) rest.push_back(d);
  }
  for (Room& r : pair_rooms(rest)) out.push_back(std::move(r));
  return out;
}

}  // namespace xiehui::visits
