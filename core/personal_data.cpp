#include "core/personal_data.hpp"

namespace xiehui {

namespace {

using K = PersonalKind;

constexpr PersonalColumn kPersonal[] = {
    // People who sign in.
    {"users", "display_name", K::name, "账号使用人姓名：登录后显示、审计"},
    {"users", "email", K::email, "账号通知邮箱"},
    {"sessions", "address", K::network, "登录会话的来源地址：安全审计、活动会话列表"},
    {"sessions", "user_agent", K::network, "登录会话的浏览器：活动会话列表"},
    {"password_resets", "address", K::network, "重置密码请求的来源地址：防滥用"},
    {"user_totp", "secret", K::detail, "两步验证密钥"},
    // A unit's people.
    {"member_contacts", "name", K::name, "会员单位联系人：联络会员单位"},
    {"member_contacts", "title", K::title, "会员单位联系人职务"},
    {"member_contacts", "mobile", K::mobile, "会员单位联系人手机：联络、短信通知"},
    {"member_contacts", "email", K::email, "会员单位联系人邮箱：通知"},
    // Applicants.
    {"applications", "contact_name", K::name, "入会申请联系人：审核联络"},
    {"applications", "contact_title", K::title, "入会申请联系人职务"},
    {"applications", "contact_mobile", K::mobile, "入会申请联系人手机：审核联络"},
    {"applications", "contact_email", K::email, "入会申请联系人邮箱：审核结果通知"},
    {"applications", "address_ip", K::network, "申请提交地址：防滥用限流"},
    // Trainees.
    {"enrollments", "attendee_name", K::name, "学员姓名：名册、签到、结业证书"},
    {"enrollments", "attendee_title", K::title, "学员职务：名册"},
    {"enrollments", "mobile", K::mobile, "学员手机：培训通知、去重"},
    {"enrollments", "active_mobile", K::mobile, "占位学员手机：同班去重"},
    {"enrollments", "email", K::email, "学员邮箱：培训通知"},
    {"enrollments", "lodging", K::detail, "学员住宿需求：安排住宿"},
    // Meeting attendees and replies.
    {"meeting_rsvp_attendees", "name", K::name, "参会人员姓名：会务安排、签到"},
    {"meeting_rsvp_attendees", "title", K::title, "参会人员职务：会务安排"},
    {"meeting_rsvp_attendees", "mobile", K::mobile, "参会人员手机：会务联络"},
    {"meeting_rsvps", "note", K::free_text, "回执备注"},
    {"meeting_agenda", "presenter", K::name, "议程报告人"},
    // Delegates and hosts.
    {"visit_delegates", "name", K::name, "考察团成员姓名：名单、住宿、签到"},
    {"visit_delegates", "title", K::title, "考察团成员职务：名单"},
    {"visit_delegates", "gender", K::detail, "考察团成员性别：安排住宿"},
    {"visit_delegates", "mobile", K::mobile, "考察团成员手机：行程联络、去重"},
    {"visit_delegates", "active_mobile", K::mobile, "占位考察团成员手机：同团去重"},
    {"visit_delegates", "dietary", K::detail, "考察团成员饮食要求：安排用餐"},
    {"visit_delegates", "reason", K::free_text, "审核意见"},
    {"visit_applications", "note", K::free_text, "考察申请备注"},
    {"visit_itinerary", "contact", K::free_text, "接待联系人：行程联络"},
    // Copies in messages, histories and logs.
    {"outbox", "recipient", K::free_text, "发送对象（邮箱或手机）：投递通知"},
    {"outbox", "recipient_name", K::name, "收件人姓名：投递通知"},
    {"outbox", "subject", K::free_text, "通知标题"},
    {"outbox", "body_text", K::free_text, "通知正文"},
    {"outbox", "body_html", K::free_text, "通知正文（HTML）"},
    {"outbox", "last_error", K::free_text, "投递失败原因（可能含发送对象）"},
    {"notifications", "message", K::free_text, "站内通知（可能含姓名）"},
    {"notifications", "message_en", K::free_text, "站内通知英文（可能含姓名）"},
    {"audit_log", "actor_name", K::name, "操作人账号：审计"},
    {"retention_runs", "actor_name", K::name, "执行保存期限清理的账号：审计"},
    {"audit_log", "address", K::network, "操作来源地址：审计"},
    {"audit_log", "summary", K::free_text, "操作摘要（可能含姓名）：审计"},
    {"member_history", "from_value", K::free_text, "会员信息变更前的值（可能含联系人）"},
    {"member_history", "to_value", K::free_text, "会员信息变更后的值（可能含联系人）"},
    {"member_history", "actor_name", K::name, "变更操作人"},
    {"member_history", "reason", K::free_text, "变更原因"},
    {"member_status_history", "actor_name", K::name, "状态变更操作人"},
    {"member_status_history", "reason", K::free_text, "状态变更原因"},
    {"applications", "decision_reason", K::free_text, "审核意见"},
    {"idempotency_keys", "response_body", K::free_text, "重复提交时返回的原应答（可能含报名信息）"},
    {"jobs", "result", K::free_text, "导入等任务的结果（可能含出错单元格的值）"},
    // Money: a bank line's payer and a charge's payer are usually a unit, sometimes a person.
    {"charges", "payer_name", K::name, "付款方名称"},
    {"dues_statement_lines", "payer", K::name, "银行流水付款方"},
    {"dues_payments", "reference", K::free_text, "付款备注或流水号"},
    {"dues_statement_lines", "reference", K::free_text, "银行流水附言"},
};

constexpr NonPersonalColumns kNotPersonal[] = {
    {"access_denials", "route minute_start"},
    {"api_tokens", "token_hash name created_at last_used_at revoked_at"},
    {"applications",
     "status name short_name uscc org_type org_level city_code address decided_at submitted_at"},
    {"attendance", "day half checked_at"},
    {"audit_head", "last_hash"},
    {"audit_log", "at action entity_type entity_id prev_hash hash erased_digest"},
    {"booking_series", "title booked_for rule_json except_dates created_at"},
    {"bookings", "starts_at ends_at title booked_for status created_at updated_at"},
    {"calendar_feeds", "token created_at"},
    {"charges",
     "source document_kind status created_at updated_at fapiao_status fapiao_no fapiao_on"},
    {"classes", "title starts_at ends_at venue signup_deadline status created_at updated_at"},
    {"courses", "title description topics created_at updated_at"},
    {"dues_daily_runs", "run_on started_at"},
    {"dues_invoices", "tier status proration issued_on last_reminded_on created_at updated_at"},
    {"dues_payments",
     "paid_on method verify_code status source_key reverse_reason reversed_at created_at"},
    {"dues_reductions", "reason approved_by created_at revoked_at"},
    {"dues_schedule_amounts", "tier"},
    {"dues_schedules", "effective_on meeting_name held_on published_at superseded_at created_at"},
    {"dues_statement_lines", "paid_on line_key"},
    {"dues_statements", "file_name uploaded_at"},
    {"dues_use_statements", "uses note published_at updated_at"},
    {"enrollments",
     "org_name status checkin_token certificate_no certificate_code created_at promoted_at "
     "cancelled_at"},
    {"host_offers", "topics periods note created_at updated_at"},
    {"idempotency_keys", "scope idem_key request_hash state created_at updated_at"},
    {"jobs", "kind status created_at updated_at heartbeat_at"},
    {"login_throttle", "throttle_key window_start locked_until"},
    {"meeting_agenda", "title"},
    {"meeting_attendance", "checked_at"},
    {"meeting_guests", "invited_at"},
    {"meeting_invitees", "source pass_token invited_at reminded_on"},
    {"meeting_materials", "filename content_type sha256 stored_name uploaded_at deleted_at"},
    {"meeting_resolutions", "title kind method rule_text created_at deleted_at"},
    {"meeting_rsvps", "replied_at"},
    {"meetings",
     "kind title starts_at ends_at mode venue rsvp_deadline status description minutes "
     "created_at updated_at"},
    {"member_certificates", "code issued_at"},
    {"member_contacts", "contact_role created_at updated_at"},
    {"member_history", "kind effective_on changed_at"},
    {"member_invoicing", "title tax_no address phone bank_name bank_account updated_at"},
    {"member_status_history", "from_status to_status changed_at"},
    {"members",
     "member_no name short_name uscc org_type org_level city_code address tier status joined_on "
     "sort_key created_at updated_at left_on"},
    {"notification_prefs", "kind channel"},
    {"notification_reads", "read_at"},
    {"notification_templates", "kind locale subject body sms updated_at"},
    {"notifications", "kind entity_type created_at delivered_at action_url link"},
    {"outbox",
     "kind channel message_id status next_attempt_at lease_owner lease_until created_at "
     "updated_at sent_at"},
    {"password_resets", "token_hash created_at expires_at used_at"},
    {"privacy_notices", "text_zh text_en published_at published_by"},
    {"report_dues_months", "month"},
    {"report_group_year", "city_code org_type tier"},
    {"report_member_counts", "city_code org_type org_level tier status"},
    {"report_units", "city_code org_type org_level tier status sort_key"},
    {"retention_runs", "ran_at report"},
    {"rooms", "name location equipment created_at updated_at"},
    {"scheduled_runs", "job due_key claimed_at"},
    {"schema_version", "name applied_at"},
    {"sessions", "token_hash created_at last_seen_at expires_at revoked_at"},
    {"settings", "name value updated_at"},
    {"user_roles", "role"},
    {"user_totp", "confirmed_at created_at"},
    {"users", "username password_hash created_at updated_at locale privacy_accepted_at"},
    {"visit_applications", "created_at"},
    {"visit_attendance", "day half checked_at"},
    {"visit_delegates",
     "status checkin_token decided_at promoted_at withdrawn_at created_at updated_at"},
    {"visit_hosts", "name"},
    {"visit_interests", "topics periods note created_at updated_at"},
    {"visit_itinerary", "day half place activity transport"},
    {"visit_report_files", "filename content_type sha256 stored_name uploaded_at deleted_at"},
    {"visit_topics", "name created_at"},
    {"visits",
     "title theme destination description starts_on ends_on cost_covers apply_deadline "
     "withdraw_cutoff status report_text report_published_at created_at updated_at"},
};

}  // namespace

std::span<const PersonalColumn> personal_columns() { return kPersonal; }

std::span<const NonPersonalColumns> non_personal_columns() { return kNotPersonal; }

}  // namespace xiehui
