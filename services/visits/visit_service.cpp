// Visits themselves: creating, changing (status, capacity, programme), listing and reading.

#include "services/visits/visit_service.hpp"

#include "services/membership/membership_repository.hpp"
#include "services/visits/visit_places.hpp"
#include "services/visits/visit_rules.hpp"

namespace xiehui::visits {
namespace {

namespace vr = visit_repository;
using places_of_visit::audit;
using places_of_visit::is_staff;

Error no_such_visit() { return not_found_error({"考察活动", "visit"}); }

Error final_visit() {
  return make_error(ErrorCode::conflict,
                    {"已结束或已取消的考察不能再修改", "a completed or cancelled visit is final"});
}

// Member hosts carry the unit's current name; an unknown unit is a field error.
std::vector<FieldError> resolve_hosts(soci::session& s, std::vector<Host>& hosts) {
  std::vector<FieldError> errors;
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    if (!hosts[i].member_id) continue;
    auto unit = membership::membership_repository::find_member(s, *hosts[i].member_id);
    if (!unit) {
      errors.push_back({"hosts[" + std::to_string(i) + "].member_id",
                        {"没有这个会员单位", "no such member unit"}});
    } else {
      hosts[i].name = unit->org.name;
    }
  }
  return errors;
}

void apply_patch(Visit& v, const VisitPatch& p) {
  if (p.title) v.title = *p.title;
  if (p.theme) v.theme = *p.theme;
  if (p.destination) v.destination = *p.destination;
  if (p.description) v.description = *p.description;
  if (p.cost_covers) v.cost_covers = *p.cost_covers;
  if (p.hosts) v.hosts = *p.hosts;
  if (p.starts_on && !p.withdraw_cutoff &&
      v.withdraw_cutoff == default_withdraw_cutoff(v.starts_on)) {
    // The cut-off was the default one: it moves with the visit.
    v.withdraw_cutoff = default_withdraw_cutoff(*p.starts_on);
  }
  if (p.starts_on) v.starts_on = *p.starts_on;
  if (p.ends_on) v.ends_on = *p.ends_on;
  if (p.withdraw_cutoff) v.withdraw_cutoff = *p.withdraw_cutoff;
  if (p.apply_deadline) v.apply_deadline = *p.apply_deadline;
  if (p.capacity) v.capacity = *p.capacity;
  if (p.per_member_quota) v.per_member_quota = *p.per_member_quota;
  if (p.cost_fen) v.cost_fen = *p.cost_fen;
  if (p.itinerary) v.itinerary = *p.itinerary;
}

}  // namespace

Result<Visit> VisitService::create_visit(Visit v, const Principal& actor) {
  std::vector<FieldError> errors = check_visit(v);
  if (v.status != "draft" && v.status != "open") {
    errors.push_back({"status", {"新考察状态应为 draft 或 open", "draft or open"}});
  }
  if (!errors.empty()) return std::unexpected(invalid_fields(std::move(errors)));
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<Visit> {
    if (auto bad = resolve_hosts(s, v.hosts); !bad.empty()) {
      return std::unexpected(invalid_fields(std::move(bad)));
    }
    v.id = vr::insert_visit(s, v, actor_id(actor), now);
    audit(s, actor, "visit.create", "visit", v.id,
          v.title + " " + format_date(v.starts_on) + " capacity=" + std::to_string(v.capacity),
          now);
    return *vr::find_visit(s, v.id, false);
  });
}

Result<Visit> VisitService::update_visit(long long id, const VisitPatch& p,
                                         const Principal& actor) {
  if (p.status && !is_visit_status(*p.status)) {
    return std::unexpected(invalid_fields(
        {{"status",
          {"状态应为 draft、open、closed、confirmed、completed 或 cancelled", "unknown status"}}}));
  }
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<Visit> {
    auto found = vr::find_visit(s, id, true);
    if (!found) return std::unexpected(no_such_visit());
    if (found->status == "completed" || found->status == "cancelled") {
      return std::unexpected(final_visit());
    }
    Visit v = *found;
    apply_patch(v, p);
    std::vector<FieldError> errors = check_visit(v);
    if (p.hosts) {
      auto bad = resolve_hosts(s, v.hosts);
      errors.insert(errors.end(), bad.begin(), bad.end());
    }
    if (!errors.empty()) return std::unexpected(invalid_fields(std::move(errors)));
    if (p.status && *p.status != v.status) {
      if (!visit_status_change_allowed(v.status, *p.status)) {
        return std::unexpected(
            make_error(ErrorCode::conflict,
                       {"考察状态不能从 " + v.status + " 改为 " + *p.status,
                        "the status cannot change from " + v.status + " to " + *p.status}));
      }
      v.status = *p.status;
    }
    if (auto refusal = places::capacity_refusal(seats_of(v), {"已录取", "approved"})) {
      return std::unexpected(*refusal);
    }
    if (v.per_member_quota && *v.per_member_quota < vr::max_approved_of_a_unit(s, id)) {
      Error e = make_error(ErrorCode::conflict, {"已有单位录取人数超过新的每单位限额",
                                                 "a unit already has more "
                                                 "approved than the new quota"});
      e.fields.push_back({"per_member_quota", e.message});
      return std::unexpected(std::move(e));
    }
    if (v.status == "cancelled") {
      places_of_visit::release_all(s, v, actor, now);
    } else if (decisions_allowed(v.status)) {
      places_of_visit::promote(s, v, actor, now);
    }
    vr::update_visit(s, v, now);
    audit(s, actor, "visit.update", "visit", id,
          "capacity " + std::to_string(found->capacity) + " -> " + std::to_string(v.capacity) +
              ", status " + found->status + " -> " + v.status,
          now);
    return *vr::find_visit(s, id, false);
  });
}

Result<std::vector<VisitView>> VisitService::list_visits(const std::string& status, bool upcoming,
                                                         const Principal& who) {
  if (!status.empty() && !is_visit_status(status)) {
    return std::unexpected(invalid_fields({{"status", {"未知的状态", "unknown status"}}}));
  }
  const bool staff = is_staff(who);
  if (status == "draft" && !staff) return std::vector<VisitView>{};
  const Timestamp now = clock_.now();
  return db_.with_session([&](soci::session& s) -> Result<std::vector<VisitView>> {
    auto list = vr::list_visits(s, status,
                                upcoming ? std::optional<Date>(shanghai_date(now)) : std::nullopt);
    std::map<long long, vr::UnitCounts> mine;
    if (who.member_id) mine = vr::unit_counts(s, *who.member_id);
    std::vector<VisitView> out;
    for (Visit& v : list) {
      if (v.status == "draft" && !staff) continue;
      VisitView view{std::move(v), std::nullopt};
      if (who.member_id) {
        auto it = mine.find(view.visit.id);
        view.mine = it == mine.end() ? vr::UnitCounts{} : it->second;
      }
      out.push_back(std::move(view));
    }
    return out;
  });
}

Result<VisitView> VisitService::get_visit(long long id, const Principal& who) {
  return db_.with_session([&](soci::session& s) -> Result<VisitView> {
    auto v = vr::find_visit(s, id, false);
    if (!v || (v->status == "draft" && !is_staff(who))) return std::unexpected(no_such_visit());
    VisitView view{std::move(*v), std::nullopt};
    if (who.member_id) {
      auto counts = vr::unit_counts(s, *who.member_id);
      auto it = counts.find(id);
      view.mine = it == counts.end() ? vr::UnitCounts{} : it->second;
    }
    return view;
  });
}

}  // namespace xiehui::visits
