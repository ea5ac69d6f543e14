-- Changes of a unit's tier, name and representative, each with the date it takes effect (a tier
-- voted at the general assembly applies from that day; a renamed zone keeps its membership).
CREATE TABLE member_history (
  id INTEGER PRIMARY KEY,
  member_id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  from_value TEXT NOT NULL,
  to_value TEXT NOT NULL,
  effective_on TEXT NOT NULL,
  reason TEXT NOT NULL,
  actor_id INTEGER NULL,
  actor_name TEXT NOT NULL,
  changed_at TEXT NOT NULL,
  CONSTRAINT fk_member_history_member FOREIGN KEY (member_id) REFERENCES members (id)
);
CREATE INDEX ix_member_history_member ON member_history (member_id, changed_at);

-- One membership certificate per unit and year; the code is the unguessable part of the public
-- verification URL.
CREATE TABLE member_certificates (
  id INTEGER PRIMARY KEY,
  member_id INTEGER NOT NULL,
  cert_year INTEGER NOT NULL,
  code TEXT NOT NULL,
  issued_at TEXT NOT NULL,
  CONSTRAINT fk_member_certificates_member FOREIGN KEY (member_id) REFERENCES members (id)
);
CREATE UNIQUE INDEX uq_member_certificates_year ON member_certificates (member_id, cert_year);
CREATE UNIQUE INDEX uq_member_certificates_code ON member_certificates (code);

-- Long-running work (imports, bill runs) with its outcome; live progress is kept by the process
-- running the job.
CREATE TABLE jobs (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  total_count INTEGER NOT NULL,
  done_count INTEGER NOT NULL,
  result TEXT NOT NULL,
  created_by INTEGER NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CONSTRAINT fk_jobs_user FOREIGN KEY (created_by) REFERENCES users (id)
);

CREATE INDEX ix_jobs_created_by ON jobs (created_by);

-- Applications per address in a window, for the per-address limit.
CREATE INDEX ix_applications_ip ON applications (address_ip, submitted_at);
