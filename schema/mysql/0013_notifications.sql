-- Notifications that arrive (issue 15): the notifications rows written with each change are the
-- outbox's source; a dispatcher fans each out into messages per channel and recipient and
-- delivers them with retries under a lease.

-- The notice for English readers, a one-time link (a password reset; wiped at fan-out), the UI
-- path the notice is about, and whether it shows in the inbox (a password reset does not).
-- delivered_at now marks a notice fanned out into the outbox.
ALTER TABLE notifications ADD COLUMN message_en MEDIUMTEXT NULL;
ALTER TABLE notifications ADD COLUMN action_url MEDIUMTEXT NULL;
ALTER TABLE notifications ADD COLUMN link VARCHAR(200) NULL;
ALTER TABLE notifications ADD COLUMN in_app INT NOT NULL DEFAULT 1;
-- Notices written before delivery existed are history, not news: never send them now.
UPDATE notifications SET delivered_at = created_at WHERE delivered_at IS NULL;
CREATE INDEX ix_notifications_undelivered ON notifications (delivered_at, id);

-- Where a user's own mail goes (a password reset) and the language of what is sent to them.
ALTER TABLE users ADD COLUMN email VARCHAR(200) NULL;
ALTER TABLE users ADD COLUMN locale VARCHAR(8) NOT NULL DEFAULT 'zh-CN';
CREATE INDEX ix_users_email ON users (email);

-- Read marks per user: a unit's notice is read separately by each of its accounts.
CREATE TABLE notification_reads (
  notification_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  read_at CHAR(26) NOT NULL,
  CONSTRAINT pk_notification_reads PRIMARY KEY (notification_id, user_id),
  CONSTRAINT fk_notification_reads_notification FOREIGN KEY (notification_id)
    REFERENCES notifications (id) ON DELETE CASCADE,
  CONSTRAINT fk_notification_reads_user FOREIGN KEY (user_id) REFERENCES users (id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX ix_notification_reads_user ON notification_reads (user_id);

-- A user's choice per kind and channel (email, sms); no row: the kind's default.
CREATE TABLE notification_prefs (
  user_id BIGINT NOT NULL,
  kind VARCHAR(40) NOT NULL,
  channel VARCHAR(8) NOT NULL,
  enabled INT NOT NULL,
  CONSTRAINT pk_notification_prefs PRIMARY KEY (user_id, kind, channel),
  CONSTRAINT fk_notification_prefs_user FOREIGN KEY (user_id) REFERENCES users (id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Templates admins changed; a kind without a row uses the built-in default.
CREATE TABLE notification_templates (
  kind VARCHAR(40) NOT NULL,
  locale VARCHAR(8) NOT NULL,
  subject VARCHAR(300) NOT NULL,
  body MEDIUMTEXT NOT NULL,
  sms VARCHAR(1000) NOT NULL,
  updated_by BIGINT NULL,
  updated_at CHAR(26) NOT NULL,
  CONSTRAINT pk_notification_templates PRIMARY KEY (kind, locale),
  CONSTRAINT fk_notification_templates_user FOREIGN KEY (updated_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX ix_notification_templates_user ON notification_templates (updated_by);

-- One message to one address over one channel, rendered when fanned out so a retry sends the
-- same text. The unique key makes a second fan-out of the same notice impossible.
CREATE TABLE outbox (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  notification_id BIGINT NOT NULL,
  kind VARCHAR(40) NOT NULL,
  channel VARCHAR(8) NOT NULL,
  recipient VARCHAR(200) NOT NULL,
  recipient_name VARCHAR(100) NOT NULL,
  subject VARCHAR(400) NOT NULL,
  body_text MEDIUMTEXT NOT NULL,
  body_html MEDIUMTEXT NOT NULL,
  message_id VARCHAR(120) NOT NULL,
  secret INT NOT NULL,
  status VARCHAR(12) NOT NULL,
  attempts INT NOT NULL,
  failures INT NOT NULL,
  last_error VARCHAR(1000) NULL,
  next_attempt_at CHAR(26) NULL,
  lease_owner VARCHAR(64) NULL,
  lease_until CHAR(26) NULL,
  created_at CHAR(26) NOT NULL,
  updated_at CHAR(26) NOT NULL,
  sent_at CHAR(26) NULL,
  CONSTRAINT fk_outbox_notification FOREIGN KEY (notification_id) REFERENCES notifications (id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE UNIQUE INDEX ux_outbox_delivery ON outbox (notification_id, channel, recipient);
CREATE INDEX ix_outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX ix_outbox_lease ON outbox (status, lease_until);

-- One-time password reset tokens, stored as SHA-256 hashes; address throttles requests.
CREATE TABLE password_resets (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id BIGINT NOT NULL,
  token_hash CHAR(64) NOT NULL,
  address VARCHAR(64) NOT NULL,
  created_at CHAR(26) NOT NULL,
  expires_at CHAR(26) NOT NULL,
  used_at CHAR(26) NULL,
  CONSTRAINT fk_password_resets_user FOREIGN KEY (user_id) REFERENCES users (id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE UNIQUE INDEX ux_password_resets_token ON password_resets (token_hash);
CREATE INDEX ix_password_resets_user ON password_resets (user_id, created_at);
CREATE INDEX ix_password_resets_address ON password_resets (address, created_at);

-- The scheduler's claims: one row per job and due time, inserted in the transaction that does
-- the job's work, so one process runs each due time once and a re-run finds it done.
CREATE TABLE scheduled_runs (
  job VARCHAR(40) NOT NULL,
  due_key VARCHAR(40) NOT NULL,
  claimed_at CHAR(26) NOT NULL,
  items INT NOT NULL,
  CONSTRAINT pk_scheduled_runs PRIMARY KEY (job, due_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
