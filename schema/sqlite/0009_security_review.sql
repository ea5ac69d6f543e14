-- Login throttle rows expire (the window index finds stale ones), and repeated lock-outs of one
-- key grow longer (lockouts counts them).
ALTER TABLE login_throttle ADD COLUMN lockouts INTEGER NOT NULL DEFAULT 0;
CREATE INDEX ix_login_throttle_window ON login_throttle (window_start);

-- Notices addressed to one user (an account locked by failed sign-ins) rather than to a unit.
ALTER TABLE notifications ADD COLUMN user_id INTEGER NULL
  CONSTRAINT fk_notifications_user REFERENCES users (id) ON DELETE CASCADE;
CREATE INDEX ix_notifications_user ON notifications (user_id, created_at);

-- Refused requests counted per user, route and minute: the audit log gets one row per bucket.
CREATE TABLE access_denials (
  user_id INTEGER NOT NULL,
  route TEXT NOT NULL,
  minute_start TEXT NOT NULL,
  refusals INTEGER NOT NULL,
  CONSTRAINT pk_access_denials PRIMARY KEY (user_id, route, minute_start)
);
CREATE INDEX ix_access_denials_minute ON access_denials (minute_start);
