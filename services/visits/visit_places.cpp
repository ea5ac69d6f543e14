#include "services/visits/visit_places.hpp"

#include "core/audit.hpp"
#include "services/notifications/notification_repository.hpp"
#include "services/places/charge_repository.hpp"
#include "services/places/place_rules.hpp"
#include "services/visits/visit_repository.hpp"
#include "services/visits/visit_rules.hpp"

namespace xiehui::visits::places_of_visit {
namespace {

namespace vr = visit_repository;
namespace charges = ::xiehui::places::charge_repository;

void tell(soci::session& s, const Delegate& d, const std::string& kind, const std::string& text,
          Timestamp now, const std::string& text_en) {
  notifications::notify(s,
                        {d.member_id, std::nullopt, kind, text, "visit_delegate", d.id, text_en,
                         "/visits/" + std::to_string(d.visit_id)},
                        now);
}

// The fee is the visit's cost when the place is given (staff may have changed it since the
// application); the delegate row keeps the same figure.
void record_charge(soci::session& s, const Delegate& d, Timestamp now) {
  charges::record(s, {"visit", d.id, d.member_id, d.member_name, d.fee_fen}, now);
}

}  // namespace

void audit(soci::session& s, const Principal& who, const char* action, const char* entity,
           long long id, std::string summary, Timestamp now) {
  audit_as(s, who, action, entity, id, std::move(summary), now);
}

bool is_staff(const Principal& p) { return p.can(Permission::visits_manage); }
bool sees_all(const Principal& p) { return is_staff(p) || p.can(Permission::reports_read); }

Status approve(soci::session& s, Visit& v, Delegate& d, const Principal& who, Timestamp now) {
  const int unit_approved = vr::approved_of_unit(s, v.id, d.member_id);
  if (!::xiehui::places::within_quota(v.per_member_quota, unit_approved)) {
    Error e = make_error(
        ErrorCode::conflict,
        {"该单位已录取 " + std::to_string(unit_approved) + " 人，达到每单位限额",
         "the unit already has its quota of " + std::to_string(unit_approved) + " approved"});
    e.figures.push_back({"quota", *v.per_member_quota});
    return std::unexpected(std::move(e));
  }
  if (::xiehui::places::place(seats_of(v)) == ::xiehui::places::Placement::confirmed) {
    d.status = "approved";
    d.waitlist_seq.reset();
    d.fee_fen = v.cost_fen;
    ++v.approved;
    vr::save_decision(s, d, actor_id(who), now);
    record_charge(s, d, now);
    tell(s, d, "visit.approved", d.name + " 已录取：" + v.title, now,
         d.name + " has a place on " + v.title);
    audit(s, who, "delegate.approve", "visit_delegate", d.id,
          "visit " + std::to_string(v.id) + " " + d.name, now);
  } else {
    d.status = "waitlisted";
    d.waitlist_seq = v.next_waitlist_seq++;
    ++v.waitlisted;
    d.waitlist_position = v.waitlisted;
    vr::save_decision(s, d, actor_id(who), now);
    tell(s, d, "visit.waitlisted",
         d.name + " 进入候补（第 " + std::to_string(v.waitlisted) + " 位）：" + v.title, now,
         d.name + " is number " + std::to_string(v.waitlisted) + " on the waitlist of " + v.title);
    audit(s, who, "delegate.waitlist", "visit_delegate", d.id,
          "visit " + std::to_string(v.id) + " " + d.name + " #" + std::to_string(v.waitlisted),
          now);
  }
  return {};
}

void release(soci::session& s, Visit& v, Delegate& d, const std::string& status,
             const std::string& reason, const Principal& who, Timestamp now) {
  const std::string was = d.status;
  d.status = status;
  d.reason = reason;
  d.waitlist_seq.reset();
  vr::save_decision(s, d, actor_id(who), now);
  if (was == "approved") {
    --v.approved;
    if (status == "rejected" || withdrawal_voids_charge(v, shanghai_date(now))) {
      charges::void_open(s, "visit", d.id, now);
    }
  } else if (was == "waitlisted") {
    --v.waitlisted;
  }
  if (status == "rejected") {
    tell(s, d, "visit.rejected", d.name + " 未获录取：" + v.title + "（" + reason + "）", now,
         d.name + " was not admitted to " + v.title + " (" + reason + ")");
  }
  audit(s, who, status == "rejected" ? "delegate.reject" : "delegate.withdraw", "visit_delegate",
        d.id, "visit " + std::to_string(v.id) + " was " + was + " " + d.name, now);
  if (was == "approved") promote(s, v, who, now);
}

void promote(soci::session& s, Visit& v, const Principal& who, Timestamp now) {
  if (::xiehui::places::promotions(seats_of(v)) == 0) return;
  for (Delegate& next : vr::waitlisted(s, v.id)) {
    if (::xiehui::places::promotions(seats_of(v)) == 0) break;
    // A unit at its quota (lowered since) keeps its place in the queue; the next one moves up.
    if (!::xiehui::places::within_quota(v.per_member_quota,
                                        vr::approved_of_unit(s, v.id, next.member_id))) {
      continue;
    }
    next.status = "approved";
    next.waitlist_seq.reset();
    next.promoted_at = now;
    next.fee_fen = v.cost_fen;
    vr::save_decision(s, next, actor_id(who), now);
    --v.waitlisted;
    ++v.approved;
    record_charge(s, next, now);
    tell(s, next, "visit.promoted", next.name + " 已从候补转为正式团员：" + v.title, now,
         next.name + " moved up from the waitlist of " + v.title);
    audit(s, who, "delegate.promote", "visit_delegate", next.id,
          "visit " + std::to_string(v.id) + " " + next.name, now);
  }
}

void release_all(soci::session& s, Visit& v, const Principal& who, Timestamp now) {
  for (Delegate& d : vr::list_delegates(s, v.id, std::nullopt, "")) {
    // A late withdrawal's charge was owed for a visit that now does not happen: void it too.
    charges::void_open(s, "visit", d.id, now);
    if (d.status != "pending" && d.status != "approved" && d.status != "waitlisted") continue;
    d.status = "withdrawn";
    d.reason = "考察已取消";
    d.waitlist_seq.reset();
    vr::save_decision(s, d, actor_id(who), now);
    tell(s, d, "visit.cancelled", v.title + " 已取消，" + d.name + " 的报名随之取消", now,
         v.title + " is cancelled, and with it " + d.name + "'s place");
  }
  v.approved = 0;
  v.waitlisted = 0;
}

}  // namespace xiehui::visits::places_of_visit
