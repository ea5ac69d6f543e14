#include "services/training/training_service.hpp"

#include <fmt/format.h>

#include "core/audit.hpp"
#include "core/crypto.hpp"
#include "core/time.hpp"
#include "services/accounts/account_rules.hpp"
#include "services/membership/membership_repository.hpp"
#include "services/privacy/access_log.hpp"
#include "services/privacy/consent.hpp"
#include "services/training/training_repository.hpp"
#include "services/training/training_rules.hpp"

namespace xiehui::training {
namespace {

namespace tr = training_repository;

void audit(soci::session& s, const Principal& who, const char* action, const char* entity,
           long long id, std::string summary, Timestamp now) {
  audit_as(s, who, action, entity, id, std::move(summary), now);
}

Error no_such_class() { return not_found_error({"培训班次", "class"}); }
Error no_such_enrollment() { return not_found_error({"报名记录", "enrolment"}); }
Error denied() {
  return make_error(ErrorCode::permission_denied,
                    {"您没有执行此操作的权限", "You may not do this"});
}

bool is_staff(const Principal& p) { return p.can(Permission::training_manage); }

// Confirms the first waitlisted places while seats are free, inside the caller's transaction
// (the class row is locked); each promoted unit is notified and owes the fee from now on.
void promote(soci::session& s, TrainingClass& c, const Principal& who, Timestamp now) {
  for (int n = promotions(c); n > 0; --n) {
    auto next = tr::first_waitlisted(s, c.id);
    if (!next) break;
    tr::confirm_enrollment(s, next->id, now);
    next->status = "confirmed";
    tr::insert_charge(s, *next, now);
    tr::insert_notification(
        s, next->member_id, "training.promoted",
        next->attendee.name + " 已从候补转为正式学员：" + c.course_title + " " + c.title, next->id,
        now, next->attendee.name + " moved up from the waitlist: " + c.course_title + " " + c.title,
        c.id);
    audit(s, who, "enrollment.promote", "enrollment", next->id,
          "class " + std::to_string(c.id) + " " + next->attendee.name, now);
    ++c.confirmed;
    --c.waitlisted;
  }
}

// A cancelled class releases every place it held: charges voided, units told.
void release_all(soci::session& s, TrainingClass& c, const Principal& who, Timestamp now) {
  for (const Enrollment& e : tr::held_places(s, c.id)) {
    tr::cancel_enrollment(s, e.id, now);
    tr::void_charge(s, e.id, now);
    tr::insert_notification(
        s, e.member_id, "training.class_cancelled",
        c.course_title + " " + c.title + " 已取消，" + e.attendee.name + " 的报名随之取消", e.id,
        now,
        c.course_title + " " + c.title + " is cancelled, and with it " + e.attendee.name +
            "'s place",
        c.id);
    audit(s, who, "enrollment.cancel", "enrollment", e.id,
          "class " + std::to_string(c.id) + " cancelled", now);
  }
  c.confirmed = 0;
  c.waitlisted = 0;
}

}  // namespace

Result<Course> TrainingService::create_course(Course c, const Principal& actor) {
  if (auto errors = check_course(c); !errors.empty()) {
    return std::unexpected(invalid_fields(std::move(errors)));
  }
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<Course> {
    c.id = tr::insert_course(s, c, now);
    audit(s, actor, "course.create", "course", c.id, c.title, now);
    return c;
  });
}

Result<Course> TrainingService::update_course(Course c, const Principal& actor) {
  if (auto errors = check_course(c); !errors.empty()) {
    return std::unexpected(invalid_fields(std::move(errors)));
  }
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<Course> {
    if (!tr::find_course(s, c.id)) return std::unexpected(not_found_error({"课程", "course"}));
    tr::update_course(s, c, now);
    audit(s, actor, "course.update", "course", c.id, c.title, now);
    return c;
  });
}

Result<std::vector<Course>> TrainingService::list_courses() {
  return db_.with_session(
      [&](soci::session& s) -> Result<std::vector<Course>> { return tr::list_courses(s); });
}

Result<Course> TrainingService::get_course(long long id) {
  return db_.with_session([&](soci::session& s) -> Result<Course> {
    auto c = tr::find_course(s, id);
    if (!c) return std::unexpected(not_found_error({"课程", "course"}));
    return *c;
  });
}

Result<TrainingClass> TrainingService::create_class(TrainingClass c, const Principal& actor) {
  std::vector<FieldError> errors = check_class(c);
  if (c.status != "draft" && c.status != "open" && c.status != "closed") {
    errors.push_back({"status", {"新班次状态应为 draft、open 或 closed", "draft, open or closed"}});
  }
  if (!errors.empty()) return std::unexpected(invalid_fields(std::move(errors)));
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<TrainingClass> {
    auto course = tr::find_course(s, c.course_id);
    if (!course) return std::unexpected(not_found_error({"课程", "course"}));
    c.id = tr::insert_class(s, c, now);
    audit(s, actor, "class.create", "class", c.id,
          course->title + " " + c.title + " capacity=" + std::to_string(c.capacity), now);
    return *tr::find_class(s, c.id, false);
  });
}

Result<TrainingClass> TrainingService::update_class(long long id, const ClassPatch& p,
                                                    const Principal& actor) {
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<TrainingClass> {
    auto found = tr::find_class(s, id, true);
    if (!found) return std::unexpected(no_such_class());
    if (found->status == "finished" || found->status == "cancelled") {
      return std::unexpected(
          make_error(ErrorCode::conflict,
                     {"已结业或已取消的班次不能再修改", "a finished or cancelled class is final"}));
    }
    TrainingClass c = *found;
    if (p.title) c.title = *p.title;
    if (p.venue) c.venue = *p.venue;
    if (p.starts_at) c.starts_at = *p.starts_at;
    if (p.ends_at) c.ends_at = *p.ends_at;
    if (p.signup_deadline) c.signup_deadline = *p.signup_deadline;
    if (p.capacity) c.capacity = *p.capacity;
    if (p.min_attendance_percent) c.min_attendance_percent = *p.min_attendance_percent;
    if (p.per_member_quota) c.per_member_quota = *p.per_member_quota;
    if (p.fee_fen) c.fee_fen = *p.fee_fen;
    if (auto errors = check_class(c); !errors.empty()) {
      return std::unexpected(invalid_fields(std::move(errors)));
    }
    if (p.status && !is_class_status(*p.status)) {
      return std::unexpected(invalid_fields(
          {{"status", {"状态应为 draft、open、closed、cancelled 或 finished", "unknown status"}}}));
    }
    if (p.status && *p.status != c.status) {
      if (!class_status_change_allowed(c.status, *p.status)) {
        return std::unexpected(
            make_error(ErrorCode::conflict,
                       {"班次状态不能从 " + c.status + " 改为 " + *p.status,
                        "the status cannot change from " + c.status + " to " + *p.status}));
      }
      c.status = *p.status;
    }
    if (c.capacity < c.confirmed) {
      return std::unexpected(make_error(
          ErrorCode::conflict,
          {"名额不能少于已确认的 " + std::to_string(c.confirmed) + " 人，请先取消部分报名",
           "capacity cannot go below the " + std::to_string(c.confirmed) + " confirmed places"}));
    }
    if (c.status == "cancelled") {
      release_all(s, c, actor, now);
    } else if (c.status == "open" || c.status == "closed") {
      promote(s, c, actor, now);
    }
    tr::update_class(s, c, now);
    audit(s, actor, "class.update", "class", id,
          "capacity " + std::to_string(found->capacity) + " -> " + std::to_string(c.capacity) +
              ", status " + found->status + " -> " + c.status,
          now);
    return c;
  });
}

Result<std::vector<TrainingClass>> TrainingService::list_classes(const std::string& status,
                                                                 std::optional<long long> course_id,
                                                                 bool with_seats,
                                                                 const Principal& who) {
  if (!status.empty() && !is_class_status(status)) {
    return std::unexpected(invalid_fields(
        {{"status", {"状态应为 draft、open、closed、cancelled 或 finished", "unknown status"}}}));
  }
  if (status == "draft" && !is_staff(who)) return std::vector<TrainingClass>{};
  return db_.with_session([&](soci::session& s) -> Result<std::vector<TrainingClass>> {
    auto list = tr::list_classes(s, status, course_id, with_seats);
    if (!is_staff(who)) std::erase_if(list, [](const auto& c) { return c.status == "draft"; });
    return list;
  });
}

Result<TrainingClass> TrainingService::get_class(long long id, const Principal& who) {
  return db_.with_session([&](soci::session& s) -> Result<TrainingClass> {
    auto c = tr::find_class(s, id, false);
    if (!c || (c->status == "draft" && !is_staff(who))) return std::unexpected(no_such_class());
    return *c;
  });
}

Result<Enrollment> TrainingService::enroll(long long class_id, SignUp in, const Principal& who) {
  const bool staff = is_staff(who);
  if (!staff && (!in.member_id || in.member_id != who.member_id)) {
    return std::unexpected(
        make_error(ErrorCode::permission_denied,
                   {"会员单位只能为本单位人员报名", "a member signs up only its own people"}));
  }
  std::vector<FieldError> errors = check_attendee(in.attendee);
  if (!in.member_id && (in.org_name.empty() || accounts::utf8_length(in.org_name) > 100)) {
    errors.push_back({"org_name", {"请填写单位名称", "give the organisation's name"}});
  }
  if (!in.consent_version) errors.push_back(privacy::consent_missing());
  if (!errors.empty()) return std::unexpected(invalid_fields(std::move(errors)));
  const Timestamp now = clock_.now();
  auto result = db_.with_transaction([&](soci::session& s) -> Result<Enrollment> {
    // The class row lock serialises every seat decision of this class, across processes. It is
    // the transaction's first read: on MariaDB the first read fixes the snapshot that later
    // plain reads (the counts) see, so nothing may be read before the lock is held.
    auto found = tr::find_class(s, class_id, true);
    if (!found || (found->status == "draft" && !staff)) return std::unexpected(no_such_class());
    if (auto st = privacy::check_consent(s, in.consent_version); !st) {
      return std::unexpected(st.error());
    }
    TrainingClass c = *found;
    if (auto refusal = signup_refusal(c, now)) return std::unexpected(*refusal);
    Enrollment e;
    e.class_id = class_id;
    e.member_id = in.member_id;
    if (in.member_id) {
      auto unit = membership::membership_repository::find_member(s, *in.member_id);
      if (!unit) return std::unexpected(not_found_error({"会员单位", "member unit"}));
      if (unit->status != "active" && unit->status != "lapsed") {
        return std::unexpected(
            make_error(ErrorCode::conflict, {"该单位会籍已暂停、退出或被除名，不能报名",
                                             "the unit is suspended, withdrawn or expelled"}));
      }
      e.org_name = unit->org.name;
      // Counted only under a quota: the count reads the unit's enrolments in this class.
      if (c.per_member_quota && !within_quota(c, tr::places_held(s, class_id, *in.member_id))) {
        return std::unexpected(make_error(
            ErrorCode::conflict,
            {"本单位在该班次的名额（" + std::to_string(*c.per_member_quota) + " 人，含候补）已用完",
             "the unit's quota of " + std::to_string(*c.per_member_quota) +
                 " places (waitlist included) is used up"}));
      }
    } else {
      e.org_name = in.org_name;
    }
    if (tr::mobile_holds_place(s, class_id, in.attendee.mobile)) {
      Error dup = make_error(ErrorCode::conflict,
                             {"该手机号已报名本班次", "this mobile number is already signed up"});
      dup.fields.push_back({"attendee.mobile", dup.message});
      return std::unexpected(dup);
    }
    e.attendee = in.attendee;
    e.consent_version = *in.consent_version;
    e.fee_fen = c.fee_fen;
    e.checkin_token = random_token(24);
    if (place(c) == Placement::confirmed) {
      e.status = "confirmed";
      ++c.confirmed;
    } else {
      e.status = "waitlisted";
      e.waitlist_seq = c.next_waitlist_seq++;
      ++c.waitlisted;
    }
    e.id = tr::insert_enrollment(s, e, who.user_id, now);
    if (e.status == "confirmed") tr::insert_charge(s, e, now);
    tr::update_class(s, c, now);
    audit(s, who, "enrollment.create", "enrollment", e.id,
          "class " + std::to_string(class_id) + " " + e.status + " " + e.attendee.name, now);
    e.created_at = now;
    if (e.status == "waitlisted") e.waitlist_position = c.waitlisted;
    return e;
  });
  if (!result && result.error().code == ErrorCode::already_exists) {
    // The unique index on (class, mobile) caught a race the check above could not see.
    Error dup = make_error(ErrorCode::conflict,
                           {"该手机号已报名本班次", "this mobile number is already signed up"});
    dup.fields.push_back({"attendee.mobile", dup.message});
    return std::unexpected(dup);
  }
  return result;
}

Status TrainingService::cancel(long long enrollment_id, const Principal& who) {
  const Timestamp now = clock_.now();
  // Which class to lock, looked up outside the transaction: on MariaDB the transaction's first
  // plain read fixes its snapshot, and that must come after the class lock, or the waitlist
  // it promotes from could be one another cancellation has already changed.
  auto class_id = db_.with_session([&](soci::session& s) -> Result<long long> {
    auto e = tr::find_enrollment(s, enrollment_id);
    if (!e || (!is_staff(who) && (!e->member_id || e->member_id != who.member_id))) {
      return std::unexpected(no_such_enrollment());
    }
    return e->class_id;
  });
  if (!class_id) return std::unexpected(class_id.error());
  return db_.with_transaction([&](soci::session& s) -> Status {
    auto c = tr::find_class(s, *class_id, true);
    auto e = tr::find_enrollment(s, enrollment_id);
    if (!c || !e) return std::unexpected(no_such_enrollment());
    if (e->status == "cancelled") {
      return std::unexpected(
          make_error(ErrorCode::conflict, {"该报名已取消", "already cancelled"}));
    }
    if (c->status == "finished" || c->status == "cancelled") {
      return std::unexpected(make_error(ErrorCode::conflict, {"班次已结束或已取消，不能再取消报名",
                                                              "the class is over or cancelled"}));
    }
    tr::cancel_enrollment(s, enrollment_id, now);
    if (e->status == "confirmed") {
      tr::void_charge(s, enrollment_id, now);
      --c->confirmed;
      promote(s, *c, who, now);
    } else {
      --c->waitlisted;
    }
    tr::update_class(s, *c, now);
    audit(s, who, "enrollment.cancel", "enrollment", enrollment_id,
          "class " + std::to_string(c->id) + " was " + e->status + " " + e->attendee.name, now);
    return {};
  });
}

// A class's roster as `who` may see it: staff every unit's people in full (the view logged by
// the caller), a unit its own people, leaders everyone with contact details masked.
Result<std::vector<Enrollment>> TrainingService::roster(soci::session& s, long long class_id,
                                                        const Principal& who,
                                                        privacy::Sight sight) {
  const bool staff = sight == privacy::Sight::full_logged;
  auto c = tr::find_class(s, class_id, false);
  if (!c || (c->status == "draft" && !staff)) return std::unexpected(no_such_class());
  auto list = tr::class_enrollments(
      s, class_id,
      sight == privacy::Sight::full_own ? std::optional<long long>(who.member_id) : std::nullopt);
  for (auto& e : list) {
    privacy::mask_mobile_if(sight, e.attendee.mobile);
    privacy::mask_email_if(sight, e.attendee.email);
  }
  return list;
}

Result<std::vector<Enrollment>> TrainingService::class_enrollments(long long class_id,
                                                                   const Principal& who) {
  const auto sight = privacy::sight_of(who, Permission::training_manage);
  if (sight == privacy::Sight::masked && !who.can(Permission::reports_read)) {
    return std::unexpected(denied());
  }
  const Timestamp now = clock_.now();
  return privacy::read_logged(db_, sight, [&](soci::session& s) -> Result<std::vector<Enrollment>> {
    auto list = roster(s, class_id, who, sight);
    if (list && sight == privacy::Sight::full_logged) {
      privacy::log_view(s, who, "class", class_id, "培训名单", "姓名、职务、单位、手机、邮箱、住宿",
                        list->size(), now);
    }
    return list;
  });
}

Result<std::string> TrainingService::roster_xlsx(long long class_id, const Principal& who,
                                                 privacy::ExportFields fields) {
  const auto sight = privacy::sight_of(who, Permission::training_manage);
  if (sight == privacy::Sight::masked && !who.can(Permission::reports_read)) {
    return std::unexpected(denied());
  }
  const Timestamp now = clock_.now();
  const std::string described = privacy::describe_fields("单位、姓名、职务、住宿", fields);
  // Every export but a unit's of its own people is logged: the file leaves the system.
  const auto logged = sight == privacy::Sight::full_own ? sight : privacy::Sight::full_logged;
  auto table = privacy::read_logged(db_, logged, [&](soci::session& s) -> Result<Table> {
    auto list = roster(s, class_id, who, sight);
    if (!list) return std::unexpected(list.error());
    Table t;
    t.headers = {"序号", "状态", "候补位次", "单位", "姓名", "职务"};
    if (fields.mobile) t.headers.push_back("手机");
    if (fields.email) t.headers.push_back("邮箱");
    t.headers.insert(t.headers.end(), {"住宿", "费用（元）"});
    int n = 0;
    for (const auto& e : *list) {
      if (e.status == "cancelled") continue;
      std::vector<std::string> row{std::to_string(++n),
                                   e.status == "confirmed" ? "正式" : "候补",
                                   e.waitlist_position ? std::to_string(e.waitlist_position) : "",
                                   e.org_name,
                                   e.attendee.name,
                                   e.attendee.title};
      if (fields.mobile) row.push_back(e.attendee.mobile);
      if (fields.email) row.push_back(e.attendee.email);
      row.push_back(e.attendee.lodging == "single"   ? "单间"
                    : e.attendee.lodging == "shared" ? "合住"
                                                     : "不住宿");
      row.push_back(fmt::format("{}.{:02}", e.fee_fen / 100, e.fee_fen % 100));
      t.rows.push_back(std::move(row));
    }
    if (logged == privacy::Sight::full_logged) {
      privacy::log_export(s, who, "class", class_id, "培训名单", described, t.rows.size(), now);
    }
    return t;
  });
  if (!table) return std::unexpected(table.error());
  const Table note = privacy::export_note(who, described, sight == privacy::Sight::masked, now);
  const NamedTable sheets[] = {{"培训名单", *table}, {"说明", note}};
  return to_xlsx(sheets);
}

Result<std::vector<Enrollment>> TrainingService::my_enrollments(const Principal& who) {
  if (!who.member_id) return std::vector<Enrollment>{};
  return db_.with_session([&](soci::session& s) -> Result<std::vector<Enrollment>> {
    return tr::member_enrollments(s, *who.member_id);
  });
}

Result<Enrollment> TrainingService::get_enrollment(long long id, const Principal& who) {
  return db_.with_session([&](soci::session& s) -> Result<Enrollment> {
    auto e = tr::find_enrollment(s, id);
    if (!e || (!is_staff(who) && (!e->member_id || e->member_id != who.member_id))) {
      return std::unexpected(no_such_enrollment());
    }
    return *e;
  });
}

}  // namespace xiehui::training
