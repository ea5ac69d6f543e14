-- Login sessions: only the SHA-256 of the cookie token is stored.
CREATE TABLE sessions (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  token_hash CHAR(64) NOT NULL,
  user_id BIGINT NOT NULL,
  created_at CHAR(26) NOT NULL,
  last_seen_at CHAR(26) NOT NULL,
  expires_at CHAR(26) NOT NULL,
  revoked_at CHAR(26) NULL,
  address VARCHAR(64) NOT NULL,
  user_agent VARCHAR(255) NOT NULL,
  CONSTRAINT fk_sessions_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE UNIQUE INDEX uq_sessions_token ON sessions (token_hash);
CREATE INDEX ix_sessions_user ON sessions (user_id);

-- Personal API tokens (Authorization: Bearer), stored hashed, revocable.
CREATE TABLE api_tokens (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  token_hash CHAR(64) NOT NULL,
  user_id BIGINT NOT NULL,
  name VARCHAR(100) NOT NULL,
  created_at CHAR(26) NOT NULL,
  last_used_at CHAR(26) NULL,
  revoked_at CHAR(26) NULL,
  CONSTRAINT fk_api_tokens_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE UNIQUE INDEX uq_api_tokens_token ON api_tokens (token_hash);
CREATE INDEX ix_api_tokens_user ON api_tokens (user_id);

-- Failed-login counters per "user:NAME" and "addr:ADDRESS", shared by every server process.
CREATE TABLE login_throttle (
  throttle_key VARCHAR(200) NOT NULL PRIMARY KEY,
  failures INT NOT NULL,
  window_start CHAR(26) NOT NULL,
  locked_until CHAR(26) NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The audit log: ids are assigned from audit_head, contiguous, each row hashed with the last.
CREATE TABLE audit_log (
  id BIGINT NOT NULL PRIMARY KEY,
  at CHAR(26) NOT NULL,
  actor_id BIGINT NULL,
  actor_name VARCHAR(64) NOT NULL,
  address VARCHAR(64) NOT NULL,
  action VARCHAR(64) NOT NULL,
  entity_type VARCHAR(64) NOT NULL,
  entity_id VARCHAR(64) NOT NULL,
  summary TEXT NOT NULL,
  prev_hash CHAR(64) NOT NULL,
  hash CHAR(64) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX ix_audit_log_entity ON audit_log (entity_type, entity_id);
CREATE INDEX ix_audit_log_actor ON audit_log (actor_id);
CREATE INDEX ix_audit_log_at ON audit_log (at);

CREATE TABLE audit_head (
  id INT NOT NULL PRIMARY KEY,
  last_id BIGINT NOT NULL,
  last_hash VARCHAR(64) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO audit_head (id, last_id, last_hash) VALUES (1, 0, '');
