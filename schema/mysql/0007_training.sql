-- Training: a course (课程) has classes (班次), each a scheduled run with seats. confirmed_count
-- and waitlisted_count are kept in the class row, which every sign-up, cancellation and capacity
-- change locks first: the row is the one place the seat count is decided.
CREATE TABLE courses (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  title VARCHAR(200) NOT NULL,
  description TEXT NOT NULL,
  topics VARCHAR(1000) NOT NULL,
  created_at CHAR(26) NOT NULL,
  updated_at CHAR(26) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE classes (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  course_id BIGINT NOT NULL,
  title VARCHAR(200) NOT NULL,
  starts_at CHAR(26) NOT NULL,
  ends_at CHAR(26) NOT NULL,
  venue VARCHAR(200) NOT NULL,
  capacity INT NOT NULL,
  per_member_quota INT NULL,
  fee_fen BIGINT NOT NULL,
  signup_deadline CHAR(26) NOT NULL,
  status VARCHAR(16) NOT NULL,
  min_attendance_percent INT NOT NULL,
  confirmed_count INT NOT NULL,
  waitlisted_count INT NOT NULL,
  next_waitlist_seq BIGINT NOT NULL,
  created_at CHAR(26) NOT NULL,
  updated_at CHAR(26) NOT NULL,
  CONSTRAINT fk_classes_course FOREIGN KEY (course_id) REFERENCES courses (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX ix_classes_course ON classes (course_id);
CREATE INDEX ix_classes_status ON classes (status, starts_at);

-- One attendee's place in a class. active_mobile is the mobile while the place is held and NULL
-- once cancelled, so the unique index refuses the same person twice yet allows signing up again
-- after a cancellation.
CREATE TABLE enrollments (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  class_id BIGINT NOT NULL,
  member_id BIGINT NULL,
  org_name VARCHAR(100) NOT NULL,
  attendee_name VARCHAR(50) NOT NULL,
  attendee_title VARCHAR(50) NOT NULL,
  mobile CHAR(11) NOT NULL,
  email VARCHAR(254) NOT NULL,
  lodging VARCHAR(16) NOT NULL,
  status VARCHAR(16) NOT NULL,
  waitlist_seq BIGINT NULL,
  active_mobile CHAR(11) NULL,
  fee_fen BIGINT NOT NULL,
  checkin_token CHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  certificate_no VARCHAR(32) NULL,
  certificate_code CHAR(32) CHARACTER SET ascii COLLATE ascii_bin NULL,
  enrolled_by BIGINT NULL,
  created_at CHAR(26) NOT NULL,
  promoted_at CHAR(26) NULL,
  cancelled_at CHAR(26) NULL,
  CONSTRAINT fk_enrollments_class FOREIGN KEY (class_id) REFERENCES classes (id),
  CONSTRAINT fk_enrollments_member FOREIGN KEY (member_id) REFERENCES members (id),
  CONSTRAINT fk_enrollments_user FOREIGN KEY (enrolled_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE UNIQUE INDEX uq_enrollments_mobile ON enrollments (class_id, active_mobile);
CREATE UNIQUE INDEX uq_enrollments_token ON enrollments (checkin_token);
CREATE UNIQUE INDEX uq_enrollments_certificate ON enrollments (certificate_code);
CREATE INDEX ix_enrollments_class ON enrollments (class_id, status, waitlist_seq);
CREATE INDEX ix_enrollments_member ON enrollments (member_id);
CREATE INDEX ix_enrollments_user ON enrollments (enrolled_by);

-- Check-ins, per day and half day.
CREATE TABLE attendance (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  enrollment_id BIGINT NOT NULL,
  day CHAR(10) NOT NULL,
  half VARCHAR(4) NOT NULL,
  checked_at CHAR(26) NOT NULL,
  checked_by BIGINT NULL,
  CONSTRAINT fk_attendance_enrollment FOREIGN KEY (enrollment_id) REFERENCES enrollments (id),
  CONSTRAINT fk_attendance_user FOREIGN KEY (checked_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE UNIQUE INDEX uq_attendance_slot ON attendance (enrollment_id, day, half);
CREATE INDEX ix_attendance_user ON attendance (checked_by);

-- What a unit owes for a service, to be invoiced later (training fees with a 发票).
CREATE TABLE charges (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  member_id BIGINT NULL,
  payer_name VARCHAR(100) NOT NULL,
  source VARCHAR(32) NOT NULL,
  source_id BIGINT NOT NULL,
  amount_fen BIGINT NOT NULL,
  document_kind VARCHAR(16) NOT NULL,
  status VARCHAR(16) NOT NULL,
  created_at CHAR(26) NOT NULL,
  updated_at CHAR(26) NOT NULL,
  CONSTRAINT fk_charges_member FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE UNIQUE INDEX uq_charges_source ON charges (source, source_id);
CREATE INDEX ix_charges_member ON charges (member_id, status);

-- Messages to a unit, delivered by later notification work (SMS, e-mail).
CREATE TABLE notifications (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  member_id BIGINT NULL,
  kind VARCHAR(32) NOT NULL,
  message VARCHAR(1000) NOT NULL,
  entity_type VARCHAR(32) NOT NULL,
  entity_id BIGINT NOT NULL,
  created_at CHAR(26) NOT NULL,
  delivered_at CHAR(26) NULL,
  CONSTRAINT fk_notifications_member FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX ix_notifications_member ON notifications (member_id, created_at);
