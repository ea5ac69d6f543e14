-- Exchange visits (考察交流): visits with hosts and itinerary, applications and their delegates
-- (places decided under the visit row lock, as training's classes), check-ins, the 考察报告,
-- host offers and interests matched on the shared topic list.

-- The shared tag list of visit topics (新能源汽车, 电子信息, ...) that staff maintain.
CREATE TABLE visit_topics (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  active INTEGER NOT NULL,
  created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_visit_topics_name ON visit_topics (name);

-- An exchange visit (考察交流). approved_count and waitlisted_count live in the visit row, which
-- every decision about its places locks first: the row is the one place the count is decided.
CREATE TABLE visits (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  theme TEXT NOT NULL,
  destination TEXT NOT NULL,
  description TEXT NOT NULL,
  starts_on TEXT NOT NULL,
  ends_on TEXT NOT NULL,
  capacity INTEGER NOT NULL,
  per_member_quota INTEGER NULL,
  cost_fen INTEGER NOT NULL,
  cost_covers TEXT NOT NULL,
  apply_deadline TEXT NOT NULL,
  withdraw_cutoff TEXT NOT NULL,
  status TEXT NOT NULL,
  approved_count INTEGER NOT NULL,
  waitlisted_count INTEGER NOT NULL,
  next_waitlist_seq INTEGER NOT NULL,
  offer_id INTEGER NULL,
  rooming_saved INTEGER NOT NULL,
  report_text TEXT NOT NULL,
  report_published_at TEXT NULL,
  version INTEGER NOT NULL,
  created_by INTEGER NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX ix_visits_status ON visits (status, starts_on);
CREATE INDEX ix_visits_offer ON visits (offer_id);

-- Who receives the delegation: a member unit or an outside organisation by name.
CREATE TABLE visit_hosts (
  id INTEGER PRIMARY KEY,
  visit_id INTEGER NOT NULL,
  position INTEGER NOT NULL,
  member_id INTEGER NULL,
  name TEXT NOT NULL,
  CONSTRAINT fk_visit_hosts_visit FOREIGN KEY (visit_id) REFERENCES visits (id),
  CONSTRAINT fk_visit_hosts_member FOREIGN KEY (member_id) REFERENCES members (id)
);
CREATE INDEX ix_visit_hosts_visit ON visit_hosts (visit_id, position);
CREATE INDEX ix_visit_hosts_member ON visit_hosts (member_id);

-- The day-by-day programme; half is am, pm or NULL for the whole day.
CREATE TABLE visit_itinerary (
  id INTEGER PRIMARY KEY,
  visit_id INTEGER NOT NULL,
  position INTEGER NOT NULL,
  day TEXT NOT NULL,
  half TEXT NULL,
  place TEXT NOT NULL,
  activity TEXT NOT NULL,
  contact TEXT NOT NULL,
  transport TEXT NOT NULL,
  CONSTRAINT fk_visit_itinerary_visit FOREIGN KEY (visit_id) REFERENCES visits (id)
);
CREATE INDEX ix_visit_itinerary_visit ON visit_itinerary (visit_id, day, position);

-- A unit's application with its delegates.
CREATE TABLE visit_applications (
  id INTEGER PRIMARY KEY,
  visit_id INTEGER NOT NULL,
  member_id INTEGER NOT NULL,
  note TEXT NOT NULL,
  created_by INTEGER NULL,
  created_at TEXT NOT NULL,
  CONSTRAINT fk_visit_applications_visit FOREIGN KEY (visit_id) REFERENCES visits (id),
  CONSTRAINT fk_visit_applications_member FOREIGN KEY (member_id) REFERENCES members (id)
);
CREATE INDEX ix_visit_applications_visit ON visit_applications (visit_id, member_id);
CREATE INDEX ix_visit_applications_member ON visit_applications (member_id);

-- One person of an application. active_mobile is the mobile while the delegate holds a place
-- (pending, approved, waitlisted) and NULL after rejection or withdrawal: the unique index refuses
-- the same person twice in a visit yet lets them apply again.
CREATE TABLE visit_delegates (
  id INTEGER PRIMARY KEY,
  visit_id INTEGER NOT NULL,
  application_id INTEGER NOT NULL,
  member_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  title TEXT NOT NULL,
  gender TEXT NOT NULL,
  mobile TEXT NOT NULL,
  active_mobile TEXT NULL,
  dietary TEXT NOT NULL,
  shares_room INTEGER NOT NULL,
  status TEXT NOT NULL,
  waitlist_seq INTEGER NULL,
  reason TEXT NOT NULL,
  fee_fen INTEGER NOT NULL,
  checkin_token TEXT NOT NULL,
  room_no INTEGER NULL,
  decided_by INTEGER NULL,
  decided_at TEXT NULL,
  promoted_at TEXT NULL,
  withdrawn_at TEXT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CONSTRAINT fk_visit_delegates_visit FOREIGN KEY (visit_id) REFERENCES visits (id),
  CONSTRAINT fk_visit_delegates_application FOREIGN KEY (application_id) REFERENCES visit_applications (id),
  CONSTRAINT fk_visit_delegates_member FOREIGN KEY (member_id) REFERENCES members (id)
);
CREATE UNIQUE INDEX ux_visit_delegates_mobile ON visit_delegates (visit_id, active_mobile);
CREATE UNIQUE INDEX ux_visit_delegates_token ON visit_delegates (checkin_token);
CREATE INDEX ix_visit_delegates_visit ON visit_delegates (visit_id, status, waitlist_seq);
CREATE INDEX ix_visit_delegates_application ON visit_delegates (application_id);
CREATE INDEX ix_visit_delegates_member ON visit_delegates (member_id, status);

-- Check-ins per day and half day.
CREATE TABLE visit_attendance (
  id INTEGER PRIMARY KEY,
  delegate_id INTEGER NOT NULL,
  day TEXT NOT NULL,
  half TEXT NOT NULL,
  checked_at TEXT NOT NULL,
  checked_by INTEGER NULL,
  CONSTRAINT fk_visit_attendance_delegate FOREIGN KEY (delegate_id) REFERENCES visit_delegates (id)
);
CREATE UNIQUE INDEX ux_visit_attendance_slot ON visit_attendance (delegate_id, day, half);

-- Attachments of the 考察报告, kept under the data directory (soft delete).
CREATE TABLE visit_report_files (
  id INTEGER PRIMARY KEY,
  visit_id INTEGER NOT NULL,
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  stored_name TEXT NOT NULL,
  uploaded_by INTEGER NULL,
  uploaded_at TEXT NOT NULL,
  deleted_at TEXT NULL,
  CONSTRAINT fk_visit_report_files_visit FOREIGN KEY (visit_id) REFERENCES visits (id)
);
CREATE INDEX ix_visit_report_files_visit ON visit_report_files (visit_id);

-- A unit offers to host: topics (names from visit_topics, one per line), periods (from..to per line).
CREATE TABLE host_offers (
  id INTEGER PRIMARY KEY,
  member_id INTEGER NOT NULL,
  topics TEXT NOT NULL,
  periods TEXT NOT NULL,
  group_size INTEGER NOT NULL,
  note TEXT NOT NULL,
  active INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CONSTRAINT fk_host_offers_member FOREIGN KEY (member_id) REFERENCES members (id)
);
CREATE INDEX ix_host_offers_member ON host_offers (member_id, active);

-- What a unit wants to learn and when.
CREATE TABLE visit_interests (
  id INTEGER PRIMARY KEY,
  member_id INTEGER NOT NULL,
  topics TEXT NOT NULL,
  periods TEXT NOT NULL,
  group_size INTEGER NULL,
  note TEXT NOT NULL,
  active INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CONSTRAINT fk_visit_interests_member FOREIGN KEY (member_id) REFERENCES members (id)
);
CREATE INDEX ix_visit_interests_member ON visit_interests (member_id, active);
