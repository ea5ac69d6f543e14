// Applications and the decisions on delegates' places. Each decision finds the visit id outside
// its transaction, then locks the visit row before any other read inside it (on MariaDB the
// first plain read fixes the snapshot), and re-reads the delegate under the lock.

#include "core/crypto.hpp"
#include "services/accounts/account_rules.hpp"
#include "services/membership/membership_repository.hpp"
#include "services/privacy/access_log.hpp"
#include "services/privacy/consent.hpp"
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
Error no_such_application() { return not_found_error({"考察申请", "application"}); }

Error mobile_taken(const std::string& field) {
  Error e = make_error(ErrorCode::conflict,
                       {"该手机号已在本次考察报名", "this mobile already holds a place"});
  e.fields.push_back({field, e.message});
  return e;
}

Error no_decisions(const Visit& v) {
  return make_error(ErrorCode::conflict,
                    {"考察状态为 " + v.status + "，不能再审核名额",
                     "places cannot be decided while the visit is " + v.status});
}

Error not_pending(const Delegate& d) {
  return make_error(ErrorCode::conflict, {d.name + " 的状态为 " + d.status + "，不能再审核",
                                          d.name + " is " + d.status + " and cannot be decided"});
}

Status check_reason(const std::string& reason) {
  std::vector<FieldError> errors;
  accounts::check_length(errors, reason, "reason", 1, 200);
  if (!errors.empty()) return std::unexpected(invalid_fields(std::move(errors)));
  return {};
}

// Which visit to lock, read before the decision's transaction: on MariaDB a transaction's first
// plain read fixes its snapshot, so inside it the visit lock must come first. With `owner`, a
// delegate of another unit is not found (staff see all).
Result<long long> visit_of_delegate(db::Database& db, long long delegate_id,
                                    const Principal* owner) {
  return db.with_session([&](soci::session& s) -> Result<long long> {
    auto d = vr::find_delegate(s, delegate_id);
    if (!d ||
        (owner && !is_staff(*owner) && !(owner->member_id && *owner->member_id == d->member_id))) {
      return std::unexpected(no_such_delegate());
    }
    return d->visit_id;
  });
}

Result<long long> visit_of_application(db::Database& db, long long application_id) {
  return db.with_session([&](soci::session& s) -> Result<long long> {
    auto a = vr::find_application(s, application_id);
    if (!a) return std::unexpected(no_such_application());
    return a->visit_id;
  });
}

bool may_see(const Principal& who, long long member_id) {
  return sees_all(who) || (who.member_id && *who.member_id == member_id);
}

// Leaders read delegations with the delegates' mobiles masked; staff in full (logged).
privacy::Sight sight(const Principal& who) {
  return privacy::sight_of(who, Permission::visits_manage);
}

void mask(privacy::Sight s, Delegate& d) { privacy::mask_mobile_if(s, d.mobile); }

void mask(privacy::Sight s, Application& a) {
  for (auto& d : a.delegates) mask(s, d);
}

constexpr const char* kDelegateFields = "考察团成员姓名、职务、性别、手机、饮食要求";

}  // namespace

Result<Application> VisitService::apply(long long visit_id, long long member_id,
                                        std::vector<Delegate> people, std::string note,
                                        std::optional<long long> consent_version,
                                        const Principal& who) {
  if (!is_staff(who) && (!who.member_id || *who.member_id != member_id)) {
    return std::unexpected(
        make_error(ErrorCode::permission_denied,
                   {"会员单位只能为本单位人员报名", "a member applies only for its own people"}));
  }
  std::vector<FieldError> errors;
  if (people.empty() || people.size() > 50) {
    errors.push_back({"delegates", {"每次申请 1–50 人", "1–50 delegates per application"}});
  }
  for (std::size_t i = 0; i < people.size() && i < 50; ++i) {
    auto more = check_delegate(people[i], "delegates[" + std::to_string(i) + "].");
    errors.insert(errors.end(), more.begin(), more.end());
  }
  if (errors.empty()) {
    if (auto dup = duplicate_mobile(people)) errors.push_back(*dup);
  }
  accounts::check_length(errors, note, "note", 0, 500);
  if (!consent_version) errors.push_back(privacy::consent_missing());
  if (!errors.empty()) return std::unexpected(invalid_fields(std::move(errors)));
  const Timestamp now = clock_.now();
  auto result = db_.with_transaction([&](soci::session& s) -> Result<Application> {
    // The visit row lock serialises every decision about this visit's places, across processes
    // (first: on MariaDB the first read fixes the snapshot of the plain reads after it).
    auto v = vr::find_visit(s, visit_id, true);
    if (!v || (v->status == "draft" && !is_staff(who))) return std::unexpected(no_such_visit());
    if (auto st = privacy::check_consent(s, consent_version); !st) {
      return std::unexpected(st.error());
    }
    if (auto refusal = application_refusal(*v, now)) return std::unexpected(*refusal);
    auto unit = membership::membership_repository::find_member(s, member_id);
    if (!unit) return std::unexpected(not_found_error({"会员单位", "member unit"}));
    if (unit->status != "active" && unit->status != "lapsed") {
      return std::unexpected(
          make_error(ErrorCode::conflict, {"该单位会籍已暂停、退出或被除名，不能报名",
                                           "the unit is suspended, withdrawn or expelled"}));
    }
    const int held = v->per_member_quota ? vr::places_held(s, visit_id, member_id) : 0;
    if (auto refusal = quota_refusal(*v, held, static_cast<int>(people.size()))) {
      return std::unexpected(*refusal);
    }
    for (std::size_t i = 0; i < people.size(); ++i) {
      if (vr::mobile_holds_place(s, visit_id, people[i].mobile)) {
        return std::unexpected(mobile_taken("delegates[" + std::to_string(i) + "].mobile"));
      }
    }
    Application a{0, visit_id, member_id, unit->org.name, note, now, {}, *consent_version};
    a.id = vr::insert_application(s, a, actor_id(who), now);
    for (Delegate& d : people) {
      d.visit_id = visit_id;
      d.application_id = a.id;
      d.member_id = member_id;
      d.member_name = unit->org.name;
      d.fee_fen = v->cost_fen;
      d.checkin_token = random_token(24);
      d.id = vr::insert_delegate(s, d, now);
    }
    audit(s, who, "visit.application", "visit_application", a.id,
          "visit " + std::to_string(visit_id) + " " + unit->org.name + " " +
              std::to_string(people.size()) + " delegates",
          now);
    return *vr::find_application(s, a.id);
  });
  if (!result && result.error().code == ErrorCode::already_exists) {
    // The unique index on (visit, active mobile) caught a race the check above could not see.
    return std::unexpected(mobile_taken("delegates"));
  }
  return result;
}

Result<Delegate> VisitService::approve(long long delegate_id, const Principal& actor) {
  auto visit_id = visit_of_delegate(db_, delegate_id, nullptr);
  if (!visit_id) return std::unexpected(visit_id.error());
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<Delegate> {
    auto v = vr::find_visit(s, *visit_id, true);
    auto d = vr::find_delegate(s, delegate_id);
    if (!v || !d) return std::unexpected(no_such_delegate());
    if (!decisions_allowed(v->status)) return std::unexpected(no_decisions(*v));
    if (d->status != "pending") return std::unexpected(not_pending(*d));
    if (auto st = places_of_visit::approve(s, *v, *d, actor, now); !st) {
      return std::unexpected(st.error());
    }
    places_of_visit::promote(s, *v, actor, now);
    vr::update_counts(s, *v, now);
    return *vr::find_delegate(s, delegate_id);
  });
}

Result<Delegate> VisitService::reject(long long delegate_id, const std::string& reason,
                                      const Principal& actor) {
  if (auto st = check_reason(reason); !st) return std::unexpected(st.error());
  auto visit_id = visit_of_delegate(db_, delegate_id, nullptr);
  if (!visit_id) return std::unexpected(visit_id.error());
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<Delegate> {
    auto v = vr::find_visit(s, *visit_id, true);
    auto d = vr::find_delegate(s, delegate_id);
    if (!v || !d) return std::unexpected(no_such_delegate());
    if (!decisions_allowed(v->status)) return std::unexpected(no_decisions(*v));
    if (d->status == "rejected" || d->status == "withdrawn") {
      return std::unexpected(not_pending(*d));
    }
    places_of_visit::release(s, *v, *d, "rejected", reason, actor, now);
    vr::update_counts(s, *v, now);
    return *vr::find_delegate(s, delegate_id);
  });
}

Result<Application> VisitService::approve_application(long long application_id,
                                                      const Principal& actor) {
  auto visit_id = visit_of_application(db_, application_id);
  if (!visit_id) return std::unexpected(visit_id.error());
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<Application> {
    auto v = vr::find_visit(s, *visit_id, true);
    auto a = vr::find_application(s, application_id);
    if (!v || !a) return std::unexpected(no_such_application());
    if (!decisions_allowed(v->status)) return std::unexpected(no_decisions(*v));
    for (Delegate& d : a->delegates) {
      if (d.status != "pending") continue;
      if (auto st = places_of_visit::approve(s, *v, d, actor, now); !st) {
        return std::unexpected(st.error());
      }
    }
    places_of_visit::promote(s, *v, actor, now);
    vr::update_counts(s, *v, now);
    return *vr::find_application(s, application_id);
  });
}

Result<Application> VisitService::reject_application(long long application_id,
                                                     const std::string& reason,
                                                     const Principal& actor) {
  if (auto st = check_reason(reason); !st) return std::unexpected(st.error());
  auto visit_id = visit_of_application(db_, application_id);
  if (!visit_id) return std::unexpected(visit_id.error());
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<Application> {
    auto v = vr::find_visit(s, *visit_id, true);
    auto a = vr::find_application(s, application_id);
    if (!v || !a) return std::unexpected(no_such_application());
    if (!decisions_allowed(v->status)) return std::unexpected(no_decisions(*v));
    for (Delegate& d : a->delegates) {
      if (d.status != "pending" && d.status != "waitlisted") continue;
      places_of_visit::release(s, *v, d, "rejected", reason, actor, now);
    }
    vr::update_counts(s, *v, now);
    return *vr::find_application(s, application_id);
  });
}

Status VisitService::withdraw(long long delegate_id, const Principal& who) {
  auto visit_id = visit_of_delegate(db_, delegate_id, &who);
  if (!visit_id) return std::unexpected(visit_id.error());
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Status {
    auto v = vr::find_visit(s, *visit_id, true);
    auto d = vr::find_delegate(s, delegate_id);
    if (!v || !d) return std::unexpected(no_such_delegate());
    if (v->status == "completed" || v->status == "cancelled") {
      return std::unexpected(make_error(ErrorCode::conflict, {"考察已结束或已取消，不能再退出",
                                                              "the visit is over or cancelled"}));
    }
    if (d->status == "rejected" || d->status == "withdrawn") {
      return std::unexpected(make_error(ErrorCode::conflict,
                                        {d->name + " 已不在名单中", d->name + " holds no place"}));
    }
    places_of_visit::release(s, *v, *d, "withdrawn", "", who, now);
    vr::update_counts(s, *v, now);
    return {};
  });
}

Result<Delegate> VisitService::get_delegate(long long id, const Principal& who) {
  const auto seen = sight(who);
  const Timestamp now = clock_.now();
  return privacy::read_logged(db_, seen, [&](soci::session& s) -> Result<Delegate> {
    auto d = vr::find_delegate(s, id);
    if (!d || !may_see(who, d->member_id)) return std::unexpected(no_such_delegate());
    mask(seen, *d);
    if (seen == privacy::Sight::full_logged) {
      privacy::log_view(s, who, "visit_delegate", id, "考察团成员", kDelegateFields, 1, now);
    }
    return *d;
  });
}

Result<Application> VisitService::get_application(long long id, const Principal& who) {
  const auto seen = sight(who);
  const Timestamp now = clock_.now();
  return privacy::read_logged(db_, seen, [&](soci::session& s) -> Result<Application> {
    auto a = vr::find_application(s, id);
    if (!a || !may_see(who, a->member_id)) return std::unexpected(no_such_application());
    mask(seen, *a);
    if (seen == privacy::Sight::full_logged) {
      privacy::log_view(s, who, "visit_application", id, "考察申请", kDelegateFields,
                        a->delegates.size(), now);
    }
    return *a;
  });
}

Result<std::vector<Application>> VisitService::applications(long long visit_id,
                                                            const Principal& who) {
  if (!sees_all(who) && !who.member_id) return std::vector<Application>{};
  const auto seen = sight(who);
  const Timestamp now = clock_.now();
  return privacy::read_logged(db_, seen, [&](soci::session& s) -> Result<std::vector<Application>> {
    auto v = vr::find_visit(s, visit_id, false);
    if (!v || (v->status == "draft" && !is_staff(who))) return std::unexpected(no_such_visit());
    auto list = vr::list_applications(s, visit_id, sees_all(who) ? std::nullopt : who.member_id);
    std::size_t people = 0;
    for (auto& a : list) {
      mask(seen, a);
      people += a.delegates.size();
    }
    if (seen == privacy::Sight::full_logged) {
      privacy::log_view(s, who, "visit", visit_id, "考察申请", kDelegateFields, people, now);
    }
    return list;
  });
}

Result<std::vector<Delegate>> VisitService::delegates(long long visit_id, const std::string& status,
                                                      const Principal& who) {
  if (!status.empty() && status != "pending" && status != "approved" && status != "waitlisted" &&
      status != "rejected" && status != "withdrawn") {
    return std::unexpected(invalid_fields({{"status", {"未知的状态", "unknown status"}}}));
  }
  if (!sees_all(who) && !who.member_id) return std::vector<Delegate>{};
  const auto seen = sight(who);
  const Timestamp now = clock_.now();
  return privacy::read_logged(db_, seen, [&](soci::session& s) -> Result<std::vector<Delegate>> {
    auto list = delegation(s, visit_id, status, who);
    if (list && seen == privacy::Sight::full_logged) {
      privacy::log_view(s, who, "visit", visit_id, "考察团名单", kDelegateFields, list->size(),
                        now);
    }
    return list;
  });
}

Result<std::vector<Delegate>> VisitService::delegation(soci::session& s, long long visit_id,
                                                       const std::string& status,
                                                       const Principal& who) {
  // Neither staff, leader nor a unit (an applicant, an admin): nobody's delegates.
  if (!sees_all(who) && !who.member_id) return std::vector<Delegate>{};
  auto v = vr::find_visit(s, visit_id, false);
  if (!v || (v->status == "draft" && !is_staff(who))) return std::unexpected(no_such_visit());
  auto list = vr::list_delegates(s, visit_id, sees_all(who) ? std::nullopt : who.member_id, status);
  for (auto& d : list) mask(sight(who), d);
  return list;
}

}  // namespace xiehui::visits
