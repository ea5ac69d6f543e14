// TrainingService: check-in, the attendance sheet and certificates.

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "core/audit.hpp"
#include "core/crypto.hpp"
#include "core/time.hpp"
#include "services/training/training_repository.hpp"
#include "services/training/training_rules.hpp"
#include "services/training/training_service.hpp"

namespace xiehui::training {
namespace {

namespace tr = training_repository;

Error no_such_enrollment() { return not_found_error({"报名记录", "enrolment"}); }

std::optional<long long> actor_of(const Principal& p) {
  return p.user_id ? std::optional<long long>(p.user_id) : std::nullopt;
}

TrainingCertificate describe(const Enrollment& e, const TrainingClass& c) {
  return {e.certificate_no,
          e.certificate_code,
          e.attendee.name,
          e.org_name,
          c.course_title,
          format_date(shanghai_date(c.starts_at)),
          format_date(shanghai_date(c.ends_at))};
}

}  // namespace

Result<bool> TrainingService::check_in(long long class_id, std::optional<long long> enrollment_id,
                                       const std::string& token,
                                       std::optional<std::pair<std::string, std::string>> slot,
                                       const Principal& actor,
                                       const std::optional<std::string>& override_reason) {
  const Timestamp now = clock_.now();
  auto result = db_.with_transaction([&](soci::session& s) -> Result<bool> {
    auto c = tr::find_class(s, class_id, false);
    if (!c) return std::unexpected(not_found_error({"培训班次", "class"}));
    if (c->status != "open" && c->status != "closed" && c->status != "finished") {
      return std::unexpected(make_error(
          ErrorCode::conflict, {"该班次未开班或已取消，不能签到", "the class is not running"}));
    }
    auto e = enrollment_id     ? tr::find_enrollment(s, *enrollment_id)
             : is_token(token) ? tr::find_enrollment_by_token(s, token)
                               : std::nullopt;
    // A token or id of another class's enrolment is refused like an unknown one.
    if (!e || e->class_id != class_id) return std::unexpected(no_such_enrollment());
    if (e->status != "confirmed") {
      return std::unexpected(
          make_error(ErrorCode::conflict,
                     {"只有正式学员可以签到（该报名为" +
                          std::string(e->status == "waitlisted" ? "候补" : "已取消") + "）",
                      "only confirmed attendees check in"}));
    }
    const auto when = slot.value_or(slot_at(now));
    if (auto refusal = check_in_refusal(*c, when, override_reason)) {
      return std::unexpected(std::move(*refusal));
    }
    const auto slots = attendance_slots(*c);
    const bool outside = std::ranges::find(slots, when) == slots.end();
    const bool recorded =
        tr::insert_attendance(s, {e->id, when.first, when.second, now}, actor.user_id);
    if (recorded) {
      // An override is the only trace of why a day outside the class was accepted.
      append_audit(s,
                   {actor_of(actor), actor.username, actor.address, "attendance.check_in",
                    "enrollment", std::to_string(e->id),
                    when.first + " " + when.second +
                        (outside ? "; override: " + override_reason.value_or("") : "")},
                   now);
    }
    return recorded;
  });
  // The same pass scanned twice at once: the unique index kept the first check-in.
  if (!result && result.error().code == ErrorCode::already_exists) return false;
  return result;
}

Status TrainingService::undo_check_in(long long enrollment_id, const std::string& day,
                                      const std::string& half, const Principal& actor) {
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Status {
    if (!tr::find_enrollment(s, enrollment_id)) return std::unexpected(no_such_enrollment());
    if (!tr::delete_attendance(s, enrollment_id, day, half)) {
      return std::unexpected(not_found_error({"签到记录", "check-in"}));
    }
    append_audit(s,
                 {actor_of(actor), actor.username, actor.address, "attendance.undo", "enrollment",
                  std::to_string(enrollment_id), day + " " + half},
                 now);
    return {};
  });
}

Result<TrainingPass> TrainingService::pass(const std::string& token) {
  const Error none = not_found_error({"入场凭证", "pass"});
  if (!is_token(token)) return std::unexpected(none);
  return db_.with_session([&](soci::session& s) -> Result<TrainingPass> {
    auto e = tr::find_enrollment_by_token(s, token);
    if (!e || e->status == "cancelled") return std::unexpected(none);
    auto c = tr::find_class(s, e->class_id, false);
    if (!c) return std::unexpected(none);
    return TrainingPass{std::move(*e), std::move(*c)};
  });
}

Result<Enrollment> TrainingService::enrollment_by_token(long long class_id,
                                                        const std::string& token) {
  if (!is_token(token)) return std::unexpected(no_such_enrollment());
  return db_.with_session([&](soci::session& s) -> Result<Enrollment> {
    auto e = tr::find_enrollment_by_token(s, token);
    if (!e || e->class_id != class_id) return std::unexpected(no_such_enrollment());
    return *tr::find_enrollment(s, e->id);
  });
}

Result<AttendanceSheet> TrainingService::attendance_sheet(long long class_id) {
  return db_.with_session([&](soci::session& s) -> Result<AttendanceSheet> {
    auto c = tr::find_class(s, class_id, false);
    if (!c) return std::unexpected(not_found_error({"培训班次", "class"}));
    AttendanceSheet sheet{*c, attendance_slots(*c), {}};
    std::map<long long, std::set<std::pair<std::string, std::string>>> seen;
    for (const Attendance& a : tr::class_attendance(s, class_id)) {
      seen[a.enrollment_id].emplace(a.day, a.half);
    }
    for (Enrollment& e : tr::class_enrollments(s, class_id, std::nullopt)) {
      if (e.status != "confirmed") continue;
      AttendanceSheet::Row row{std::move(e), {}, false};
      std::size_t attended = 0;
      for (const auto& slot : sheet.slots) {
        const bool here = seen[row.enrollment.id].contains(slot);
        row.present.push_back(here);
        attended += here ? 1 : 0;
      }
      row.meets_rule = meets_attendance_rule(*c, attended);
      sheet.rows.push_back(std::move(row));
    }
    return sheet;
  });
}

Result<int> TrainingService::issue_certificates(long long class_id, const Principal& actor) {
  auto sheet = attendance_sheet(class_id);
  if (!sheet) return std::unexpected(sheet.error());
  if (sheet->cls.status != "finished") {
    return std::unexpected(make_error(
        ErrorCode::conflict,
        {"班次结束（状态为已结业）后才能发证书", "certificates follow a finished class"}));
  }
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<int> {
    tr::find_class(s, class_id, true);  // one issuer at a time numbers the certificates
    int issued = 0, number = 0;
    for (const auto& row : sheet->rows) {
      auto e = tr::find_enrollment(s, row.enrollment.id);
      if (!e) continue;
      ++number;  // numbers follow the roster, so re-issuing keeps each attendee's number
      if (!row.meets_rule || !e->certificate_no.empty()) continue;
      const std::string no =
          fmt::format("PX{}{:04}-{:03}", static_cast<int>(shanghai_date(sheet->cls.ends_at).year()),
                      class_id, number);
      tr::set_certificate(s, e->id, no, random_token(24));
      ++issued;
    }
    append_audit(s,
                 {actor_of(actor), actor.username, actor.address, "class.certificates", "class",
                  std::to_string(class_id), std::to_string(issued) + " issued"},
                 now);
    return issued;
  });
}

Result<TrainingCertificate> TrainingService::certificate(long long enrollment_id,
                                                         const Principal& who) {
  auto e = get_enrollment(enrollment_id, who);
  if (!e) return std::unexpected(e.error());
  if (e->certificate_no.empty()) {
    return std::unexpected(not_found_error({"结业证书", "certificate"}));
  }
  return db_.with_session([&](soci::session& s) -> Result<TrainingCertificate> {
    return describe(*e, *tr::find_class(s, e->class_id, false));
  });
}

Result<TrainingCertificate> TrainingService::verify_certificate(const std::string& code) {
  if (!is_token(code)) {
    return std::unexpected(not_found_error({"结业证书", "certificate"}));
  }
  return db_.with_session([&](soci::session& s) -> Result<TrainingCertificate> {
    auto e = tr::find_enrollment_by_certificate(s, code);
    if (!e) return std::unexpected(not_found_error({"结业证书", "certificate"}));
    return describe(*e, *tr::find_class(s, e->class_id, false));
  });
}

}  // namespace xiehui::training
