-- Reports (issue 16): aggregates the writes keep current in their own transaction, by triggers,
-- so every report reads a few hundred rows however many units, invoices and sign-ups there are,
-- and is never stale. The *_source views compute the same figures in plain SQL over the base
-- tables: the migration fills the aggregates from them, and a test compares the two after
-- random writes. Both dialects are written by scripts/gen_reports_schema.py: change it, not them.
-- By city, type and tier means the unit's current ones: a member's update moves its figures.
-- Years: a class or meeting by its start in Asia/Shanghai, a visit by its start date, dues by
-- the invoice's year. left_on is the date a unit left (withdrawn, expelled); NULL otherwise.

ALTER TABLE members ADD COLUMN left_on TEXT NULL;
CREATE TABLE report_member_counts (
  city_code TEXT NOT NULL,
  org_type TEXT NOT NULL,
  org_level TEXT NOT NULL,
  tier TEXT NOT NULL,
  status TEXT NOT NULL,
  join_year INTEGER NOT NULL,
  leave_year INTEGER NOT NULL,
  members INTEGER NOT NULL DEFAULT 0,
  CONSTRAINT pk_report_member_counts PRIMARY KEY (city_code, org_type, org_level, tier, status, join_year, leave_year)
);
CREATE TABLE report_unit_year (
  member_id INTEGER NOT NULL,
  year INTEGER NOT NULL,
  dues_invoices INTEGER NOT NULL DEFAULT 0,
  dues_billed_fen INTEGER NOT NULL DEFAULT 0,
  dues_reduced_fen INTEGER NOT NULL DEFAULT 0,
  dues_collected_fen INTEGER NOT NULL DEFAULT 0,
  dues_outstanding_fen INTEGER NOT NULL DEFAULT 0,
  dues_paid_invoices INTEGER NOT NULL DEFAULT 0,
  training_places INTEGER NOT NULL DEFAULT 0,
  training_attended INTEGER NOT NULL DEFAULT 0,
  training_certificates INTEGER NOT NULL DEFAULT 0,
  meeting_invitations INTEGER NOT NULL DEFAULT 0,
  meeting_replies INTEGER NOT NULL DEFAULT 0,
  meeting_attended INTEGER NOT NULL DEFAULT 0,
  visit_delegates INTEGER NOT NULL DEFAULT 0,
  visit_cost_fen INTEGER NOT NULL DEFAULT 0,
  meeting_unanswered INTEGER NOT NULL DEFAULT 0,
  CONSTRAINT pk_report_unit_year PRIMARY KEY (member_id, year)
);
CREATE INDEX ix_report_unit_year_training ON report_unit_year (year, training_places, member_id);
CREATE INDEX ix_report_unit_year_meetings ON report_unit_year (year, meeting_unanswered, member_id);
CREATE INDEX ix_report_unit_year_visits ON report_unit_year (year, visit_delegates, member_id);
CREATE TABLE report_group_year (
  year INTEGER NOT NULL,
  city_code TEXT NOT NULL,
  org_type TEXT NOT NULL,
  tier TEXT NOT NULL,
  dues_invoices INTEGER NOT NULL DEFAULT 0,
  dues_billed_fen INTEGER NOT NULL DEFAULT 0,
  dues_reduced_fen INTEGER NOT NULL DEFAULT 0,
  dues_collected_fen INTEGER NOT NULL DEFAULT 0,
  dues_outstanding_fen INTEGER NOT NULL DEFAULT 0,
  dues_paid_invoices INTEGER NOT NULL DEFAULT 0,
  training_places INTEGER NOT NULL DEFAULT 0,
  training_attended INTEGER NOT NULL DEFAULT 0,
  training_certificates INTEGER NOT NULL DEFAULT 0,
  meeting_invitations INTEGER NOT NULL DEFAULT 0,
  meeting_replies INTEGER NOT NULL DEFAULT 0,
  meeting_attended INTEGER NOT NULL DEFAULT 0,
  visit_delegates INTEGER NOT NULL DEFAULT 0,
  visit_cost_fen INTEGER NOT NULL DEFAULT 0,
  meeting_unanswered INTEGER NOT NULL DEFAULT 0,
  units_dues INTEGER NOT NULL DEFAULT 0,
  units_training INTEGER NOT NULL DEFAULT 0,
  units_invited INTEGER NOT NULL DEFAULT 0,
  units_meetings INTEGER NOT NULL DEFAULT 0,
  units_visits INTEGER NOT NULL DEFAULT 0,
  CONSTRAINT pk_report_group_year PRIMARY KEY (year, city_code, org_type, tier)
);
CREATE TABLE report_units (
  member_id INTEGER NOT NULL PRIMARY KEY,
  city_code TEXT NOT NULL,
  org_type TEXT NOT NULL,
  org_level TEXT NOT NULL,
  tier TEXT NOT NULL,
  status TEXT NOT NULL,
  sort_key TEXT NOT NULL,
  last_active_year INTEGER NOT NULL DEFAULT 0,
  outstanding_fen INTEGER NOT NULL DEFAULT 0,
  oldest_arrears_year INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ix_report_units_drift ON report_units (last_active_year, outstanding_fen DESC, sort_key);
CREATE INDEX ix_report_units_arrears ON report_units (oldest_arrears_year);
CREATE INDEX ix_report_units_status ON report_units (status, last_active_year);
CREATE TABLE report_classes (
  class_id INTEGER NOT NULL,
  year INTEGER NOT NULL,
  places INTEGER NOT NULL DEFAULT 0,
  attended INTEGER NOT NULL DEFAULT 0,
  certificates INTEGER NOT NULL DEFAULT 0,
  CONSTRAINT pk_report_classes PRIMARY KEY (class_id, year)
);
CREATE INDEX ix_report_classes_year ON report_classes (year);
CREATE TABLE report_dues_months (
  month TEXT NOT NULL PRIMARY KEY,
  billed_fen INTEGER NOT NULL DEFAULT 0,
  collected_fen INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ix_classes_starts ON classes (starts_at);
CREATE INDEX ix_visits_starts ON visits (starts_on);

CREATE TRIGGER trg_report_members_insert AFTER INSERT ON members
BEGIN
  INSERT INTO report_member_counts (city_code, org_type, org_level, tier, status, join_year, leave_year, members)
    SELECT NEW.city_code, NEW.org_type, NEW.org_level, NEW.tier, NEW.status, CAST(substr(NEW.joined_on, 1, 4) AS INTEGER), COALESCE(CAST(substr(NEW.left_on, 1, 4) AS INTEGER), 0), 1 WHERE 1 = 1
    ON CONFLICT (city_code, org_type, org_level, tier, status, join_year, leave_year) DO UPDATE SET members = members + excluded.members;
  INSERT INTO report_units (member_id, city_code, org_type, org_level, tier, status, sort_key, last_active_year, outstanding_fen, oldest_arrears_year) VALUES (NEW.id, NEW.city_code, NEW.org_type, NEW.org_level, NEW.tier, NEW.status, NEW.sort_key, 0, 0, 0);
END;

CREATE TRIGGER trg_report_members_update AFTER UPDATE ON members
BEGIN
  INSERT INTO report_member_counts (city_code, org_type, org_level, tier, status, join_year, leave_year, members)
    SELECT OLD.city_code, OLD.org_type, OLD.org_level, OLD.tier, OLD.status, CAST(substr(OLD.joined_on, 1, 4) AS INTEGER), COALESCE(CAST(substr(OLD.left_on, 1, 4) AS INTEGER), 0), -1 WHERE 1 = 1
    ON CONFLICT (city_code, org_type, org_level, tier, status, join_year, leave_year) DO UPDATE SET members = members + excluded.members;
  INSERT INTO report_member_counts (city_code, org_type, org_level, tier, status, join_year, leave_year, members)
    SELECT NEW.city_code, NEW.org_type, NEW.org_level, NEW.tier, NEW.status, CAST(substr(NEW.joined_on, 1, 4) AS INTEGER), COALESCE(CAST(substr(NEW.left_on, 1, 4) AS INTEGER), 0), 1 WHERE 1 = 1
    ON CONFLICT (city_code, org_type, org_level, tier, status, join_year, leave_year) DO UPDATE SET members = members + excluded.members;
  INSERT INTO report_group_year (year, city_code, org_type, tier, dues_invoices, dues_billed_fen, dues_reduced_fen, dues_collected_fen, dues_outstanding_fen, dues_paid_invoices, training_places, training_attended, training_certificates, meeting_invitations, meeting_replies, meeting_attended, visit_delegates, visit_cost_fen, meeting_unanswered, units_dues, units_training, units_invited, units_meetings, units_visits)
    SELECT u.year, OLD.city_code, OLD.org_type, OLD.tier, -u.dues_invoices, -u.dues_billed_fen, -u.dues_reduced_fen, -u.dues_collected_fen, -u.dues_outstanding_fen, -u.dues_paid_invoices, -u.training_places, -u.training_attended, -u.training_certificates, -u.meeting_invitations, -u.meeting_replies, -u.meeting_attended, -u.visit_delegates, -u.visit_cost_fen, -u.meeting_unanswered, -(u.dues_invoices > 0), -(u.training_places > 0), -(u.meeting_invitations > 0), -(u.meeting_replies + u.meeting_attended > 0), -(u.visit_delegates > 0) FROM report_unit_year u WHERE u.member_id = OLD.id AND (OLD.city_code IS NOT NEW.city_code OR OLD.org_type IS NOT NEW.org_type OR OLD.tier IS NOT NEW.tier)
    ON CONFLICT (year, city_code, org_type, tier) DO UPDATE SET dues_invoices = dues_invoices + excluded.dues_invoices, dues_billed_fen = dues_billed_fen + excluded.dues_billed_fen, dues_reduced_fen = dues_reduced_fen + excluded.dues_reduced_fen, dues_collected_fen = dues_collected_fen + excluded.dues_collected_fen, dues_outstanding_fen = dues_outstanding_fen + excluded.dues_outstanding_fen, dues_paid_invoices = dues_paid_invoices + excluded.dues_paid_invoices, training_places = training_places + excluded.training_places, training_attended = training_attended + excluded.training_attended, training_certificates = training_certificates + excluded.training_certificates, meeting_invitations = meeting_invitations + excluded.meeting_invitations, meeting_replies = meeting_replies + excluded.meeting_replies, meeting_attended = meeting_attended + excluded.meeting_attended, visit_delegates = visit_delegates + excluded.visit_delegates, visit_cost_fen = visit_cost_fen + excluded.visit_cost_fen, meeting_unanswered = meeting_unanswered + excluded.meeting_unanswered, units_dues = units_dues + excluded.units_dues, units_training = units_training + excluded.units_training, units_invited = units_invited + excluded.units_invited, units_meetings = units_meetings + excluded.units_meetings, units_visits = units_visits + excluded.units_visits;
  INSERT INTO report_group_year (year, city_code, org_type, tier, dues_invoices, dues_billed_fen, dues_reduced_fen, dues_collected_fen, dues_outstanding_fen, dues_paid_invoices, training_places, training_attended, training_certificates, meeting_invitations, meeting_replies, meeting_attended, visit_delegates, visit_cost_fen, meeting_unanswered, units_dues, units_training, units_invited, units_meetings, units_visits)
    SELECT u.year, NEW.city_code, NEW.org_type, NEW.tier, u.dues_invoices, u.dues_billed_fen, u.dues_reduced_fen, u.dues_collected_fen, u.dues_outstanding_fen, u.dues_paid_invoices, u.training_places, u.training_attended, u.training_certificates, u.meeting_invitations, u.meeting_replies, u.meeting_attended, u.visit_delegates, u.visit_cost_fen, u.meeting_unanswered, (u.dues_invoices > 0), (u.training_places > 0), (u.meeting_invitations > 0), (u.meeting_replies + u.meeting_attended > 0), (u.visit_delegates > 0) FROM report_unit_year u WHERE u.member_id = NEW.id AND (OLD.city_code IS NOT NEW.city_code OR OLD.org_type IS NOT NEW.org_type OR OLD.tier IS NOT NEW.tier)
    ON CONFLICT (year, city_code, org_type, tier) DO UPDATE SET dues_invoices = dues_invoices + excluded.dues_invoices, dues_billed_fen = dues_billed_fen + excluded.dues_billed_fen, dues_reduced_fen = dues_reduced_fen + excluded.dues_reduced_fen, dues_collected_fen = dues_collected_fen + excluded.dues_collected_fen, dues_outstanding_fen = dues_outstanding_fen + excluded.dues_outstanding_fen, dues_paid_invoices = dues_paid_invoices + excluded.dues_paid_invoices, training_places = training_places + excluded.training_places, training_attended = training_attended + excluded.training_attended, training_certificates = training_certificates + excluded.training_certificates, meeting_invitations = meeting_invitations + excluded.meeting_invitations, meeting_replies = meeting_replies + excluded.meeting_replies, meeting_attended = meeting_attended + excluded.meeting_attended, visit_delegates = visit_delegates + excluded.visit_delegates, visit_cost_fen = visit_cost_fen + excluded.visit_cost_fen, meeting_unanswered = meeting_unanswered + excluded.meeting_unanswered, units_dues = units_dues + excluded.units_dues, units_training = units_training + excluded.units_training, units_invited = units_invited + excluded.units_invited, units_meetings = units_meetings + excluded.units_meetings, units_visits = units_visits + excluded.units_visits;
  UPDATE report_units SET city_code = NEW.city_code, org_type = NEW.org_type, org_level = NEW.org_level, tier = NEW.tier, status = NEW.status, sort_key = NEW.sort_key WHERE member_id = NEW.id;
END;

CREATE TRIGGER trg_report_members_delete AFTER DELETE ON members
BEGIN
  INSERT INTO report_member_counts (city_code, org_type, org_level, tier, status, join_year, leave_year, members)
    SELECT OLD.city_code, OLD.org_type, OLD.org_level, OLD.tier, OLD.status, CAST(substr(OLD.joined_on, 1, 4) AS INTEGER), COALESCE(CAST(substr(OLD.left_on, 1, 4) AS INTEGER), 0), -1 WHERE 1 = 1
    ON CONFLICT (city_code, org_type, org_level, tier, status, join_year, leave_year) DO UPDATE SET members = members + excluded.members;
  DELETE FROM report_units WHERE member_id = OLD.id;
END;

CREATE TRIGGER trg_report_unit_year_insert AFTER INSERT ON report_unit_year
BEGIN
  INSERT INTO report_group_year (year, city_code, org_type, tier, dues_invoices, dues_billed_fen, dues_reduced_fen, dues_collected_fen, dues_outstanding_fen, dues_paid_invoices, training_places, training_attended, training_certificates, meeting_invitations, meeting_replies, meeting_attended, visit_delegates, visit_cost_fen, meeting_unanswered, units_dues, units_training, units_invited, units_meetings, units_visits)
    SELECT NEW.year, m.city_code, m.org_type, m.tier, NEW.dues_invoices, NEW.dues_billed_fen, NEW.dues_reduced_fen, NEW.dues_collected_fen, NEW.dues_outstanding_fen, NEW.dues_paid_invoices, NEW.training_places, NEW.training_attended, NEW.training_certificates, NEW.meeting_invitations, NEW.meeting_replies, NEW.meeting_attended, NEW.visit_delegates, NEW.visit_cost_fen, NEW.meeting_unanswered, (NEW.dues_invoices > 0), (NEW.training_places > 0), (NEW.meeting_invitations > 0), (NEW.meeting_replies + NEW.meeting_attended > 0), (NEW.visit_delegates > 0) FROM members m WHERE m.id = NEW.member_id
    ON CONFLICT (year, city_code, org_type, tier) DO UPDATE SET dues_invoices = dues_invoices + excluded.dues_invoices, dues_billed_fen = dues_billed_fen + excluded.dues_billed_fen, dues_reduced_fen = dues_reduced_fen + excluded.dues_reduced_fen, dues_collected_fen = dues_collected_fen + excluded.dues_collected_fen, dues_outstanding_fen = dues_outstanding_fen + excluded.dues_outstanding_fen, dues_paid_invoices = dues_paid_invoices + excluded.dues_paid_invoices, training_places = training_places + excluded.training_places, training_attended = training_attended + excluded.training_attended, training_certificates = training_certificates + excluded.training_certificates, meeting_invitations = meeting_invitations + excluded.meeting_invitations, meeting_replies = meeting_replies + excluded.meeting_replies, meeting_attended = meeting_attended + excluded.meeting_attended, visit_delegates = visit_delegates + excluded.visit_delegates, visit_cost_fen = visit_cost_fen + excluded.visit_cost_fen, meeting_unanswered = meeting_unanswered + excluded.meeting_unanswered, units_dues = units_dues + excluded.units_dues, units_training = units_training + excluded.units_training, units_invited = units_invited + excluded.units_invited, units_meetings = units_meetings + excluded.units_meetings, units_visits = units_visits + excluded.units_visits;
  UPDATE report_units SET last_active_year = COALESCE((SELECT MAX(u.year) FROM report_unit_year u WHERE u.member_id = NEW.member_id AND u.training_places + u.meeting_replies + u.meeting_attended + u.visit_delegates > 0), 0), outstanding_fen = COALESCE((SELECT SUM(u.dues_outstanding_fen) FROM report_unit_year u WHERE u.member_id = NEW.member_id), 0), oldest_arrears_year = COALESCE((SELECT MIN(u.year) FROM report_unit_year u WHERE u.member_id = NEW.member_id AND u.dues_outstanding_fen > 0), 0) WHERE member_id = NEW.member_id;
END;

CREATE TRIGGER trg_report_unit_year_update AFTER UPDATE ON report_unit_year
BEGIN
  INSERT INTO report_group_year (year, city_code, org_type, tier, dues_invoices, dues_billed_fen, dues_reduced_fen, dues_collected_fen, dues_outstanding_fen, dues_paid_invoices, training_places, training_attended, training_certificates, meeting_invitations, meeting_replies, meeting_attended, visit_delegates, visit_cost_fen, meeting_unanswered, units_dues, units_training, units_invited, units_meetings, units_visits)
    SELECT NEW.year, m.city_code, m.org_type, m.tier, NEW.dues_invoices - OLD.dues_invoices, NEW.dues_billed_fen - OLD.dues_billed_fen, NEW.dues_reduced_fen - OLD.dues_reduced_fen, NEW.dues_collected_fen - OLD.dues_collected_fen, NEW.dues_outstanding_fen - OLD.dues_outstanding_fen, NEW.dues_paid_invoices - OLD.dues_paid_invoices, NEW.training_places - OLD.training_places, NEW.training_attended - OLD.training_attended, NEW.training_certificates - OLD.training_certificates, NEW.meeting_invitations - OLD.meeting_invitations, NEW.meeting_replies - OLD.meeting_replies, NEW.meeting_attended - OLD.meeting_attended, NEW.visit_delegates - OLD.visit_delegates, NEW.visit_cost_fen - OLD.visit_cost_fen, NEW.meeting_unanswered - OLD.meeting_unanswered, (NEW.dues_invoices > 0) - (OLD.dues_invoices > 0), (NEW.training_places > 0) - (OLD.training_places > 0), (NEW.meeting_invitations > 0) - (OLD.meeting_invitations > 0), (NEW.meeting_replies + NEW.meeting_attended > 0) - (OLD.meeting_replies + OLD.meeting_attended > 0), (NEW.visit_delegates > 0) - (OLD.visit_delegates > 0) FROM members m WHERE m.id = NEW.member_id
    ON CONFLICT (year, city_code, org_type, tier) DO UPDATE SET dues_invoices = dues_invoices + excluded.dues_invoices, dues_billed_fen = dues_billed_fen + excluded.dues_billed_fen, dues_reduced_fen = dues_reduced_fen + excluded.dues_reduced_fen, dues_collected_fen = dues_collected_fen + excluded.dues_collected_fen, dues_outstanding_fen = dues_outstanding_fen + excluded.dues_outstanding_fen, dues_paid_invoices = dues_paid_invoices + excluded.dues_paid_invoices, training_places = training_places + excluded.training_places, training_attended = training_attended + excluded.training_attended, training_certificates = training_certificates + excluded.training_certificates, meeting_invitations = meeting_invitations + excluded.meeting_invitations, meeting_replies = meeting_replies + excluded.meeting_replies, meeting_attended = meeting_attended + excluded.meeting_attended, visit_delegates = visit_delegates + excluded.visit_delegates, visit_cost_fen = visit_cost_fen + excluded.visit_cost_fen, meeting_unanswered = meeting_unanswered + excluded.meeting_unanswered, units_dues = units_dues + excluded.units_dues, units_training = units_training + excluded.units_training, units_invited = units_invited + excluded.units_invited, units_meetings = units_meetings + excluded.units_meetings, units_visits = units_visits + excluded.units_visits;
  UPDATE report_units SET last_active_year = COALESCE((SELECT MAX(u.year) FROM report_unit_year u WHERE u.member_id = NEW.member_id AND u.training_places + u.meeting_replies + u.meeting_attended + u.visit_delegates > 0), 0), outstanding_fen = COALESCE((SELECT SUM(u.dues_outstanding_fen) FROM report_unit_year u WHERE u.member_id = NEW.member_id), 0), oldest_arrears_year = COALESCE((SELECT MIN(u.year) FROM report_unit_year u WHERE u.member_id = NEW.member_id AND u.dues_outstanding_fen > 0), 0) WHERE member_id = NEW.member_id;
END;

CREATE TRIGGER trg_report_invoices_insert AFTER INSERT ON dues_invoices
BEGIN
  INSERT INTO report_unit_year (member_id, year, dues_invoices, dues_billed_fen, dues_reduced_fen, dues_collected_fen, dues_outstanding_fen, dues_paid_invoices, training_places, training_attended, training_certificates, meeting_invitations, meeting_replies, meeting_attended, visit_delegates, visit_cost_fen, meeting_unanswered)
    SELECT NEW.member_id, NEW.year, (NEW.status <> 'void'), (CASE WHEN NEW.status <> 'void' THEN NEW.amount_fen ELSE 0 END), (CASE WHEN NEW.status <> 'void' THEN NEW.reduced_fen ELSE 0 END), (CASE WHEN NEW.status <> 'void' THEN NEW.paid_fen ELSE 0 END), (CASE WHEN NEW.status IN ('unpaid', 'partial') THEN NEW.amount_fen - NEW.reduced_fen - NEW.paid_fen ELSE 0 END), (NEW.status = 'paid'), 0, 0, 0, 0, 0, 0, 0, 0, 0 WHERE 1 = 1
    ON CONFLICT (member_id, year) DO UPDATE SET dues_invoices = dues_invoices + excluded.dues_invoices, dues_billed_fen = dues_billed_fen + excluded.dues_billed_fen, dues_reduced_fen = dues_reduced_fen + excluded.dues_reduced_fen, dues_collected_fen = dues_collected_fen + excluded.dues_collected_fen, dues_outstanding_fen = dues_outstanding_fen + excluded.dues_outstanding_fen, dues_paid_invoices = dues_paid_invoices + excluded.dues_paid_invoices, training_places = training_places + excluded.training_places, training_attended = training_attended + excluded.training_attended, training_certificates = training_certificates + excluded.training_certificates, meeting_invitations = meeting_invitations + excluded.meeting_invitations, meeting_replies = meeting_replies + excluded.meeting_replies, meeting_attended = meeting_attended + excluded.meeting_attended, visit_delegates = visit_delegates + excluded.visit_delegates, visit_cost_fen = visit_cost_fen + excluded.visit_cost_fen, meeting_unanswered = meeting_unanswered + excluded.meeting_unanswered;
  INSERT INTO report_dues_months (month, billed_fen, collected_fen)
    SELECT substr(NEW.issued_on, 1, 7), (CASE WHEN NEW.status <> 'void' THEN NEW.amount_fen ELSE 0 END), 0 WHERE 1 = 1
    ON CONFLICT (month) DO UPDATE SET billed_fen = billed_fen + excluded.billed_fen, collected_fen = collected_fen + excluded.collected_fen;
END;

CREATE TRIGGER trg_report_invoices_update AFTER UPDATE ON dues_invoices
BEGIN
  INSERT INTO report_unit_year (member_id, year, dues_invoices, dues_billed_fen, dues_reduced_fen, dues_collected_fen, dues_outstanding_fen, dues_paid_invoices, training_places, training_attended, training_certificates, meeting_invitations, meeting_replies, meeting_attended, visit_delegates, visit_cost_fen, meeting_unanswered)
    SELECT OLD.member_id, OLD.year, -(OLD.status <> 'void'), -(CASE WHEN OLD.status <> 'void' THEN OLD.amount_fen ELSE 0 END), -(CASE WHEN OLD.status <> 'void' THEN OLD.reduced_fen ELSE 0 END), -(CASE WHEN OLD.status <> 'void' THEN OLD.paid_fen ELSE 0 END), -(CASE WHEN OLD.status IN ('unpaid', 'partial') THEN OLD.amount_fen - OLD.reduced_fen - OLD.paid_fen ELSE 0 END), -(OLD.status = 'paid'), 0, 0, 0, 0, 0, 0, 0, 0, 0 WHERE 1 = 1
    ON CONFLICT (member_id, year) DO UPDATE SET dues_invoices = dues_invoices + excluded.dues_invoices, dues_billed_fen = dues_billed_fen + excluded.dues_billed_fen, dues_reduced_fen = dues_reduced_fen + excluded.dues_reduced_fen, dues_collected_fen = dues_collected_fen + excluded.dues_collected_fen, dues_outstanding_fen = dues_outstanding_fen + excluded.dues_outstanding_fen, dues_paid_invoices = dues_paid_invoices + excluded.dues_paid_invoices, training_places = training_places + excluded.training_places, training_attended = training_attended + excluded.training_attended, training_certificates = training_certificates + excluded.training_certificates, meeting_invitations = meeting_invitations + excluded.meeting_invitations, meeting_replies = meeting_replies + excluded.meeting_replies, meeting_attended = meeting_attended + excluded.meeting_attended, visit_delegates = visit_delegates + excluded.visit_delegates, visit_cost_fen = visit_cost_fen + excluded.visit_cost_fen, meeting_unanswered = meeting_unanswered + excluded.meeting_unanswered;
  INSERT INTO report_unit_year (member_id, year, dues_invoices, dues_billed_fen, dues_reduced_fen, dues_collected_fen, dues_outstanding_fen, dues_paid_invoices, training_places, training_attended, training_certificates, meeting_invitations, meeting_replies, meeting_attended, visit_delegates, visit_cost_fen, meeting_unanswered)
    SELECT NEW.member_id, NEW.year, (NEW.status <> 'void'), (CASE WHEN NEW.status <> 'void' THEN NEW.amount_fen ELSE 0 END), (CASE WHEN NEW.status <> 'void' THEN NEW.reduced_fen ELSE 0 END), (CASE WHEN NEW.status <> 'void' THEN NEW.paid_fen ELSE 0 END), (CASE WHEN NEW.status IN ('unpaid', 'partial') THEN NEW.amount_fen - NEW.reduced_fen - NEW.paid_fen ELSE 0 END), (NEW.status = 'paid'), 0, 0, 0, 0, 0, 0, 0, 0, 0 WHERE 1 = 1
    ON CONFLICT (member_id, year) DO UPDATE SET dues_invoices = dues_invoices + excluded.dues_invoices, dues_billed_fen = dues_billed_fen + excluded.dues_billed_fen, dues_reduced_fen = dues_reduced_fen + excluded.dues_reduced_fen, dues_collected_fen = dues_collected_fen + excluded.dues_collected_fen, dues_outstanding_fen = dues_outstanding_fen + excluded.dues_outstanding_fen, dues_paid_invoices = dues_paid_invoices + excluded.dues_paid_invoices, training_places = training_places + excluded.training_places, training_attended = training_attended + excluded.training_attended, training_certificates = training_certificates + excluded.training_certificates, meeting_invitations = meeting_invitations + excluded.meeting_invitations, meeting_replies = meeting_replies + excluded.meeting_replies, meeting_attended = meeting_attended + excluded.meeting_attended, visit_delegates = visit_delegates + excluded.visit_delegates, visit_cost_fen = visit_cost_fen + excluded.visit_cost_fen, meeting_unanswered = meeting_unanswered + excluded.meeting_unanswered;
  INSERT INTO report_dues_months (month, billed_fen, collected_fen)
    SELECT substr(OLD.issued_on, 1, 7), -(CASE WHEN OLD.status <> 'void' THEN OLD.amount_fen ELSE 0 END), 0 WHERE 1 = 1
    ON CONFLICT (month) DO UPDATE SET billed_fen = billed_fen + excluded.billed_fen, collected_fen = collected_fen + excluded.collected_fen;
  INSERT INTO report_dues_months (month, billed_fen, collected_fen)
    SELECT substr(NEW.issued_on, 1, 7), (CASE WHEN NEW.status <> 'void' THEN NEW.amount_fen ELSE 0 END), 0 WHERE 1 = 1
    ON CONFLICT (month) DO UPDATE SET billed_fen = billed_fen + excluded.billed_fen, collected_fen = collected_fen + excluded.collected_fen;
END;

CREATE TRIGGER trg_report_invoices_delete AFTER DELETE ON dues_invoices
BEGIN
  INSERT INTO report_unit_year (member_id, year, dues_invoices, dues_billed_fen, dues_reduced_fen, dues_collected_fen, dues_outstanding_fen, dues_paid_invoices, training_places, training_attended, training_certificates, meeting_invitations, meeting_replies, meeting_attended, visit_delegates, visit_cost_fen, meeting_unanswered)
    SELECT OLD.member_id, OLD.year, -(OLD.status <> 'void'), -(CASE WHEN OLD.status <> 'void' THEN OLD.amount_fen ELSE 0 END), -(CASE WHEN OLD.status <> 'void' THEN OLD.reduced_fen ELSE 0 END), -(CASE WHEN OLD.status <> 'void' THEN OLD.paid_fen ELSE 0 END), -(CASE WHEN OLD.status IN ('unpaid', 'partial') THEN OLD.amount_fen - OLD.reduced_fen - OLD.paid_fen ELSE 0 END), -(OLD.status = 'paid'), 0, 0, 0, 0, 0, 0, 0, 0, 0 WHERE 1 = 1
    ON CONFLICT (member_id, year) DO UPDATE SET dues_invoices = dues_invoices + excluded.dues_invoices, dues_billed_fen = dues_billed_fen + excluded.dues_billed_fen, dues_reduced_fen = dues_reduced_fen + excluded.dues_reduced_fen, dues_collected_fen = dues_collected_fen + excluded.dues_collected_fen, dues_outstanding_fen = dues_outstanding_fen + excluded.dues_outstanding_fen, dues_paid_invoices = dues_paid_invoices + excluded.dues_paid_invoices, training_places = training_places + excluded.training_places, training_attended = training_attended + excluded.training_attended, training_certificates = training_certificates + excluded.training_certificates, meeting_invitations = meeting_invitations + excluded.meeting_invitations, meeting_replies = meeting_replies + excluded.meeting_replies, meeting_attended = meeting_attended + excluded.meeting_attended, visit_delegates = visit_delegates + excluded.visit_delegates, visit_cost_fen = visit_cost_fen + excluded.visit_cost_fen, meeting_unanswered = meeting_unanswered + excluded.meeting_unanswered;
  INSERT INTO report_dues_months (month, billed_fen, collected_fen)
    SELECT substr(OLD.issued_on, 1, 7), -(CASE WHEN OLD.status <> 'void' THEN OLD.amount_fen ELSE 0 END), 0 WHERE 1 = 1
    ON CONFLICT (month) DO UPDATE SET billed_fen = billed_fen + excluded.billed_fen, collected_fen = collected_fen + excluded.collected_fen;
END;

CREATE TRIGGER trg_report_payments_insert AFTER INSERT ON dues_payments
BEGIN
  INSERT INTO report_dues_months (month, billed_fen, collected_fen)
    SELECT substr(NEW.paid_on, 1, 7), 0, (CASE WHEN NEW.status = 'valid' THEN NEW.amount_fen ELSE 0 END) WHERE 1 = 1
    ON CONFLICT (month) DO UPDATE SET billed_fen = billed_fen + excluded.billed_fen, collected_fen = collected_fen + excluded.collected_fen;
END;

CREATE TRIGGER trg_report_payments_update AFTER UPDATE ON dues_payments
BEGIN
  INSERT INTO report_dues_months (month, billed_fen, collected_fen)
    SELECT substr(OLD.paid_on, 1, 7), 0, -(CASE WHEN OLD.status = 'valid' THEN OLD.amount_fen ELSE 0 END) WHERE 1 = 1
    ON CONFLICT (month) DO UPDATE SET billed_fen = billed_fen + excluded.billed_fen, collected_fen = collected_fen + excluded.collected_fen;
  INSERT INTO report_dues_months (month, billed_fen, collected_fen)
    SELECT substr(NEW.paid_on, 1, 7), 0, (CASE WHEN NEW.status = 'valid' THEN NEW.amount_fen ELSE 0 END) WHERE 1 = 1
    ON CONFLICT (month) DO UPDATE SET billed_fen = billed_fen + excluded.billed_fen, collected_fen = collected_fen + excluded.collected_fen;
END;

CREATE TRIGGER trg_report_payments_delete AFTER DELETE ON dues_payments
BEGIN
  INSERT INTO report_dues_months (month, billed_fen, collected_fen)
    SELECT substr(OLD.paid_on, 1, 7), 0, -(CASE WHEN OLD.status = 'valid' THEN OLD.amount_fen ELSE 0 END) WHERE 1 = 1
    ON CONFLICT (month) DO UPDATE SET billed_fen = billed_fen + excluded.billed_fen, collected_fen = collected_fen + excluded.collected_fen;
END;

CREATE TRIGGER trg_report_enrollments_insert AFTER INSERT ON enrollments
BEGIN
  INSERT INTO report_unit_year (member_id, year, dues_invoices, dues_billed_fen, dues_reduced_fen, dues_collected_fen, dues_outstanding_fen, dues_paid_invoices, training_places, training_attended, training_certificates, meeting_invitations, meeting_replies, meeting_attended, visit_delegates, visit_cost_fen, meeting_unanswered)
    SELECT NEW.member_id, (SELECT CAST(strftime('%Y', c.starts_at, '+8 hours') AS INTEGER) FROM classes c WHERE c.id = NEW.class_id), 0, 0, 0, 0, 0, 0, (NEW.status = 'confirmed'), (NEW.status = 'confirmed' AND EXISTS (SELECT 1 FROM attendance a WHERE a.enrollment_id = NEW.id)), (NEW.certificate_code IS NOT NULL), 0, 0, 0, 0, 0, 0 WHERE NEW.member_id IS NOT NULL
    ON CONFLICT (member_id, year) DO UPDATE SET dues_invoices = dues_invoices + excluded.dues_invoices, dues_billed_fen = dues_billed_fen + excluded.dues_billed_fen, dues_reduced_fen = dues_reduced_fen + excluded.dues_reduced_fen, dues_collected_fen = dues_collected_fen + excluded.dues_collected_fen, dues_outstanding_fen = dues_outstanding_fen + excluded.dues_outstanding_fen, dues_paid_invoices = dues_paid_invoices + excluded.dues_paid_invoices, training_places = training_places + excluded.training_places, training_attended = training_attended + excluded.training_attended, training_certificates = training_certificates + excluded.training_certificates, meeting_invitations = meeting_invitations + excluded.meeting_invitations, meeting_replies = meeting_replies + excluded.meeting_replies, meeting_attended = meeting_attended + excluded.meeting_attended, visit_delegates = visit_delegates + excluded.visit_delegates, visit_cost_fen = visit_cost_fen + excluded.visit_cost_fen, meeting_unanswered = meeting_unanswered + excluded.meeting_unanswered;
  INSERT INTO report_classes (class_id, year, places, attended, certificates)
    SELECT NEW.class_id, (SELECT CAST(strftime('%Y', c.starts_at, '+8 hours') AS INTEGER) FROM classes c WHERE c.id = NEW.class_id), (NEW.status = 'confirmed'), (NEW.status = 'confirmed' AND EXISTS (SELECT 1 FROM attendance a WHERE a.enrollment_id = NEW.id)), (NEW.certificate_code IS NOT NULL) WHERE 1 = 1
    ON CONFLICT (class_id, year) DO UPDATE SET places = places + excluded.places, attended = attended + excluded.attended, certificates = certificates + excluded.certificates;
END;

CREATE TRIGGER trg_report_enrollments_update AFTER UPDATE ON enrollments
BEGIN
  INSERT INTO report_unit_year (member_id, year, dues_invoices, dues_billed_fen, dues_reduced_fen, dues_collected_fen, dues_outstanding_fen, dues_paid_invoices, training_places, training_attended, training_certificates, meeting_invitations, meeting_replies, meeting_attended, visit_delegates, visit_cost_fen, meeting_unanswered)
    SELECT OLD.member_id, (SELECT CAST(strftime('%Y', c.starts_at, '+8 hours') AS INTEGER) FROM classes c WHERE c.id = OLD.class_id), 0, 0, 0, 0, 0, 0, -(OLD.status = 'confirmed'), -(OLD.status = 'confirmed' AND EXISTS (SELECT 1 FROM attendance a WHERE a.enrollment_id = OLD.id)), -(OLD.certificate_code IS NOT NULL), 0, 0, 0, 0, 0, 0 WHERE OLD.member_id IS NOT NULL
    ON CONFLICT (member_id, year) DO UPDATE SET dues_invoices = dues_invoices + excluded.dues_invoices, dues_billed_fen = dues_billed_fen + excluded.dues_billed_fen, dues_reduced_fen = dues_reduced_fen + excluded.dues_reduced_fen, dues_collected_fen = dues_collected_fen + excluded.dues_collected_fen, dues_outstanding_fen = dues_outstanding_fen + excluded.dues_outstanding_fen, dues_paid_invoices = dues_paid_invoices + excluded.dues_paid_invoices, training_places = training_places + excluded.training_places, training_attended = training_attended + excluded.training_attended, training_certificates = training_certificates + excluded.training_certificates, meeting_invitations = meeting_invitations + excluded.meeting_invitations, meeting_replies = meeting_replies + excluded.meeting_replies, meeting_attended = meeting_attended + excluded.meeting_attended, visit_delegates = visit_delegates + excluded.visit_delegates, visit_cost_fen = visit_cost_fen + excluded.visit_cost_fen, meeting_unanswered = meeting_unanswered + excluded.meeting_unanswered;
  INSERT INTO report_unit_year (member_id, year, dues_invoices, dues_billed_fen, dues_reduced_fen, dues_collected_fen, dues_outstanding_fen, dues_paid_invoices, training_places, training_attended, training_certificates, meeting_invitations, meeting_replies, meeting_attended, visit_delegates, visit_cost_fen, meeting_unanswered)
    SELECT NEW.member_id, (SELECT CAST(strftime('%Y', c.starts_at, '+8 hours') AS INTEGER) FROM classes c WHERE c.id = NEW.class_id), 0, 0, 0, 0, 0, 0, (NEW.status = 'confirmed'), (NEW.status = 'confirmed' AND EXISTS (SELECT 1 FROM attendance a WHERE a.enrollment_id = NEW.id)), (NEW.certificate_code IS NOT NULL), 0, 0, 0, 0, 0, 0 WHERE NEW.member_id IS NOT NULL
    ON CONFLICT (member_id, year) DO UPDATE SET dues_invoices = dues_invoices + excluded.dues_invoices, dues_billed_fen = dues_billed_fen + excluded.dues_billed_fen, dues_reduced_fen = dues_reduced_fen + excluded.dues_reduced_fen, dues_collected_fen = dues_collected_fen + excluded.dues_collected_fen, dues_outstanding_fen = dues_outstanding_fen + excluded.dues_outstanding_fen, dues_paid_invoices = dues_paid_invoices + excluded.dues_paid_invoices, training_places = training_places + excluded.training_places, training_attended = training_attended + excluded.training_attended, training_certificates = training_certificates + excluded.training_certificates, meeting_invitations = meeting_invitations + excluded.meeting_invitations, meeting_replies = meeting_replies + excluded.meeting_replies, meeting_attended = meeting_attended + excluded.meeting_attended, visit_delegates = visit_delegates + excluded.visit_delegates, visit_cost_fen = visit_cost_fen + excluded.visit_cost_fen, meeting_unanswered = meeting_unanswered + excluded.meeting_unanswered;
  INSERT INTO report_classes (class_id, year, places, attended, certificates)
    SELECT OLD.class_id, (SELECT CAST(strftime('%Y', c.starts_at, '+8 hours') AS INTEGER) FROM classes c WHERE c.id = OLD.class_id), -(OLD.status = 'confirmed'), -(OLD.status = 'confirmed' AND EXISTS (SELECT 1 FROM attendance a WHERE a.enrollment_id = OLD.id)), -(OLD.certificate_code IS NOT NULL) WHERE 1 = 1
    ON CONFLICT (class_id, year) DO UPDATE SET places = places + excluded.places, attended = attended + excluded.attended, certificates = certificates + excluded.certificates;
  INSERT INTO report_classes (class_id, year, places, attended, certificates)
    SELECT NEW.class_id, (SELECT CAST(strftime('%Y', c.starts_at, '+8 hours') AS INTEGER) FROM classes c WHERE c.id = NEW.class_id), (NEW.status = 'confirmed'), (NEW.status = 'confirmed' AND EXISTS (SELECT 1 FROM attendance a WHERE a.enrollment_id = NEW.id)), (NEW.certificate_code IS NOT NULL) WHERE 1 = 1
    ON CONFLICT (class_id, year) DO UPDATE SET places = places + excluded.places, attended = attended + excluded.attended, certificates = certificates + excluded.certificates;
END;

CREATE TRIGGER trg_report_enrollments_delete AFTER DELETE ON enrollments
BEGIN
  INSERT INTO report_unit_year (member_id, year, dues_invoices, dues_billed_fen, dues_reduced_fen, dues_collected_fen, dues_outstanding_fen, dues_paid_invoices, training_places, training_attended, training_certificates, meeting_invitations, meeting_replies, meeting_attended, visit_delegates, visit_cost_fen, meeting_unanswered)
    SELECT OLD.member_id, (SELECT CAST(strftime('%Y', c.starts_at, '+8 hours') AS INTEGER) FROM classes c WHERE c.id = OLD.class_id), 0, 0, 0, 0, 0, 0, -(OLD.status = 'confirmed'), -(OLD.status = 'confirmed' AND EXISTS (SELECT 1 FROM attendance a WHERE a.enrollment_id = OLD.id)), -(OLD.certificate_code IS NOT NULL), 0, 0, 0, 0, 0, 0 WHERE OLD.member_id IS NOT NULL
    ON CONFLICT (member_id, year) DO UPDATE SET dues_invoices = dues_invoices + excluded.dues_invoices, dues_billed_fen = dues_billed_fen + excluded.dues_billed_fen, dues_reduced_fen = dues_reduced_fen + excluded.dues_reduced_fen, dues_collected_fen = dues_collected_fen + excluded.dues_collected_fen, dues_outstanding_fen = dues_outstanding_fen + excluded.dues_outstanding_fen, dues_paid_invoices = dues_paid_invoices + excluded.dues_paid_invoices, training_places = training_places + excluded.training_places, training_attended = training_attended + excluded.training_attended, training_certificates = training_certificates + excluded.training_certificates, meeting_invitations = meeting_invitations + excluded.meeting_invitations, meeting_replies = meeting_replies + excluded.meeting_replies, meeting_attended = meeting_attended + excluded.meeting_attended, visit_delegates = visit_delegates + excluded.visit_delegates, visit_cost_fen = visit_cost_fen + excluded.visit_cost_fen, meeting_unanswered = meeting_unanswered + excluded.meeting_unanswered;
  INSERT INTO report_classes (class_id, year, places, attended, certificates)
    SELECT OLD.class_id, (SELECT CAST(strftime('%Y', c.starts_at, '+8 hours') AS INTEGER) FROM classes c WHERE c.id = OLD.class_id), -(OLD.status = 'confirmed'), -(OLD.status = 'confirmed' AND EXISTS (SELECT 1 FROM attendance a WHERE a.enrollment_id = OLD.id)), -(OLD.certificate_code IS NOT NULL) WHERE 1 = 1
    ON CONFLICT (class_id, year) DO UPDATE SET places = places + excluded.places, attended = attended + excluded.attended, certificates = certificates + excluded.certificates;
END;

CREATE TRIGGER trg_report_attendance_insert AFTER INSERT ON attendance
BEGIN
  INSERT INTO report_unit_year (member_id, year, dues_invoices, dues_billed_fen, dues_reduced_fen, dues_collected_fen, dues_outstanding_fen, dues_paid_invoices, training_places, training_attended, training_certificates, meeting_invitations, meeting_replies, meeting_attended, visit_delegates, visit_cost_fen, meeting_unanswered)
    SELECT e.member_id, (SELECT CAST(strftime('%Y', c.starts_at, '+8 hours') AS INTEGER) FROM classes c WHERE c.id = e.class_id), 0, 0, 0, 0, 0, 0, 0, (1), 0, 0, 0, 0, 0, 0, 0 FROM enrollments e WHERE e.id = NEW.enrollment_id AND e.status = 'confirmed' AND (SELECT COUNT(*) FROM attendance a WHERE a.enrollment_id = NEW.enrollment_id) = 1 AND e.member_id IS NOT NULL
    ON CONFLICT (member_id, year) DO UPDATE SET dues_invoices = dues_invoices + excluded.dues_invoices, dues_billed_fen = dues_billed_fen + excluded.dues_billed_fen, dues_reduced_fen = dues_reduced_fen + excluded.dues_reduced_fen, dues_collected_fen = dues_collected_fen + excluded.dues_collected_fen, dues_outstanding_fen = dues_outstanding_fen + excluded.dues_outstanding_fen, dues_paid_invoices = dues_paid_invoices + excluded.dues_paid_invoices, training_places = training_places + excluded.training_places, training_attended = training_attended + excluded.training_attended, training_certificates = training_certificates + excluded.training_certificates, meeting_invitations = meeting_invitations + excluded.meeting_invitations, meeting_replies = meeting_replies + excluded.meeting_replies, meeting_attended = meeting_attended + excluded.meeting_attended, visit_delegates = visit_delegates + excluded.visit_delegates, visit_cost_fen = visit_cost_fen + excluded.visit_cost_fen, meeting_unanswered = meeting_unanswered + excluded.meeting_unanswered;
  INSERT INTO report_classes (class_id, year, places, attended, certificates)
    SELECT e.class_id, (SELECT CAST(strftime('%Y', c.starts_at, '+8 hours') AS INTEGER) FROM classes c WHERE c.id = e.class_id), 0, 1, 0 FROM enrollments e WHERE e.id = NEW.enrollment_id AND e.status = 'confirmed' AND (SELECT COUNT(*) FROM attendance a WHERE a.enrollment_id = NEW.enrollment_id) = 1
    ON CONFLICT (class_id, year) DO UPDATE SET places = places + excluded.places, attended = attended + excluded.attended, certificates = certificates + excluded.certificates;
END;

CREATE TRIGGER trg_report_attendance_delete AFTER DELETE ON attendance
BEGIN
  INSERT INTO report_unit_year (member_id, year, dues_invoices, dues_billed_fen, dues_reduced_fen, dues_collected_fen, dues_outstanding_fen, dues_paid_invoices, training_places, training_attended, training_certificates, meeting_invitations, meeting_replies, meeting_attended, visit_delegates, visit_cost_fen, meeting_unanswered)
    SELECT e.member_id, (SELECT CAST(strftime('%Y', c.starts_at, '+8 hours') AS INTEGER) FROM classes c WHERE c.id = e.class_id), 0, 0, 0, 0, 0, 0, 0, (-1), 0, 0, 0, 0, 0, 0, 0 FROM enrollments e WHERE e.id = OLD.enrollment_id AND e.status = 'confirmed' AND (SELECT COUNT(*) FROM attendance a WHERE a.enrollment_id = OLD.enrollment_id) = 0 AND e.member_id IS NOT NULL
    ON CONFLICT (member_id, year) DO UPDATE SET dues_invoices = dues_invoices + excluded.dues_invoices, dues_billed_fen = dues_billed_fen + excluded.dues_billed_fen, dues_reduced_fen = dues_reduced_fen + excluded.dues_reduced_fen, dues_collected_fen = dues_collected_fen + excluded.dues_collected_fen, dues_outstanding_fen = dues_outstanding_fen + excluded.dues_outstanding_fen, dues_paid_invoices = dues_paid_invoices + excluded.dues_paid_invoices, training_places = training_places + excluded.training_places, training_attended = training_attended + excluded.training_attended, training_certificates = training_certificates + excluded.training_certificates, meeting_invitations = meeting_invitations + excluded.meeting_invitations, meeting_replies = meeting_replies + excluded.meeting_replies, meeting_attended = meeting_attended + excluded.meeting_attended, visit_delegates = visit_delegates + excluded.visit_delegates, visit_cost_fen = visit_cost_fen + excluded.visit_cost_fen, meeting_unanswered = meeting_unanswered + excluded.meeting_unanswered;
  INSERT INTO report_classes (class_id, year, places, attended, certificates)
    SELECT e.class_id, (SELECT CAST(strftime('%Y', c.starts_at, '+8 hours') AS INTEGER) FROM classes c WHERE c.id = e.class_id), 0, -1, 0 FROM enrollments e WHERE e.id = OLD.enrollment_id AND e.status = 'confirmed' AND (SELECT COUNT(*) FROM attendance a WHERE a.enrollment_id = OLD.enrollment_id) = 0
    ON CONFLICT (class_id, year) DO UPDATE SET places = places + excluded.places, attended = attended + excluded.attended, certificates = certificates + excluded.certificates;
END;

CREATE TRIGGER trg_report_meeting_invitees_insert AFTER INSERT ON meeting_invitees
BEGIN
  INSERT INTO report_unit_year (member_id, year, dues_invoices, dues_billed_fen, dues_reduced_fen, dues_collected_fen, dues_outstanding_fen, dues_paid_invoices, training_places, training_attended, training_certificates, meeting_invitations, meeting_replies, meeting_attended, visit_delegates, visit_cost_fen, meeting_unanswered)
    SELECT NEW.member_id, (SELECT CAST(strftime('%Y', mt.starts_at, '+8 hours') AS INTEGER) FROM meetings mt WHERE mt.id = NEW.meeting_id), 0, 0, 0, 0, 0, 0, 0, 0, 0, (1), 0, 0, 0, 0, (1) WHERE 1 = 1
    ON CONFLICT (member_id, year) DO UPDATE SET dues_invoices = dues_invoices + excluded.dues_invoices, dues_billed_fen = dues_billed_fen + excluded.dues_billed_fen, dues_reduced_fen = dues_reduced_fen + excluded.dues_reduced_fen, dues_collected_fen = dues_collected_fen + excluded.dues_collected_fen, dues_outstanding_fen = dues_outstanding_fen + excluded.dues_outstanding_fen, dues_paid_invoices = dues_paid_invoices + excluded.dues_paid_invoices, training_places = training_places + excluded.training_places, training_attended = training_attended + excluded.training_attended, training_certificates = training_certificates + excluded.training_certificates, meeting_invitations = meeting_invitations + excluded.meeting_invitations, meeting_replies = meeting_replies + excluded.meeting_replies, meeting_attended = meeting_attended + excluded.meeting_attended, visit_delegates = visit_delegates + excluded.visit_delegates, visit_cost_fen = visit_cost_fen + excluded.visit_cost_fen, meeting_unanswered = meeting_unanswered + excluded.meeting_unanswered;
END;

CREATE TRIGGER trg_report_meeting_invitees_delete AFTER DELETE ON meeting_invitees
BEGIN
  INSERT INTO report_unit_year (member_id, year, dues_invoices, dues_billed_fen, dues_reduced_fen, dues_collected_fen, dues_outstanding_fen, dues_paid_invoices, training_places, training_attended, training_certificates, meeting_invitations, meeting_replies, meeting_attended, visit_delegates, visit_cost_fen, meeting_unanswered)
    SELECT OLD.member_id, (SELECT CAST(strftime('%Y', mt.starts_at, '+8 hours') AS INTEGER) FROM meetings mt WHERE mt.id = OLD.meeting_id), 0, 0, 0, 0, 0, 0, 0, 0, 0, -(1), 0, 0, 0, 0, -(1) WHERE 1 = 1
    ON CONFLICT (member_id, year) DO UPDATE SET dues_invoices = dues_invoices + excluded.dues_invoices, dues_billed_fen = dues_billed_fen + excluded.dues_billed_fen, dues_reduced_fen = dues_reduced_fen + excluded.dues_reduced_fen, dues_collected_fen = dues_collected_fen + excluded.dues_collected_fen, dues_outstanding_fen = dues_outstanding_fen + excluded.dues_outstanding_fen, dues_paid_invoices = dues_paid_invoices + excluded.dues_paid_invoices, training_places = training_places + excluded.training_places, training_attended = training_attended + excluded.training_attended, training_certificates = training_certificates + excluded.training_certificates, meeting_invitations = meeting_invitations + excluded.meeting_invitations, meeting_replies = meeting_replies + excluded.meeting_replies, meeting_attended = meeting_attended + excluded.meeting_attended, visit_delegates = visit_delegates + excluded.visit_delegates, visit_cost_fen = visit_cost_fen + excluded.visit_cost_fen, meeting_unanswered = meeting_unanswered + excluded.meeting_unanswered;
END;

CREATE TRIGGER trg_report_meeting_rsvps_insert AFTER INSERT ON meeting_rsvps
BEGIN
  INSERT INTO report_unit_year (member_id, year, dues_invoices, dues_billed_fen, dues_reduced_fen, dues_collected_fen, dues_outstanding_fen, dues_paid_invoices, training_places, training_attended, training_certificates, meeting_invitations, meeting_replies, meeting_attended, visit_delegates, visit_cost_fen, meeting_unanswered)
    SELECT NEW.member_id, (SELECT CAST(strftime('%Y', mt.starts_at, '+8 hours') AS INTEGER) FROM meetings mt WHERE mt.id = NEW.meeting_id), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (1), 0, 0, 0, (-1) WHERE 1 = 1
    ON CONFLICT (member_id, year) DO UPDATE SET dues_invoices = dues_invoices + excluded.dues_invoices, dues_billed_fen = dues_billed_fen + excluded.dues_billed_fen, dues_reduced_fen = dues_reduced_fen + excluded.dues_reduced_fen, dues_collected_fen = dues_collected_fen + excluded.dues_collected_fen, dues_outstanding_fen = dues_outstanding_fen + excluded.dues_outstanding_fen, dues_paid_invoices = dues_paid_invoices + excluded.dues_paid_invoices, training_places = training_places + excluded.training_places, training_attended = training_attended + excluded.training_attended, training_certificates = training_certificates + excluded.training_certificates, meeting_invitations = meeting_invitations + excluded.meeting_invitations, meeting_replies = meeting_replies + excluded.meeting_replies, meeting_attended = meeting_attended + excluded.meeting_attended, visit_delegates = visit_delegates + excluded.visit_delegates, visit_cost_fen = visit_cost_fen + excluded.visit_cost_fen, meeting_unanswered = meeting_unanswered + excluded.meeting_unanswered;
END;

CREATE TRIGGER trg_report_meeting_rsvps_delete AFTER DELETE ON meeting_rsvps
BEGIN
  INSERT INTO report_unit_year (member_id, year, dues_invoices, dues_billed_fen, dues_reduced_fen, dues_collected_fen, dues_outstanding_fen, dues_paid_invoices, training_places, training_attended, training_certificates, meeting_invitations, meeting_replies, meeting_attended, visit_delegates, visit_cost_fen, meeting_unanswered)
    SELECT OLD.member_id, (SELECT CAST(strftime('%Y', mt.starts_at, '+8 hours') AS INTEGER) FROM meetings mt WHERE mt.id = OLD.meeting_id), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -(1), 0, 0, 0, -(-1) WHERE 1 = 1
    ON CONFLICT (member_id, year) DO UPDATE SET dues_invoices = dues_invoices + excluded.dues_invoices, dues_billed_fen = dues_billed_fen + excluded.dues_billed_fen, dues_reduced_fen = dues_reduced_fen + excluded.dues_reduced_fen, dues_collected_fen = dues_collected_fen + excluded.dues_collected_fen, dues_outstanding_fen = dues_outstanding_fen + excluded.dues_outstanding_fen, dues_paid_invoices = dues_paid_invoices + excluded.dues_paid_invoices, training_places = training_places + excluded.training_places, training_attended = training_attended + excluded.training_attended, training_certificates = training_certificates + excluded.training_certificates, meeting_invitations = meeting_invitations + excluded.meeting_invitations, meeting_replies = meeting_replies + excluded.meeting_replies, meeting_attended = meeting_attended + excluded.meeting_attended, visit_delegates = visit_delegates + excluded.visit_delegates, visit_cost_fen = visit_cost_fen + excluded.visit_cost_fen, meeting_unanswered = meeting_unanswered + excluded.meeting_unanswered;
END;

CREATE TRIGGER trg_report_meeting_attendance_insert AFTER INSERT ON meeting_attendance
BEGIN
  INSERT INTO report_unit_year (member_id, year, dues_invoices, dues_billed_fen, dues_reduced_fen, dues_collected_fen, dues_outstanding_fen, dues_paid_invoices, training_places, training_attended, training_certificates, meeting_invitations, meeting_replies, meeting_attended, visit_delegates, visit_cost_fen, meeting_unanswered)
    SELECT NEW.member_id, (SELECT CAST(strftime('%Y', mt.starts_at, '+8 hours') AS INTEGER) FROM meetings mt WHERE mt.id = NEW.meeting_id), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (1), 0, 0, 0 WHERE 1 = 1
    ON CONFLICT (member_id, year) DO UPDATE SET dues_invoices = dues_invoices + excluded.dues_invoices, dues_billed_fen = dues_billed_fen + excluded.dues_billed_fen, dues_reduced_fen = dues_reduced_fen + excluded.dues_reduced_fen, dues_collected_fen = dues_collected_fen + excluded.dues_collected_fen, dues_outstanding_fen = dues_outstanding_fen + excluded.dues_outstanding_fen, dues_paid_invoices = dues_paid_invoices + excluded.dues_paid_invoices, training_places = training_places + excluded.training_places, training_attended = training_attended + excluded.training_attended, training_certificates = training_certificates + excluded.training_certificates, meeting_invitations = meeting_invitations + excluded.meeting_invitations, meeting_replies = meeting_replies + excluded.meeting_replies, meeting_attended = meeting_attended + excluded.meeting_attended, visit_delegates = visit_delegates + excluded.visit_delegates, visit_cost_fen = visit_cost_fen + excluded.visit_cost_fen, meeting_unanswered = meeting_unanswered + excluded.meeting_unanswered;
END;

CREATE TRIGGER trg_report_meeting_attendance_delete AFTER DELETE ON meeting_attendance
BEGIN
  INSERT INTO report_unit_year (member_id, year, dues_invoices, dues_billed_fen, dues_reduced_fen, dues_collected_fen, dues_outstanding_fen, dues_paid_invoices, training_places, training_attended, training_certificates, meeting_invitations, meeting_replies, meeting_attended, visit_delegates, visit_cost_fen, meeting_unanswered)
    SELECT OLD.member_id, (SELECT CAST(strftime('%Y', mt.starts_at, '+8 hours') AS INTEGER) FROM meetings mt WHERE mt.id = OLD.meeting_id), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -(1), 0, 0, 0 WHERE 1 = 1
    ON CONFLICT (member_id, year) DO UPDATE SET dues_invoices = dues_invoices + excluded.dues_invoices, dues_billed_fen = dues_billed_fen + excluded.dues_billed_fen, dues_reduced_fen = dues_reduced_fen + excluded.dues_reduced_fen, dues_collected_fen = dues_collected_fen + excluded.dues_collected_fen, dues_outstanding_fen = dues_outstanding_fen + excluded.dues_outstanding_fen, dues_paid_invoices = dues_paid_invoices + excluded.dues_paid_invoices, training_places = training_places + excluded.training_places, training_attended = training_attended + excluded.training_attended, training_certificates = training_certificates + excluded.training_certificates, meeting_invitations = meeting_invitations + excluded.meeting_invitations, meeting_replies = meeting_replies + excluded.meeting_replies, meeting_attended = meeting_attended + excluded.meeting_attended, visit_delegates = visit_delegates + excluded.visit_delegates, visit_cost_fen = visit_cost_fen + excluded.visit_cost_fen, meeting_unanswered = meeting_unanswered + excluded.meeting_unanswered;
END;

CREATE TRIGGER trg_report_delegates_insert AFTER INSERT ON visit_delegates
BEGIN
  INSERT INTO report_unit_year (member_id, year, dues_invoices, dues_billed_fen, dues_reduced_fen, dues_collected_fen, dues_outstanding_fen, dues_paid_invoices, training_places, training_attended, training_certificates, meeting_invitations, meeting_replies, meeting_attended, visit_delegates, visit_cost_fen, meeting_unanswered)
    SELECT NEW.member_id, (SELECT CAST(substr(v.starts_on, 1, 4) AS INTEGER) FROM visits v WHERE v.id = NEW.visit_id), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (NEW.status = 'approved'), (CASE WHEN NEW.status = 'approved' THEN NEW.fee_fen ELSE 0 END), 0 WHERE 1 = 1
    ON CONFLICT (member_id, year) DO UPDATE SET dues_invoices = dues_invoices + excluded.dues_invoices, dues_billed_fen = dues_billed_fen + excluded.dues_billed_fen, dues_reduced_fen = dues_reduced_fen + excluded.dues_reduced_fen, dues_collected_fen = dues_collected_fen + excluded.dues_collected_fen, dues_outstanding_fen = dues_outstanding_fen + excluded.dues_outstanding_fen, dues_paid_invoices = dues_paid_invoices + excluded.dues_paid_invoices, training_places = training_places + excluded.training_places, training_attended = training_attended + excluded.training_attended, training_certificates = training_certificates + excluded.training_certificates, meeting_invitations = meeting_invitations + excluded.meeting_invitations, meeting_replies = meeting_replies + excluded.meeting_replies, meeting_attended = meeting_attended + excluded.meeting_attended, visit_delegates = visit_delegates + excluded.visit_delegates, visit_cost_fen = visit_cost_fen + excluded.visit_cost_fen, meeting_unanswered = meeting_unanswered + excluded.meeting_unanswered;
END;

CREATE TRIGGER trg_report_delegates_update AFTER UPDATE ON visit_delegates
BEGIN
  INSERT INTO report_unit_year (member_id, year, dues_invoices, dues_billed_fen, dues_reduced_fen, dues_collected_fen, dues_outstanding_fen, dues_paid_invoices, training_places, training_attended, training_certificates, meeting_invitations, meeting_replies, meeting_attended, visit_delegates, visit_cost_fen, meeting_unanswered)
    SELECT OLD.member_id, (SELECT CAST(substr(v.starts_on, 1, 4) AS INTEGER) FROM visits v WHERE v.id = OLD.visit_id), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -(OLD.status = 'approved'), -(CASE WHEN OLD.status = 'approved' THEN OLD.fee_fen ELSE 0 END), 0 WHERE 1 = 1
    ON CONFLICT (member_id, year) DO UPDATE SET dues_invoices = dues_invoices + excluded.dues_invoices, dues_billed_fen = dues_billed_fen + excluded.dues_billed_fen, dues_reduced_fen = dues_reduced_fen + excluded.dues_reduced_fen, dues_collected_fen = dues_collected_fen + excluded.dues_collected_fen, dues_outstanding_fen = dues_outstanding_fen + excluded.dues_outstanding_fen, dues_paid_invoices = dues_paid_invoices + excluded.dues_paid_invoices, training_places = training_places + excluded.training_places, training_attended = training_attended + excluded.training_attended, training_certificates = training_certificates + excluded.training_certificates, meeting_invitations = meeting_invitations + excluded.meeting_invitations, meeting_replies = meeting_replies + excluded.meeting_replies, meeting_attended = meeting_attended + excluded.meeting_attended, visit_delegates = visit_delegates + excluded.visit_delegates, visit_cost_fen = visit_cost_fen + excluded.visit_cost_fen, meeting_unanswered = meeting_unanswered + excluded.meeting_unanswered;
  INSERT INTO report_unit_year (member_id, year, dues_invoices, dues_billed_fen, dues_reduced_fen, dues_collected_fen, dues_outstanding_fen, dues_paid_invoices, training_places, training_attended, training_certificates, meeting_invitations, meeting_replies, meeting_attended, visit_delegates, visit_cost_fen, meeting_unanswered)
    SELECT NEW.member_id, (SELECT CAST(substr(v.starts_on, 1, 4) AS INTEGER) FROM visits v WHERE v.id = NEW.visit_id), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (NEW.status = 'approved'), (CASE WHEN NEW.status = 'approved' THEN NEW.fee_fen ELSE 0 END), 0 WHERE 1 = 1
    ON CONFLICT (member_id, year) DO UPDATE SET dues_invoices = dues_invoices + excluded.dues_invoices, dues_billed_fen = dues_billed_fen + excluded.dues_billed_fen, dues_reduced_fen = dues_reduced_fen + excluded.dues_reduced_fen, dues_collected_fen = dues_collected_fen + excluded.dues_collected_fen, dues_outstanding_fen = dues_outstanding_fen + excluded.dues_outstanding_fen, dues_paid_invoices = dues_paid_invoices + excluded.dues_paid_invoices, training_places = training_places + excluded.training_places, training_attended = training_attended + excluded.training_attended, training_certificates = training_certificates + excluded.training_certificates, meeting_invitations = meeting_invitations + excluded.meeting_invitations, meeting_replies = meeting_replies + excluded.meeting_replies, meeting_attended = meeting_attended + excluded.meeting_attended, visit_delegates = visit_delegates + excluded.visit_delegates, visit_cost_fen = visit_cost_fen + excluded.visit_cost_fen, meeting_unanswered = meeting_unanswered + excluded.meeting_unanswered;
END;

CREATE TRIGGER trg_report_delegates_delete AFTER DELETE ON visit_delegates
BEGIN
  INSERT INTO report_unit_year (member_id, year, dues_invoices, dues_billed_fen, dues_reduced_fen, dues_collected_fen, dues_outstanding_fen, dues_paid_invoices, training_places, training_attended, training_certificates, meeting_invitations, meeting_replies, meeting_attended, visit_delegates, visit_cost_fen, meeting_unanswered)
    SELECT OLD.member_id, (SELECT CAST(substr(v.starts_on, 1, 4) AS INTEGER) FROM visits v WHERE v.id = OLD.visit_id), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -(OLD.status = 'approved'), -(CASE WHEN OLD.status = 'approved' THEN OLD.fee_fen ELSE 0 END), 0 WHERE 1 = 1
    ON CONFLICT (member_id, year) DO UPDATE SET dues_invoices = dues_invoices + excluded.dues_invoices, dues_billed_fen = dues_billed_fen + excluded.dues_billed_fen, dues_reduced_fen = dues_reduced_fen + excluded.dues_reduced_fen, dues_collected_fen = dues_collected_fen + excluded.dues_collected_fen, dues_outstanding_fen = dues_outstanding_fen + excluded.dues_outstanding_fen, dues_paid_invoices = dues_paid_invoices + excluded.dues_paid_invoices, training_places = training_places + excluded.training_places, training_attended = training_attended + excluded.training_attended, training_certificates = training_certificates + excluded.training_certificates, meeting_invitations = meeting_invitations + excluded.meeting_invitations, meeting_replies = meeting_replies + excluded.meeting_replies, meeting_attended = meeting_attended + excluded.meeting_attended, visit_delegates = visit_delegates + excluded.visit_delegates, visit_cost_fen = visit_cost_fen + excluded.visit_cost_fen, meeting_unanswered = meeting_unanswered + excluded.meeting_unanswered;
END;

CREATE VIEW report_unit_year_source AS
SELECT s.member_id, s.year, SUM(s.dues_invoices) AS dues_invoices, SUM(s.dues_billed_fen) AS dues_billed_fen, SUM(s.dues_reduced_fen) AS dues_reduced_fen, SUM(s.dues_collected_fen) AS dues_collected_fen, SUM(s.dues_outstanding_fen) AS dues_outstanding_fen, SUM(s.dues_paid_invoices) AS dues_paid_invoices, SUM(s.training_places) AS training_places, SUM(s.training_attended) AS training_attended, SUM(s.training_certificates) AS training_certificates, SUM(s.meeting_invitations) AS meeting_invitations, SUM(s.meeting_replies) AS meeting_replies, SUM(s.meeting_attended) AS meeting_attended, SUM(s.visit_delegates) AS visit_delegates, SUM(s.visit_cost_fen) AS visit_cost_fen, SUM(s.meeting_unanswered) AS meeting_unanswered FROM (
  SELECT i.member_id AS member_id, i.year AS year, (i.status <> 'void') AS dues_invoices, (CASE WHEN i.status <> 'void' THEN i.amount_fen ELSE 0 END) AS dues_billed_fen, (CASE WHEN i.status <> 'void' THEN i.reduced_fen ELSE 0 END) AS dues_reduced_fen, (CASE WHEN i.status <> 'void' THEN i.paid_fen ELSE 0 END) AS dues_collected_fen, (CASE WHEN i.status IN ('unpaid', 'partial') THEN i.amount_fen - i.reduced_fen - i.paid_fen ELSE 0 END) AS dues_outstanding_fen, (i.status = 'paid') AS dues_paid_invoices, 0 AS training_places, 0 AS training_attended, 0 AS training_certificates, 0 AS meeting_invitations, 0 AS meeting_replies, 0 AS meeting_attended, 0 AS visit_delegates, 0 AS visit_cost_fen, 0 AS meeting_unanswered FROM dues_invoices i WHERE 1 = 1
  UNION ALL SELECT e.member_id AS member_id, CAST(strftime('%Y', c.starts_at, '+8 hours') AS INTEGER) AS year, 0 AS dues_invoices, 0 AS dues_billed_fen, 0 AS dues_reduced_fen, 0 AS dues_collected_fen, 0 AS dues_outstanding_fen, 0 AS dues_paid_invoices, (e.status = 'confirmed') AS training_places, (e.status = 'confirmed' AND EXISTS (SELECT 1 FROM attendance a WHERE a.enrollment_id = e.id)) AS training_attended, (e.certificate_code IS NOT NULL) AS training_certificates, 0 AS meeting_invitations, 0 AS meeting_replies, 0 AS meeting_attended, 0 AS visit_delegates, 0 AS visit_cost_fen, 0 AS meeting_unanswered FROM enrollments e JOIN classes c ON c.id = e.class_id WHERE e.member_id IS NOT NULL
  UNION ALL SELECT x.member_id AS member_id, CAST(strftime('%Y', mt.starts_at, '+8 hours') AS INTEGER) AS year, 0 AS dues_invoices, 0 AS dues_billed_fen, 0 AS dues_reduced_fen, 0 AS dues_collected_fen, 0 AS dues_outstanding_fen, 0 AS dues_paid_invoices, 0 AS training_places, 0 AS training_attended, 0 AS training_certificates, (1) AS meeting_invitations, 0 AS meeting_replies, 0 AS meeting_attended, 0 AS visit_delegates, 0 AS visit_cost_fen, (1) AS meeting_unanswered FROM meeting_invitees x JOIN meetings mt ON mt.id = x.meeting_id WHERE 1 = 1
  UNION ALL SELECT x.member_id AS member_id, CAST(strftime('%Y', mt.starts_at, '+8 hours') AS INTEGER) AS year, 0 AS dues_invoices, 0 AS dues_billed_fen, 0 AS dues_reduced_fen, 0 AS dues_collected_fen, 0 AS dues_outstanding_fen, 0 AS dues_paid_invoices, 0 AS training_places, 0 AS training_attended, 0 AS training_certificates, 0 AS meeting_invitations, (1) AS meeting_replies, 0 AS meeting_attended, 0 AS visit_delegates, 0 AS visit_cost_fen, (-1) AS meeting_unanswered FROM meeting_rsvps x JOIN meetings mt ON mt.id = x.meeting_id WHERE 1 = 1
  UNION ALL SELECT x.member_id AS member_id, CAST(strftime('%Y', mt.starts_at, '+8 hours') AS INTEGER) AS year, 0 AS dues_invoices, 0 AS dues_billed_fen, 0 AS dues_reduced_fen, 0 AS dues_collected_fen, 0 AS dues_outstanding_fen, 0 AS dues_paid_invoices, 0 AS training_places, 0 AS training_attended, 0 AS training_certificates, 0 AS meeting_invitations, 0 AS meeting_replies, (1) AS meeting_attended, 0 AS visit_delegates, 0 AS visit_cost_fen, 0 AS meeting_unanswered FROM meeting_attendance x JOIN meetings mt ON mt.id = x.meeting_id WHERE 1 = 1
  UNION ALL SELECT g.member_id AS member_id, CAST(substr(v.starts_on, 1, 4) AS INTEGER) AS year, 0 AS dues_invoices, 0 AS dues_billed_fen, 0 AS dues_reduced_fen, 0 AS dues_collected_fen, 0 AS dues_outstanding_fen, 0 AS dues_paid_invoices, 0 AS training_places, 0 AS training_attended, 0 AS training_certificates, 0 AS meeting_invitations, 0 AS meeting_replies, 0 AS meeting_attended, (g.status = 'approved') AS visit_delegates, (CASE WHEN g.status = 'approved' THEN g.fee_fen ELSE 0 END) AS visit_cost_fen, 0 AS meeting_unanswered FROM visit_delegates g JOIN visits v ON v.id = g.visit_id WHERE 1 = 1
) s GROUP BY s.member_id, s.year;
CREATE VIEW report_group_year_source AS
SELECT u.year, m.city_code, m.org_type, m.tier, SUM(u.dues_invoices) AS dues_invoices, SUM(u.dues_billed_fen) AS dues_billed_fen, SUM(u.dues_reduced_fen) AS dues_reduced_fen, SUM(u.dues_collected_fen) AS dues_collected_fen, SUM(u.dues_outstanding_fen) AS dues_outstanding_fen, SUM(u.dues_paid_invoices) AS dues_paid_invoices, SUM(u.training_places) AS training_places, SUM(u.training_attended) AS training_attended, SUM(u.training_certificates) AS training_certificates, SUM(u.meeting_invitations) AS meeting_invitations, SUM(u.meeting_replies) AS meeting_replies, SUM(u.meeting_attended) AS meeting_attended, SUM(u.visit_delegates) AS visit_delegates, SUM(u.visit_cost_fen) AS visit_cost_fen, SUM(u.meeting_unanswered) AS meeting_unanswered, SUM(u.dues_invoices > 0) AS units_dues, SUM(u.training_places > 0) AS units_training, SUM(u.meeting_invitations > 0) AS units_invited, SUM(u.meeting_replies + u.meeting_attended > 0) AS units_meetings, SUM(u.visit_delegates > 0) AS units_visits FROM report_unit_year_source u JOIN members m ON m.id = u.member_id GROUP BY u.year, m.city_code, m.org_type, m.tier;
CREATE VIEW report_member_counts_source AS
SELECT m.city_code, m.org_type, m.org_level, m.tier, m.status, CAST(substr(m.joined_on, 1, 4) AS INTEGER) AS join_year, COALESCE(CAST(substr(m.left_on, 1, 4) AS INTEGER), 0) AS leave_year, COUNT(*) AS members FROM members m GROUP BY m.city_code, m.org_type, m.org_level, m.tier, m.status, CAST(substr(m.joined_on, 1, 4) AS INTEGER), COALESCE(CAST(substr(m.left_on, 1, 4) AS INTEGER), 0);
CREATE VIEW report_units_source AS
SELECT m.id AS member_id, m.city_code, m.org_type, m.org_level, m.tier, m.status, m.sort_key AS sort_key, COALESCE((SELECT MAX(u.year) FROM report_unit_year_source u WHERE u.member_id = m.id AND u.training_places + u.meeting_replies + u.meeting_attended + u.visit_delegates > 0), 0) AS last_active_year, COALESCE((SELECT SUM(u.dues_outstanding_fen) FROM report_unit_year_source u WHERE u.member_id = m.id), 0) AS outstanding_fen, COALESCE((SELECT MIN(u.year) FROM report_unit_year_source u WHERE u.member_id = m.id AND u.dues_outstanding_fen > 0), 0) AS oldest_arrears_year FROM members m;
CREATE VIEW report_classes_source AS
SELECT e.class_id, CAST(strftime('%Y', c.starts_at, '+8 hours') AS INTEGER) AS year, SUM(e.status = 'confirmed') AS places, SUM(e.status = 'confirmed' AND EXISTS (SELECT 1 FROM attendance a WHERE a.enrollment_id = e.id)) AS attended, SUM(e.certificate_code IS NOT NULL) AS certificates FROM enrollments e JOIN classes c ON c.id = e.class_id GROUP BY e.class_id, CAST(strftime('%Y', c.starts_at, '+8 hours') AS INTEGER);
CREATE VIEW report_dues_months_source AS
SELECT s.month, SUM(s.billed_fen) AS billed_fen, SUM(s.collected_fen) AS collected_fen FROM (
  SELECT substr(i.issued_on, 1, 7) AS month, CASE WHEN i.status <> 'void' THEN i.amount_fen ELSE 0 END AS billed_fen, 0 AS collected_fen FROM dues_invoices i
  UNION ALL SELECT substr(p.paid_on, 1, 7), 0, CASE WHEN p.status = 'valid' THEN p.amount_fen ELSE 0 END FROM dues_payments p
) s GROUP BY s.month;

INSERT INTO report_member_counts (city_code, org_type, org_level, tier, status, join_year, leave_year, members) SELECT city_code, org_type, org_level, tier, status, join_year, leave_year, members FROM report_member_counts_source;
INSERT INTO report_units (member_id, city_code, org_type, org_level, tier, status, sort_key, last_active_year, outstanding_fen, oldest_arrears_year) SELECT m.id, m.city_code, m.org_type, m.org_level, m.tier, m.status, m.sort_key, 0, 0, 0 FROM members m;
INSERT INTO report_unit_year (member_id, year, dues_invoices, dues_billed_fen, dues_reduced_fen, dues_collected_fen, dues_outstanding_fen, dues_paid_invoices, training_places, training_attended, training_certificates, meeting_invitations, meeting_replies, meeting_attended, visit_delegates, visit_cost_fen, meeting_unanswered) SELECT member_id, year, dues_invoices, dues_billed_fen, dues_reduced_fen, dues_collected_fen, dues_outstanding_fen, dues_paid_invoices, training_places, training_attended, training_certificates, meeting_invitations, meeting_replies, meeting_attended, visit_delegates, visit_cost_fen, meeting_unanswered FROM report_unit_year_source;
INSERT INTO report_classes (class_id, year, places, attended, certificates) SELECT class_id, year, places, attended, certificates FROM report_classes_source;
INSERT INTO report_dues_months (month, billed_fen, collected_fen) SELECT month, billed_fen, collected_fen FROM report_dues_months_source;
