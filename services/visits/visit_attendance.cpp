// Passes and check-ins of delegates: the same half-day rules as training's (services/places).

#include "core/crypto.hpp"
#include "services/places/place_rules.hpp"
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
Error no_such_delegate() { return not_found_error({"考察团员", "delegate"}); }

const Text kVisitDays{"考察日期", "the visit's days"};

}  // namespace

Result<Delegate> VisitService::pass_of(long long delegate_id, const Principal& who) {
  auto d = get_delegate(delegate_id, who);
  if (!d) return d;
  if (d->status != "approved" && d->status != "waitlisted") {
    return std::unexpected(make_error(
        ErrorCode::conflict, {d->name + " 没有名额，无需通行证", d->name + " holds no place"}));
  }
  return d;
}

Result<VisitPass> VisitService::public_pass(const std::string& token) {
  if (!is_token(token)) return std::unexpected(no_such_delegate());
  return db_.with_session([&](soci::session& s) -> Result<VisitPass> {
    auto d = vr::find_delegate_by_token(s, token);
    if (!d || (d->status != "approved" && d->status != "waitlisted")) {
      return std::unexpected(no_such_delegate());
    }
    auto v = vr::find_visit(s, d->visit_id, false);
    if (!v || v->status == "cancelled") return std::unexpected(no_such_delegate());
    return VisitPass{*d, *v};
  });
}

Result<Delegate> VisitService::delegate_by_token(long long visit_id, const std::string& token) {
  if (!is_token(token)) return std::unexpected(no_such_delegate());
  return db_.with_session([&](soci::session& s) -> Result<Delegate> {
    auto d = vr::find_delegate_by_token(s, token);
    if (!d || d->visit_id != visit_id) return std::unexpected(no_such_delegate());
    return *d;
  });
}

Result<bool> VisitService::check_in(long long visit_id, std::optional<long long> delegate_id,
                                    const std::string& token, std::optional<places::Slot> slot,
                                    const std::optional<std::string>& override_reason,
                                    const Principal& actor) {
  const Timestamp now = clock_.now();
  const places::Slot when = slot.value_or(places::slot_at(now));
  if (!delegate_id && !is_token(token)) return std::unexpected(no_such_delegate());
  auto r = db_.with_transaction([&](soci::session& s) -> Result<bool> {
    auto v = vr::find_visit(s, visit_id, false);
    if (!v) return std::unexpected(no_such_visit());
    auto d =
        delegate_id ? vr::find_delegate(s, *delegate_id) : vr::find_delegate_by_token(s, token);
    if (!d || d->visit_id != visit_id) return std::unexpected(no_such_delegate());
    if (d->status != "approved") {
      return std::unexpected(make_error(
          ErrorCode::conflict, {d->name + " 不是已录取的团员", d->name + " is not approved"}));
    }
    if (auto refusal =
            places::check_in_refusal(v->starts_on, v->ends_on, when, override_reason, kVisitDays)) {
      return std::unexpected(*refusal);
    }
    const bool added =
        vr::insert_check_in(s, {d->id, when.first, when.second}, actor_id(actor), now);
    if (added) {
      std::string summary = when.first + " " + when.second + " " + d->name;
      if (override_reason) summary += "; override: " + *override_reason;
      audit(s, actor, "delegate.check_in", "visit_delegate", d->id, std::move(summary), now);
    }
    return added;
  });
  // Two scans of one pass at the same moment: the unique index keeps one; the other is "in".
  if (!r && r.error().code == ErrorCode::already_exists) return false;
  return r;
}

Status VisitService::undo_check_in(long long delegate_id, const places::Slot& slot,
                                   const Principal& actor) {
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Status {
    auto d = vr::find_delegate(s, delegate_id);
    if (!d || !vr::delete_check_in(s, {delegate_id, slot.first, slot.second})) {
      return std::unexpected(not_found_error({"签到记录", "check-in"}));
    }
    audit(s, actor, "delegate.check_in_undo", "visit_delegate", delegate_id,
          slot.first + " " + slot.second + " " + d->name, now);
    return {};
  });
}

Result<VisitAttendance> VisitService::attendance(long long visit_id, const Principal& who) {
  if (!sees_all(who)) return std::unexpected(no_such_visit());
  return db_.with_session([&](soci::session& s) -> Result<VisitAttendance> {
    auto v = vr::find_visit(s, visit_id, false);
    if (!v) return std::unexpected(no_such_visit());
    VisitAttendance out;
    out.slots = places::attendance_slots(v->starts_on, v->ends_on);
    const auto ins = vr::check_ins(s, visit_id);
    for (Delegate& d : vr::list_delegates(s, visit_id, std::nullopt, "approved")) {
      VisitAttendance::Row row{std::move(d), std::vector<bool>(out.slots.size(), false), 0};
      for (const auto& c : ins) {
        if (c.delegate_id != row.delegate.id) continue;
        for (std::size_t i = 0; i < out.slots.size(); ++i) {
          if (out.slots[i].first == c.day && out.slots[i].second == c.half) {
            row.present[i] = true;
            ++row.attended;
          }
        }
      }
      out.rows.push_back(std::move(row));
    }
    return out;
  });
}

}  // namespace xiehui::visits
