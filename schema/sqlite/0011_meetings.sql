-- Meetings and rooms. A booking holds a room for [starts_at, ends_at); every write of a room's
-- bookings locks the room row first, then looks for an overlap: the room row is where "no two
-- bookings overlap" is decided (SQLite: BEGIN IMMEDIATE already serializes writers).
CREATE TABLE rooms (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  location TEXT NOT NULL,
  capacity INTEGER NOT NULL,
  equipment TEXT NOT NULL,
  active INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_rooms_name ON rooms (name);

-- A repeating booking: its rule (JSON as the API takes it) and its exception dates. Its
-- occurrences are ordinary rows of bookings carrying series_id.
CREATE TABLE booking_series (
  id INTEGER PRIMARY KEY,
  room_id INTEGER NOT NULL,
  title TEXT NOT NULL,
  booked_for TEXT NOT NULL,
  rule_json TEXT NOT NULL,
  except_dates TEXT NOT NULL,
  created_by INTEGER NULL,
  created_at TEXT NOT NULL,
  CONSTRAINT fk_series_room FOREIGN KEY (room_id) REFERENCES rooms (id)
);
CREATE INDEX ix_series_room ON booking_series (room_id);

CREATE TABLE bookings (
  id INTEGER PRIMARY KEY,
  room_id INTEGER NOT NULL,
  starts_at TEXT NOT NULL,
  ends_at TEXT NOT NULL,
  title TEXT NOT NULL,
  booked_for TEXT NOT NULL,
  meeting_id INTEGER NULL,
  class_id INTEGER NULL,
  series_id INTEGER NULL,
  status TEXT NOT NULL,
  created_by INTEGER NULL,
  version INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CONSTRAINT fk_bookings_room FOREIGN KEY (room_id) REFERENCES rooms (id),
  CONSTRAINT fk_bookings_series FOREIGN KEY (series_id) REFERENCES booking_series (id)
);
CREATE INDEX ix_bookings_room ON bookings (room_id, status, starts_at);
CREATE INDEX ix_bookings_time ON bookings (status, starts_at);
CREATE INDEX ix_bookings_series ON bookings (series_id, starts_at);

CREATE TABLE meetings (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  term_no INTEGER NOT NULL,
  session_no INTEGER NOT NULL,
  title TEXT NOT NULL,
  starts_at TEXT NOT NULL,
  ends_at TEXT NOT NULL,
  mode TEXT NOT NULL,
  room_id INTEGER NULL,
  booking_id INTEGER NULL,
  venue TEXT NOT NULL,
  rsvp_deadline TEXT NOT NULL,
  status TEXT NOT NULL,
  description TEXT NOT NULL,
  minutes TEXT NOT NULL,
  version INTEGER NOT NULL,
  created_by INTEGER NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CONSTRAINT fk_meetings_room FOREIGN KEY (room_id) REFERENCES rooms (id)
);
CREATE INDEX ix_meetings_time ON meetings (starts_at);
CREATE INDEX ix_meetings_kind ON meetings (kind, term_no, session_no);
-- Every foreign key has its own index: MariaDB would otherwise add one SQLite does not have.
CREATE INDEX ix_meetings_room ON meetings (room_id);

CREATE TABLE meeting_agenda (
  meeting_id INTEGER NOT NULL,
  position INTEGER NOT NULL,
  title TEXT NOT NULL,
  presenter TEXT NOT NULL,
  CONSTRAINT pk_meeting_agenda PRIMARY KEY (meeting_id, position),
  CONSTRAINT fk_agenda_meeting FOREIGN KEY (meeting_id) REFERENCES meetings (id)
);

-- An invited unit. pass_token is the key of its check-in QR code; reminded_on the last day a
-- reminder went out (one a day).
CREATE TABLE meeting_invitees (
  meeting_id INTEGER NOT NULL,
  member_id INTEGER NOT NULL,
  source TEXT NOT NULL,
  pass_token TEXT NOT NULL,
  invited_at TEXT NOT NULL,
  reminded_on TEXT NULL,
  CONSTRAINT pk_meeting_invitees PRIMARY KEY (meeting_id, member_id),
  CONSTRAINT fk_invitees_meeting FOREIGN KEY (meeting_id) REFERENCES meetings (id),
  CONSTRAINT fk_invitees_member FOREIGN KEY (member_id) REFERENCES members (id)
);
CREATE UNIQUE INDEX ux_invitees_token ON meeting_invitees (pass_token);
CREATE INDEX ix_invitees_member ON meeting_invitees (member_id);

-- People invited by name (leaders, staff, guests with an account).
CREATE TABLE meeting_guests (
  meeting_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  invited_at TEXT NOT NULL,
  CONSTRAINT pk_meeting_guests PRIMARY KEY (meeting_id, user_id),
  CONSTRAINT fk_guests_meeting FOREIGN KEY (meeting_id) REFERENCES meetings (id),
  CONSTRAINT fk_guests_user FOREIGN KEY (user_id) REFERENCES users (id)
);
CREATE INDEX ix_guests_user ON meeting_guests (user_id);

-- A unit's 回执: attending, not, or a written proxy (授权委托书) to another invited unit.
CREATE TABLE meeting_rsvps (
  meeting_id INTEGER NOT NULL,
  member_id INTEGER NOT NULL,
  attending INTEGER NOT NULL,
  proxy_to_member_id INTEGER NULL,
  note TEXT NOT NULL,
  replied_by INTEGER NULL,
  replied_at TEXT NOT NULL,
  CONSTRAINT pk_meeting_rsvps PRIMARY KEY (meeting_id, member_id),
  CONSTRAINT fk_rsvps_meeting FOREIGN KEY (meeting_id) REFERENCES meetings (id),
  CONSTRAINT fk_rsvps_member FOREIGN KEY (member_id) REFERENCES members (id)
);
CREATE INDEX ix_rsvps_proxy ON meeting_rsvps (meeting_id, proxy_to_member_id);
CREATE INDEX ix_rsvps_member ON meeting_rsvps (member_id);

CREATE TABLE meeting_rsvp_attendees (
  meeting_id INTEGER NOT NULL,
  member_id INTEGER NOT NULL,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  title TEXT NOT NULL,
  mobile TEXT NOT NULL,
  CONSTRAINT pk_rsvp_attendees PRIMARY KEY (meeting_id, member_id, position)
);

CREATE TABLE meeting_attendance (
  meeting_id INTEGER NOT NULL,
  member_id INTEGER NOT NULL,
  checked_at TEXT NOT NULL,
  checked_by INTEGER NULL,
  CONSTRAINT pk_meeting_attendance PRIMARY KEY (meeting_id, member_id),
  CONSTRAINT fk_attendance_meeting FOREIGN KEY (meeting_id) REFERENCES meetings (id)
);

CREATE TABLE meeting_materials (
  id INTEGER PRIMARY KEY,
  meeting_id INTEGER NOT NULL,
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  stored_name TEXT NOT NULL,
  uploaded_by INTEGER NULL,
  uploaded_at TEXT NOT NULL,
  deleted_at TEXT NULL,
  CONSTRAINT fk_materials_meeting FOREIGN KEY (meeting_id) REFERENCES meetings (id)
);
CREATE INDEX ix_materials_meeting ON meeting_materials (meeting_id);

-- A resolution as the registration authority asks for it: 应到, 实到, 赞成, 反对, 弃权, 表决方式.
CREATE TABLE meeting_resolutions (
  id INTEGER PRIMARY KEY,
  meeting_id INTEGER NOT NULL,
  title TEXT NOT NULL,
  kind TEXT NOT NULL,
  method TEXT NOT NULL,
  entitled INTEGER NOT NULL,
  present INTEGER NOT NULL,
  votes_for INTEGER NOT NULL,
  votes_against INTEGER NOT NULL,
  abstentions INTEGER NOT NULL,
  passed INTEGER NOT NULL,
  rule_text TEXT NOT NULL,
  created_by INTEGER NULL,
  created_at TEXT NOT NULL,
  deleted_at TEXT NULL,
  CONSTRAINT fk_resolutions_meeting FOREIGN KEY (meeting_id) REFERENCES meetings (id)
);
CREATE INDEX ix_resolutions_meeting ON meeting_resolutions (meeting_id);

-- A user's secret calendar feed key. Kept as is, not hashed: the user's page shows the URL again.
CREATE TABLE calendar_feeds (
  user_id INTEGER NOT NULL PRIMARY KEY,
  token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  CONSTRAINT fk_feeds_user FOREIGN KEY (user_id) REFERENCES users (id)
);
CREATE UNIQUE INDEX ux_feeds_token ON calendar_feeds (token);

