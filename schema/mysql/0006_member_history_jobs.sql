-- Changes of a unit's tier, name and representative, each with the date it takes effect (a tier
-- voted at the general assembly applies from that day; a renamed zone keeps its membership).
CREATE TABLE member_history (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  member_id BIGINT NOT NULL,
  kind VARCHAR(16) NOT NULL,
  from_value VARCHAR(200) NOT NULL,
  to_value VARCHAR(200) NOT NULL,
  effective_on CHAR(10) NOT NULL,
  reason VARCHAR(500) NOT NULL,
  actor_id BIGINT NULL,
  actor_name VARCHAR(64) NOT NULL,
  changed_at CHAR(26) NOT NULL,
  CONSTRAINT fk_member_history_member FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX ix_member_history_member ON member_history (member_id, changed_at);

-- One membership certificate per unit and year; the code is the unguessable part of the public
-- verification URL.
CREATE TABLE member_certificates (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  member_id BIGINT NOT NULL,
  cert_year INT NOT NULL,
  code CHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  issued_at CHAR(26) NOT NULL,
  CONSTRAINT fk_member_certificates_member FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE UNIQUE INDEX uq_member_certificates_year ON member_certificates (member_id, cert_year);
CREATE UNIQUE INDEX uq_member_certificates_code ON member_certificates (code);

-- Long-running work (imports, bill runs) with its outcome; live progress is kept by the process
-- running the job.
CREATE TABLE jobs (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  kind VARCHAR(32) NOT NULL,
  status VARCHAR(16) NOT NULL,
  total_count BIGINT NOT NULL,
  done_count BIGINT NOT NULL,
  result MEDIUMTEXT NOT NULL,
  created_by BIGINT NULL,
  created_at CHAR(26) NOT NULL,
  updated_at CHAR(26) NOT NULL,
  CONSTRAINT fk_jobs_user FOREIGN KEY (created_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE INDEX ix_jobs_created_by ON jobs (created_by);

-- Applications per address in a window, for the per-address limit.
CREATE INDEX ix_applications_ip ON applications (address_ip, submitted_at);
