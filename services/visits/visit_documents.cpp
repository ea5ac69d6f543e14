// The delegation's documents: the 名单, the 行程, the rooming (automatic, or as staff saved it),
// and units' participation for the reports.

#include <algorithm>
#include <map>

#include "services/privacy/access_log.hpp"
#include "services/visits/visit_places.hpp"
#include "services/visits/visit_rules.hpp"
#include "services/visits/visit_service.hpp"

namespace xiehui::visits {
namespace {

namespace vr = visit_repository;
using places_of_visit::audit;
using places_of_visit::is_staff;
using places_of_visit::sees_all;

Error no_such_visit() { return not_found_error({"考察活动", "visit"}); }

std::string gender_label(const std::string& g) { return g == "f" ? "女" : "男"; }

// The rooming of the visit's approved delegates, in the shape the API answers.
Rooming build_rooming(soci::session& s, const Visit& v) {
  const auto approved = vr::list_delegates(s, v.id, std::nullopt, "approved");
  std::map<long long, const Delegate*> by_id;
  for (const Delegate& d : approved) by_id[d.id] = &d;
  const auto rooms =
      v.rooming_saved ? complete_rooming(vr::saved_rooms(s, v.id), approved) : pair_rooms(approved);
  Rooming out;
  out.saved = v.rooming_saved;
  int no = 0;
  for (const Room& r : rooms) {
    Rooming::RoomView view;
    view.no = ++no;
    for (long long id : r.delegates) view.delegates.push_back(*by_id.at(id));
    view.gender = view.delegates.front().gender;
    out.rooms.push_back(std::move(view));
  }
  return out;
}

}  // namespace

Result<std::string> VisitService::delegation_xlsx(long long visit_id, const Principal& who,
                                                  privacy::ExportFields fields) {
  const auto sight = privacy::sight_of(who, Permission::visits_manage);
  const Timestamp now = clock_.now();
  const std::string described =
      privacy::describe_fields("考察团成员姓名、职务、性别、饮食要求", fields);
  // Every export but a unit's of its own people is logged: the file leaves the system.
  const auto logged = sight == privacy::Sight::full_own ? sight : privacy::Sight::full_logged;
  auto table = privacy::read_logged(db_, logged, [&](soci::session& s) -> Result<Table> {
    auto list = delegation(s, visit_id, "", who);
    if (!list) return std::unexpected(list.error());
    Table t = delegation_table(*list, fields.mobile);
    if (logged == privacy::Sight::full_logged) {
      privacy::log_export(s, who, "visit", visit_id, "考察团名单", described, t.rows.size(), now);
    }
    return t;
  });
  if (!table) return std::unexpected(table.error());
  const Table note = privacy::export_note(who, described, sight == privacy::Sight::masked, now);
  const NamedTable sheets[] = {{"考察团名单", *table}, {"说明", note}};
  return to_xlsx(sheets);
}

Table VisitService::delegation_table(const std::vector<Delegate>& list, bool with_mobiles) {
  std::vector<Delegate> rows;
  for (const Delegate& d : list) {
    if (d.status == "approved" || d.status == "waitlisted") rows.push_back(d);
  }
  // Approved by pinyin of the unit, then the waitlist in its order.
  std::ranges::stable_sort(rows, [](const Delegate& a, const Delegate& b) {
    if (a.status != b.status) return a.status == "approved";
    if (a.status == "waitlisted") return a.waitlist_position < b.waitlist_position;
    return a.member_sort_key < b.member_sort_key;
  });
  Table t;
  t.headers = {"序号", "状态", "候补位次", "单位",     "姓名",
               "职务", "性别", "手机",     "饮食要求", "合住"};
  if (!with_mobiles) t.headers.erase(t.headers.begin() + 7);
  int n = 0;
  for (const Delegate& d : rows) {
    std::vector<std::string> row{std::to_string(++n),
                                 d.status == "approved" ? "已录取" : "候补",
                                 d.waitlist_position ? std::to_string(d.waitlist_position) : "",
                                 d.member_name,
                                 d.name,
                                 d.title,
                                 gender_label(d.gender)};
    if (with_mobiles) row.push_back(d.mobile);
    row.insert(row.end(), {d.dietary, d.shares_room ? "是" : "否"});
    t.rows.push_back(std::move(row));
  }
  return t;
}

Result<Table> VisitService::itinerary_table(long long visit_id, const Principal& who) {
  auto view = get_visit(visit_id, who);
  if (!view) return std::unexpected(view.error());
  Table t;
  t.headers = {"日期", "时段", "地点", "活动", "联系人", "交通"};
  for (const ItineraryItem& it : view->visit.itinerary) {
    t.rows.push_back(
        {it.date, half_label(it.half), it.place, it.activity, it.contact, it.transport});
  }
  return t;
}

Result<Rooming> VisitService::rooming(long long visit_id, const Principal& who) {
  if (!sees_all(who)) return std::unexpected(no_such_visit());
  return db_.with_session([&](soci::session& s) -> Result<Rooming> {
    auto v = vr::find_visit(s, visit_id, false);
    if (!v) return std::unexpected(no_such_visit());
    return build_rooming(s, *v);
  });
}

Result<Rooming> VisitService::save_rooming(long long visit_id, const std::vector<Room>& rooms,
                                           const Principal& actor) {
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<Rooming> {
    auto v = vr::find_visit(s, visit_id, true);
    if (!v) return std::unexpected(no_such_visit());
    const auto approved = vr::list_delegates(s, visit_id, std::nullopt, "approved");
    if (auto errors = check_rooming(rooms, approved); !errors.empty()) {
      return std::unexpected(invalid_fields(std::move(errors)));
    }
    vr::save_rooms(s, visit_id, rooms);
    vr::set_rooming_saved(s, visit_id, true);
    v->rooming_saved = true;
    audit(s, actor, "visit.rooming", "visit", visit_id,
          std::to_string(rooms.size()) + " rooms saved", now);
    return build_rooming(s, *v);
  });
}

Status VisitService::reset_rooming(long long visit_id, const Principal& actor) {
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Status {
    if (!vr::find_visit(s, visit_id, true)) return std::unexpected(no_such_visit());
    vr::save_rooms(s, visit_id, {});
    vr::set_rooming_saved(s, visit_id, false);
    audit(s, actor, "visit.rooming", "visit", visit_id, "back to automatic pairing", now);
    return {};
  });
}

Result<Table> VisitService::rooming_table(long long visit_id, const Principal& who) {
  auto r = rooming(visit_id, who);
  if (!r) return std::unexpected(r.error());
  Table t;
  t.headers = {"房间", "姓名", "性别", "单位", "手机"};
  for (const auto& room : r->rooms) {
    for (const Delegate& d : room.delegates) {
      t.rows.push_back(
          {std::to_string(room.no), d.name, gender_label(d.gender), d.member_name, d.mobile});
    }
  }
  return t;
}

Result<std::vector<vr::Participation>> VisitService::participation(int year, const Principal& who) {
  if (year < 2000 || year > 2100) {
    return std::unexpected(invalid_fields({{"year", {"年份应为 2000–2100", "2000–2100"}}}));
  }
  if (!sees_all(who) && !who.member_id) return std::vector<vr::Participation>{};
  return db_.with_session([&](soci::session& s) -> Result<std::vector<vr::Participation>> {
    return vr::participation(s, year, sees_all(who) ? std::nullopt : who.member_id);
  });
}

Result<Table> VisitService::participation_table(int year, const Principal& who) {
  auto list = participation(year, who);
  if (!list) return std::unexpected(list.error());
  Table t;
  t.headers = {"单位", "参加考察（次）", "参加人数", "签到（半天）"};
  for (const auto& p : *list) {
    t.rows.push_back({p.member_name, std::to_string(p.visits), std::to_string(p.delegates),
                      std::to_string(p.slots_attended)});
  }
  return t;
}

}  // namespace xiehui::visits
