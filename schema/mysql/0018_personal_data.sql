-- Issue 19 (personal information).
-- The audit chain, version 2: a row's hash covers the SHA-256 of its summary instead of the
-- summary itself, so erasing a person can replace a summary that names them with a placeholder
-- and keep the original's digest in erased_digest: the chain still verifies. The server converts
-- a version 1 chain once, after verifying it (core/audit.cpp, upgrade_audit_chain).
ALTER TABLE audit_log ADD COLUMN erased_digest CHAR(64) NULL;
ALTER TABLE audit_head ADD COLUMN hash_version INT NOT NULL DEFAULT 1;

-- Two-factor sign-in (RFC 6238). A secret is pending until a code from it is confirmed;
-- last_step is the time step of the last accepted code, so no code is accepted twice.
CREATE TABLE user_totp (
  user_id BIGINT NOT NULL PRIMARY KEY,
  secret VARCHAR(64) NOT NULL,
  confirmed_at CHAR(26) NULL,
  last_step BIGINT NOT NULL DEFAULT 0,
  created_at CHAR(26) NOT NULL,
  CONSTRAINT fk_user_totp_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

