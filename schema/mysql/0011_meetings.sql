-- Meetings and rooms. A booking holds a room for [starts_at, ends_at); every write of a room's
-- bookings locks the room row first, then looks for an overlap: the room row is where "no two
-- bookings overlap" is decided (SQLite: BEGIN IMMEDIATE already serializes writers).
CREATE TABLE rooms (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(100) NOT NULL,
  location VARCHAR(200) NOT NULL,
  capacity INT NOT NULL,
  equipment VARCHAR(1000) NOT NULL,
  active INT NOT NULL,
  created_at CHAR(26) NOT NULL,
  updated_at CHAR(26) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE UNIQUE INDEX ux_rooms_name ON rooms (name);

-- A repeating booking: its rule (JSON as the API takes it) and its exception dates. Its
-- occurrences are ordinary rows of bookings carrying series_id.
CREATE TABLE booking_series (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  room_id BIGINT NOT NULL,
  title VARCHAR(200) NOT NULL,
  booked_for VARCHAR(200) NOT NULL,
  rule_json TEXT NOT NULL,
  except_dates TEXT NOT NULL,
  created_by BIGINT NULL,
  created_at CHAR(26) NOT NULL,
  CONSTRAINT fk_series_room FOREIGN KEY (room_id) REFERENCES rooms (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX ix_series_room ON booking_series (room_id);

CREATE TABLE bookings (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  room_id BIGINT NOT NULL,
  starts_at CHAR(26) NOT NULL,
  ends_at CHAR(26) NOT NULL,
  title VARCHAR(200) NOT NULL,
  booked_for VARCHAR(200) NOT NULL,
  meeting_id BIGINT NULL,
  class_id BIGINT NULL,
  series_id BIGINT NULL,
  status VARCHAR(16) NOT NULL,
  created_by BIGINT NULL,
  version INT NOT NULL,
  created_at CHAR(26) NOT NULL,
  updated_at CHAR(26) NOT NULL,
  CONSTRAINT fk_bookings_room FOREIGN KEY (room_id) REFERENCES rooms (id),
  CONSTRAINT fk_bookings_series FOREIGN KEY (series_id) REFERENCES booking_series (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX ix_bookings_room ON bookings (room_id, status, starts_at);
CREATE INDEX ix_bookings_time ON bookings (status, starts_at);
CREATE INDEX ix_bookings_series ON bookings (series_id, starts_at);

CREATE TABLE meetings (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  kind VARCHAR(32) NOT NULL,
  term_no INT NOT NULL,
  session_no INT NOT NULL,
  title VARCHAR(200) NOT NULL,
  starts_at CHAR(26) NOT NULL,
  ends_at CHAR(26) NOT NULL,
  mode VARCHAR(16) NOT NULL,
  room_id BIGINT NULL,
  booking_id BIGINT NULL,
  venue VARCHAR(200) NOT NULL,
  rsvp_deadline CHAR(26) NOT NULL,
  status VARCHAR(16) NOT NULL,
  description TEXT NOT NULL,
  minutes MEDIUMTEXT NOT NULL,
  version INT NOT NULL,
  created_by BIGINT NULL,
  created_at CHAR(26) NOT NULL,
  updated_at CHAR(26) NOT NULL,
  CONSTRAINT fk_meetings_room FOREIGN KEY (room_id) REFERENCES rooms (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX ix_meetings_time ON meetings (starts_at);
CREATE INDEX ix_meetings_kind ON meetings (kind, term_no, session_no);
-- Every foreign key has its own index: MariaDB would otherwise add one SQLite does not have.
CREATE INDEX ix_meetings_room ON meetings (room_id);

CREATE TABLE meeting_agenda (
  meeting_id BIGINT NOT NULL,
  position INT NOT NULL,
  title VARCHAR(200) NOT NULL,
  presenter VARCHAR(100) NOT NULL,
  CONSTRAINT pk_meeting_agenda PRIMARY KEY (meeting_id, position),
  CONSTRAINT fk_agenda_meeting FOREIGN KEY (meeting_id) REFERENCES meetings (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- An invited unit. pass_token is the key of its check-in QR code; reminded_on the last day a
-- reminder went out (one a day).
CREATE TABLE meeting_invitees (
  meeting_id BIGINT NOT NULL,
  member_id BIGINT NOT NULL,
  source VARCHAR(8) NOT NULL,
  pass_token VARCHAR(64) NOT NULL,
  invited_at CHAR(26) NOT NULL,
  reminded_on CHAR(10) NULL,
  CONSTRAINT pk_meeting_invitees PRIMARY KEY (meeting_id, member_id),
  CONSTRAINT fk_invitees_meeting FOREIGN KEY (meeting_id) REFERENCES meetings (id),
  CONSTRAINT fk_invitees_member FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE UNIQUE INDEX ux_invitees_token ON meeting_invitees (pass_token);
CREATE INDEX ix_invitees_member ON meeting_invitees (member_id);

-- People invited by name (leaders, staff, guests with an account).
CREATE TABLE meeting_guests (
  meeting_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  invited_at CHAR(26) NOT NULL,
  CONSTRAINT pk_meeting_guests PRIMARY KEY (meeting_id, user_id),
  CONSTRAINT fk_guests_meeting FOREIGN KEY (meeting_id) REFERENCES meetings (id),
  CONSTRAINT fk_guests_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX ix_guests_user ON meeting_guests (user_id);

-- A unit's 回执: attending, not, or a written proxy (授权委托书) to another invited unit.
CREATE TABLE meeting_rsvps (
  meeting_id BIGINT NOT NULL,
  member_id BIGINT NOT NULL,
  attending INT NOT NULL,
  proxy_to_member_id BIGINT NULL,
  note VARCHAR(500) NOT NULL,
  replied_by BIGINT NULL,
  replied_at CHAR(26) NOT NULL,
  CONSTRAINT pk_meeting_rsvps PRIMARY KEY (meeting_id, member_id),
  CONSTRAINT fk_rsvps_meeting FOREIGN KEY (meeting_id) REFERENCES meetings (id),
  CONSTRAINT fk_rsvps_member FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX ix_rsvps_proxy ON meeting_rsvps (meeting_id, proxy_to_member_id);
CREATE INDEX ix_rsvps_member ON meeting_rsvps (member_id);

CREATE TABLE meeting_rsvp_attendees (
  meeting_id BIGINT NOT NULL,
  member_id BIGINT NOT NULL,
  position INT NOT NULL,
  name VARCHAR(100) NOT NULL,
  title VARCHAR(100) NOT NULL,
  mobile VARCHAR(20) NOT NULL,
  CONSTRAINT pk_rsvp_attendees PRIMARY KEY (meeting_id, member_id, position)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE meeting_attendance (
  meeting_id BIGINT NOT NULL,
  member_id BIGINT NOT NULL,
  checked_at CHAR(26) NOT NULL,
  checked_by BIGINT NULL,
  CONSTRAINT pk_meeting_attendance PRIMARY KEY (meeting_id, member_id),
  CONSTRAINT fk_attendance_meeting FOREIGN KEY (meeting_id) REFERENCES meetings (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE meeting_materials (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  meeting_id BIGINT NOT NULL,
  filename VARCHAR(200) NOT NULL,
  content_type VARCHAR(100) NOT NULL,
  size_bytes BIGINT NOT NULL,
  sha256 CHAR(64) NOT NULL,
  stored_name VARCHAR(100) NOT NULL,
  uploaded_by BIGINT NULL,
  uploaded_at CHAR(26) NOT NULL,
  deleted_at CHAR(26) NULL,
  CONSTRAINT fk_materials_meeting FOREIGN KEY (meeting_id) REFERENCES meetings (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX ix_materials_meeting ON meeting_materials (meeting_id);

-- A resolution as the registration authority asks for it: 应到, 实到, 赞成, 反对, 弃权, 表决方式.
CREATE TABLE meeting_resolutions (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  meeting_id BIGINT NOT NULL,
  title VARCHAR(200) NOT NULL,
  kind VARCHAR(32) NOT NULL,
  method VARCHAR(16) NOT NULL,
  entitled INT NOT NULL,
  present INT NOT NULL,
  votes_for INT NOT NULL,
  votes_against INT NOT NULL,
  abstentions INT NOT NULL,
  passed INT NOT NULL,
  rule_text VARCHAR(200) NOT NULL,
  created_by BIGINT NULL,
  created_at CHAR(26) NOT NULL,
  deleted_at CHAR(26) NULL,
  CONSTRAINT fk_resolutions_meeting FOREIGN KEY (meeting_id) REFERENCES meetings (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX ix_resolutions_meeting ON meeting_resolutions (meeting_id);

-- A user's secret calendar feed key. Kept as is, not hashed: the user's page shows the URL again.
CREATE TABLE calendar_feeds (
  user_id BIGINT NOT NULL PRIMARY KEY,
  token VARCHAR(64) NOT NULL,
  created_at CHAR(26) NOT NULL,
  CONSTRAINT fk_feeds_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE UNIQUE INDEX ux_feeds_token ON calendar_feeds (token);

