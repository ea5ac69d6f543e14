-- Exchange visits (考察交流): visits with hosts and itinerary, applications and their delegates
-- (places decided under the visit row lock, as training's classes), check-ins, the 考察报告,
-- host offers and interests matched on the shared topic list.

-- The shared tag list of visit topics (新能源汽车, 电子信息, ...) that staff maintain.
CREATE TABLE visit_topics (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(40) NOT NULL,
  active INT NOT NULL,
  created_at CHAR(26) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE UNIQUE INDEX ux_visit_topics_name ON visit_topics (name);

-- An exchange visit (考察交流). approved_count and waitlisted_count live in the visit row, which
-- every decision about its places locks first: the row is the one place the count is decided.
CREATE TABLE visits (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  title VARCHAR(200) NOT NULL,
  theme VARCHAR(200) NOT NULL,
  destination VARCHAR(100) NOT NULL,
  description MEDIUMTEXT NOT NULL,
  starts_on CHAR(10) NOT NULL,
  ends_on CHAR(10) NOT NULL,
  capacity INT NOT NULL,
  per_member_quota INT NULL,
  cost_fen BIGINT NOT NULL,
  cost_covers VARCHAR(500) NOT NULL,
  apply_deadline CHAR(26) NOT NULL,
  withdraw_cutoff CHAR(10) NOT NULL,
  status VARCHAR(16) NOT NULL,
  approved_count INT NOT NULL,
  waitlisted_count INT NOT NULL,
  next_waitlist_seq BIGINT NOT NULL,
  offer_id BIGINT NULL,
  rooming_saved INT NOT NULL,
  report_text MEDIUMTEXT NOT NULL,
  report_published_at CHAR(26) NULL,
  version INT NOT NULL,
  created_by BIGINT NULL,
  created_at CHAR(26) NOT NULL,
  updated_at CHAR(26) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX ix_visits_status ON visits (status, starts_on);
CREATE INDEX ix_visits_offer ON visits (offer_id);

-- Who receives the delegation: a member unit or an outside organisation by name.
CREATE TABLE visit_hosts (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  visit_id BIGINT NOT NULL,
  position INT NOT NULL,
  member_id BIGINT NULL,
  name VARCHAR(100) NOT NULL,
  CONSTRAINT fk_visit_hosts_visit FOREIGN KEY (visit_id) REFERENCES visits (id),
  CONSTRAINT fk_visit_hosts_member FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX ix_visit_hosts_visit ON visit_hosts (visit_id, position);
CREATE INDEX ix_visit_hosts_member ON visit_hosts (member_id);

-- The day-by-day programme; half is am, pm or NULL for the whole day.
CREATE TABLE visit_itinerary (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  visit_id BIGINT NOT NULL,
  position INT NOT NULL,
  day CHAR(10) NOT NULL,
  half VARCHAR(2) NULL,
  place VARCHAR(100) NOT NULL,
  activity VARCHAR(200) NOT NULL,
  contact VARCHAR(100) NOT NULL,
  transport VARCHAR(50) NOT NULL,
  CONSTRAINT fk_visit_itinerary_visit FOREIGN KEY (visit_id) REFERENCES visits (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX ix_visit_itinerary_visit ON visit_itinerary (visit_id, day, position);

-- A unit's application with its delegates.
CREATE TABLE visit_applications (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  visit_id BIGINT NOT NULL,
  member_id BIGINT NOT NULL,
  note VARCHAR(500) NOT NULL,
  created_by BIGINT NULL,
  created_at CHAR(26) NOT NULL,
  CONSTRAINT fk_visit_applications_visit FOREIGN KEY (visit_id) REFERENCES visits (id),
  CONSTRAINT fk_visit_applications_member FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX ix_visit_applications_visit ON visit_applications (visit_id, member_id);
CREATE INDEX ix_visit_applications_member ON visit_applications (member_id);

-- One person of an application. active_mobile is the mobile while the delegate holds a place
-- (pending, approved, waitlisted) and NULL after rejection or withdrawal: the unique index refuses
-- the same person twice in a visit yet lets them apply again.
CREATE TABLE visit_delegates (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  visit_id BIGINT NOT NULL,
  application_id BIGINT NOT NULL,
  member_id BIGINT NOT NULL,
  name VARCHAR(50) NOT NULL,
  title VARCHAR(50) NOT NULL,
  gender VARCHAR(1) NOT NULL,
  mobile VARCHAR(20) NOT NULL,
  active_mobile VARCHAR(20) NULL,
  dietary VARCHAR(100) NOT NULL,
  shares_room INT NOT NULL,
  status VARCHAR(16) NOT NULL,
  waitlist_seq BIGINT NULL,
  reason VARCHAR(200) NOT NULL,
  fee_fen BIGINT NOT NULL,
  checkin_token VARCHAR(64) NOT NULL,
  room_no INT NULL,
  decided_by BIGINT NULL,
  decided_at CHAR(26) NULL,
  promoted_at CHAR(26) NULL,
  withdrawn_at CHAR(26) NULL,
  created_at CHAR(26) NOT NULL,
  updated_at CHAR(26) NOT NULL,
  CONSTRAINT fk_visit_delegates_visit FOREIGN KEY (visit_id) REFERENCES visits (id),
  CONSTRAINT fk_visit_delegates_application FOREIGN KEY (application_id) REFERENCES visit_applications (id),
  CONSTRAINT fk_visit_delegates_member FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE UNIQUE INDEX ux_visit_delegates_mobile ON visit_delegates (visit_id, active_mobile);
CREATE UNIQUE INDEX ux_visit_delegates_token ON visit_delegates (checkin_token);
CREATE INDEX ix_visit_delegates_visit ON visit_delegates (visit_id, status, waitlist_seq);
CREATE INDEX ix_visit_delegates_application ON visit_delegates (application_id);
CREATE INDEX ix_visit_delegates_member ON visit_delegates (member_id, status);

-- Check-ins per day and half day.
CREATE TABLE visit_attendance (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  delegate_id BIGINT NOT NULL,
  day CHAR(10) NOT NULL,
  half VARCHAR(2) NOT NULL,
  checked_at CHAR(26) NOT NULL,
  checked_by BIGINT NULL,
  CONSTRAINT fk_visit_attendance_delegate FOREIGN KEY (delegate_id) REFERENCES visit_delegates (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE UNIQUE INDEX ux_visit_attendance_slot ON visit_attendance (delegate_id, day, half);

-- Attachments of the 考察报告, kept under the data directory (soft delete).
CREATE TABLE visit_report_files (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  visit_id BIGINT NOT NULL,
  filename VARCHAR(200) NOT NULL,
  content_type VARCHAR(100) NOT NULL,
  size_bytes BIGINT NOT NULL,
  sha256 VARCHAR(64) NOT NULL,
  stored_name VARCHAR(100) NOT NULL,
  uploaded_by BIGINT NULL,
  uploaded_at CHAR(26) NOT NULL,
  deleted_at CHAR(26) NULL,
  CONSTRAINT fk_visit_report_files_visit FOREIGN KEY (visit_id) REFERENCES visits (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX ix_visit_report_files_visit ON visit_report_files (visit_id);

-- A unit offers to host: topics (names from visit_topics, one per line), periods (from..to per line).
CREATE TABLE host_offers (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  member_id BIGINT NOT NULL,
  topics VARCHAR(1000) NOT NULL,
  periods VARCHAR(1000) NOT NULL,
  group_size INT NOT NULL,
  note VARCHAR(500) NOT NULL,
  active INT NOT NULL,
  created_at CHAR(26) NOT NULL,
  updated_at CHAR(26) NOT NULL,
  CONSTRAINT fk_host_offers_member FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX ix_host_offers_member ON host_offers (member_id, active);

-- What a unit wants to learn and when.
CREATE TABLE visit_interests (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  member_id BIGINT NOT NULL,
  topics VARCHAR(1000) NOT NULL,
  periods VARCHAR(1000) NOT NULL,
  group_size INT NULL,
  note VARCHAR(500) NOT NULL,
  active INT NOT NULL,
  created_at CHAR(26) NOT NULL,
  updated_at CHAR(26) NOT NULL,
  CONSTRAINT fk_visit_interests_member FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX ix_visit_interests_member ON visit_interests (member_id, active);
