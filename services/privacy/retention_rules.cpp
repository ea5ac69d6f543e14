#include "services/privacy/retention.hpp"

namespace xiehui::privacy {
namespace {

Date years_before(Date d, int years) {
  Date back = (d.year() - std::chrono::years{years}) / d.month() / d.day();
  // 29 February of a year that has none: the last day of that February.
  if (!back.ok()) back = back.year() / back.month() / std::chrono::last;
  return back;
}

Timestamp midnight(Date d) {
  return std::chrono::time_point_cast<Timestamp::duration>(std::chrono::sys_days{d} -
                                                           kShanghaiOffset);
}

RetentionCutoff cutoff(const char* kind, const char* label, Date before) {
  return {{kind, label, format_date(before), 0}, midnight(before)};
}

}  // namespace

std::vector<FieldError> check_retention(const RetentionSettings& s) {
  std::vector<FieldError> errors;
  const auto years = [&](const char* field, int v) {
    if (v < 1 || v > 50) errors.push_back({field, {"应为 1–50 年", "must be 1–50 years"}});
  };
  years("enrollment_years", s.enrollment_years);
  years("visit_delegate_years", s.visit_delegate_years);
  years("meeting_attendee_years", s.meeting_attendee_years);
  years("rejected_application_years", s.rejected_application_years);
  if (s.outbox_days < 30 || s.outbox_days > 3650) {
    errors.push_back({"outbox_days", {"应为 30–3650 天", "must be 30–3650 days"}});
  }
  return errors;
}

std::vector<RetentionCutoff> retention_cutoffs(const RetentionSettings& s, Timestamp now) {
  const Date today = shanghai_date(now);
  return {
      cutoff("enrollment", "培训学员的手机、邮箱和住宿需求",
             years_before(today, s.enrollment_years)),
      cutoff("visit_delegate", "考察团成员的姓名、职务、手机和饮食要求",
             years_before(today, s.visit_delegate_years)),
      cutoff("meeting_attendee", "参会人员的姓名、职务和手机",
             years_before(today, s.meeting_attendee_years)),
      cutoff("rejected_application", "未通过的入会申请的联系人",
             years_before(today, s.rejected_application_years)),
      cutoff("outbox", "已发送通知的收件人和内容",
             Date{std::chrono::sys_days{today} - std::chrono::days{s.outbox_days}}),
  };
}

bool retention_due(const RetentionSettings& s, Timestamp now) {
  if (!s.daily) return false;
  const auto local = now + kShanghaiOffset;
  const auto since_midnight = local - std::chrono::floor<std::chrono::days>(local);
  return since_midnight >= std::chrono::hours(3);
}

}  // namespace xiehui::privacy
