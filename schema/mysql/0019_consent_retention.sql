-- Issue 19 (personal information), part 2.
-- The privacy notice, versioned: a form that takes personal data names the version its
-- submitter accepted (consent_version), and an account keeps the version it accepted at
-- sign-in. Version 1 ships here; an admin publishes the next ones.
CREATE TABLE privacy_notices (
  version INTEGER NOT NULL PRIMARY KEY,
  text_zh MEDIUMTEXT NOT NULL,
  text_en MEDIUMTEXT NOT NULL,
  published_at CHAR(26) NOT NULL,
  published_by VARCHAR(200) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO privacy_notices (version, text_zh, text_en, published_at, published_by)
VALUES (1, '湖南省开发区协会个人信息保护声明

一、我们收集哪些信息：会员单位联系人、入会申请联系人、培训学员、考察团成员和参会人员的姓名、职务、手机号码、电子邮箱，以及住宿、饮食等办理具体事项所需的信息。

二、用途：仅用于审核入会申请、联络会员单位、组织培训（名册、签到、结业证书）、组织考察交流和会议（名单、住宿、签到）以及发送相关通知，不用于其他目的，不向第三方提供。

三、谁能看到：协会秘书处工作人员因办理事务可查看完整信息，每次查看均被记录；协会领导查看名册时手机号码和邮箱以遮挡形式显示；会员单位只能看到本单位填报的人员。

四、保存期限：培训学员的联系方式在培训班结束后保存 3 年，考察团成员和参会人员的信息在活动结束后保存 3 年，未通过的入会申请在作出决定后保存 1 年，期满后匿名化处理（结业证书编号和课程保留）。

五、您的权利：您可以向协会秘书处查询、复制、更正或删除您的个人信息。

代为填报他人信息的单位联络人，应事先告知被填报人本声明的内容并征得其同意。', 'Hunan Development Zones Association: personal information notice

1. What we collect: the names, titles, mobile numbers and e-mail addresses of member units'' contacts, applicants'' contacts, trainees, delegates and meeting attendees, and what a particular arrangement needs (lodging, dietary needs).

2. What for: only to review applications, keep in touch with member units, run training (rosters, check-in, certificates), exchange visits and meetings (lists, rooms, check-in) and send the notices that go with them. Nothing else, and nobody outside the association.

3. Who sees it: the secretariat''s staff see it in full for their work, and every such view is logged; the association''s leaders see rosters with mobile numbers and e-mail addresses masked; a member unit sees only the people it entered.

4. How long: trainees'' contact details 3 years after the class ends, delegates'' and attendees'' data 3 years after the visit or meeting, rejected applications 1 year after the decision; then they are anonymised (certificate numbers and courses stay).

5. Your rights: ask the secretariat to see, copy, correct or erase your personal information.

A liaison who enters other people''s data tells them of this notice and has their consent.', '2026-12-01 00:00:00.000000', 'system');

ALTER TABLE applications ADD COLUMN consent_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE enrollments ADD COLUMN consent_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE visit_applications ADD COLUMN consent_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE meeting_rsvps ADD COLUMN consent_version INTEGER NOT NULL DEFAULT 0;
-- A live session of a staff or admin account without a second factor while the setting
-- security.require_two_factor is on (marked when the setting is turned on, or at sign-in): it
-- may only set one up.
ALTER TABLE sessions ADD COLUMN needs_two_factor INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN privacy_version INTEGER NULL;
ALTER TABLE users ADD COLUMN privacy_accepted_at CHAR(26) NULL;

-- Retention runs: what each run (or dry run) anonymised, one line per kind of record.
CREATE TABLE retention_runs (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  ran_at CHAR(26) NOT NULL,
  dry_run INTEGER NOT NULL,
  actor_id BIGINT NULL,
  actor_name VARCHAR(200) NOT NULL,
  total BIGINT NOT NULL,
  report MEDIUMTEXT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX ix_retention_runs_ran_at ON retention_runs (ran_at);

-- The access log is the audit rows of actions personal.* and person.* (GET /api/access-log).
CREATE INDEX ix_audit_log_action ON audit_log (action, id);
