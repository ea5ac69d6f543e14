-- Training: a course (课程) has classes (班次), each a scheduled run with seats. confirmed_count
-- and waitlisted_count are kept in the class row, which every sign-up, cancellation and capacity
-- change locks first: the row is the one place the seat count is decided.
CREATE TABLE courses (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  topics TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE classes (
  id INTEGER PRIMARY KEY,
  course_id INTEGER NOT NULL,
  title TEXT NOT NULL,
  starts_at TEXT NOT NULL,
  ends_at TEXT NOT NULL,
  venue TEXT NOT NULL,
  capacity INTEGER NOT NULL,
  per_member_quota INTEGER NULL,
  fee_fen INTEGER NOT NULL,
  signup_deadline TEXT NOT NULL,
  status TEXT NOT NULL,
  min_attendance_percent INTEGER NOT NULL,
  confirmed_count INTEGER NOT NULL,
  waitlisted_count INTEGER NOT NULL,
  next_waitlist_seq INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CONSTRAINT fk_classes_course FOREIGN KEY (course_id) REFERENCES courses (id)
);
CREATE INDEX ix_classes_course ON classes (course_id);
CREATE INDEX ix_classes_status ON classes (status, starts_at);

-- One attendee's place in a class. active_mobile is the mobile while the place is held and NULL
-- once cancelled, so the unique index refuses the same person twice yet allows signing up again
-- after a cancellation.
CREATE TABLE enrollments (
  id INTEGER PRIMARY KEY,
  class_id INTEGER NOT NULL,
  member_id INTEGER NULL,
  org_name TEXT NOT NULL,
  attendee_name TEXT NOT NULL,
  attendee_title TEXT NOT NULL,
  mobile TEXT NOT NULL,
  email TEXT NOT NULL,
  lodging TEXT NOT NULL,
  status TEXT NOT NULL,
  waitlist_seq INTEGER NULL,
  active_mobile TEXT NULL,
  fee_fen INTEGER NOT NULL,
  checkin_token TEXT NOT NULL,
  certificate_no TEXT NULL,
  certificate_code TEXT NULL,
  enrolled_by INTEGER NULL,
  created_at TEXT NOT NULL,
  promoted_at TEXT NULL,
  cancelled_at TEXT NULL,
  CONSTRAINT fk_enrollments_class FOREIGN KEY (class_id) REFERENCES classes (id),
  CONSTRAINT fk_enrollments_member FOREIGN KEY (member_id) REFERENCES members (id),
  CONSTRAINT fk_enrollments_user FOREIGN KEY (enrolled_by) REFERENCES users (id)
);
CREATE UNIQUE INDEX uq_enrollments_mobile ON enrollments (class_id, active_mobile);
CREATE UNIQUE INDEX uq_enrollments_token ON enrollments (checkin_token);
CREATE UNIQUE INDEX uq_enrollments_certificate ON enrollments (certificate_code);
CREATE INDEX ix_enrollments_class ON enrollments (class_id, status, waitlist_seq);
CREATE INDEX ix_enrollments_member ON enrollments (member_id);
CREATE INDEX ix_enrollments_user ON enrollments (enrolled_by);

-- Check-ins, per day and half day.
CREATE TABLE attendance (
  id INTEGER PRIMARY KEY,
  enrollment_id INTEGER NOT NULL,
  day TEXT NOT NULL,
  half TEXT NOT NULL,
  checked_at TEXT NOT NULL,
  checked_by INTEGER NULL,
  CONSTRAINT fk_attendance_enrollment FOREIGN KEY (enrollment_id) REFERENCES enrollments (id),
  CONSTRAINT fk_attendance_user FOREIGN KEY (checked_by) REFERENCES users (id)
);
CREATE UNIQUE INDEX uq_attendance_slot ON attendance (enrollment_id, day, half);
CREATE INDEX ix_attendance_user ON attendance (checked_by);

-- What a unit owes for a service, to be invoiced later (training fees with a 发票).
CREATE TABLE charges (
  id INTEGER PRIMARY KEY,
  member_id INTEGER NULL,
  payer_name TEXT NOT NULL,
  source TEXT NOT NULL,
  source_id INTEGER NOT NULL,
  amount_fen INTEGER NOT NULL,
  document_kind TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CONSTRAINT fk_charges_member FOREIGN KEY (member_id) REFERENCES members (id)
);
CREATE UNIQUE INDEX uq_charges_source ON charges (source, source_id);
CREATE INDEX ix_charges_member ON charges (member_id, status);

-- Messages to a unit, delivered by later notification work (SMS, e-mail).
CREATE TABLE notifications (
  id INTEGER PRIMARY KEY,
  member_id INTEGER NULL,
  kind TEXT NOT NULL,
  message TEXT NOT NULL,
  entity_type TEXT NOT NULL,
  entity_id INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  delivered_at TEXT NULL,
  CONSTRAINT fk_notifications_member FOREIGN KEY (member_id) REFERENCES members (id)
);
CREATE INDEX ix_notifications_member ON notifications (member_id, created_at);
