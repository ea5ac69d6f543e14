-- Dues (会费): schedules adopted by the general assembly, reductions, invoices, payments with
-- their 会费收据, bank statements, and the 开票信息 units give for training and visit fees.

-- One version of a year's schedule. A published schedule changes only by a new decision: the new
-- version supersedes the old one, which stays as history.
CREATE TABLE dues_schedules (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  year INT NOT NULL,
  version INT NOT NULL,
  effective_on CHAR(10) NOT NULL,
  meeting_name VARCHAR(100) NOT NULL,
  held_on CHAR(10) NOT NULL,
  entitled INT NOT NULL,
  present INT NOT NULL,
  votes_for INT NOT NULL,
  votes_against INT NOT NULL,
  abstentions INT NOT NULL,
  secret_ballot INT NOT NULL,
  resolution_id BIGINT NULL,
  copied_from_year INT NULL,
  published_at CHAR(26) NULL,
  superseded_at CHAR(26) NULL,
  created_by BIGINT NULL,
  created_at CHAR(26) NOT NULL,
  CONSTRAINT fk_dues_schedules_user FOREIGN KEY (created_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE UNIQUE INDEX uq_dues_schedules_version ON dues_schedules (year, version);
CREATE INDEX ix_dues_schedules_user ON dues_schedules (created_by);

CREATE TABLE dues_schedule_amounts (
  schedule_id BIGINT NOT NULL,
  tier VARCHAR(32) NOT NULL,
  amount_fen BIGINT NOT NULL,
  CONSTRAINT pk_dues_schedule_amounts PRIMARY KEY (schedule_id, tier),
  CONSTRAINT fk_dues_amounts_schedule FOREIGN KEY (schedule_id) REFERENCES dues_schedules (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A reduction or waiver (减免) for one unit and year; revoked ones stay for the record.
CREATE TABLE dues_reductions (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  member_id BIGINT NOT NULL,
  year INT NOT NULL,
  amount_fen BIGINT NULL,
  percent INT NULL,
  reason VARCHAR(500) NOT NULL,
  approved_by VARCHAR(100) NOT NULL,
  created_by BIGINT NULL,
  created_at CHAR(26) NOT NULL,
  revoked_at CHAR(26) NULL,
  CONSTRAINT fk_dues_reductions_member FOREIGN KEY (member_id) REFERENCES members (id),
  CONSTRAINT fk_dues_reductions_user FOREIGN KEY (created_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX ix_dues_reductions_member ON dues_reductions (member_id, year);
CREATE INDEX ix_dues_reductions_user ON dues_reductions (created_by);

-- One 会费通知单 per unit and year. paid_fen is the sum of the live payments, kept with them.
CREATE TABLE dues_invoices (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  member_id BIGINT NOT NULL,
  year INT NOT NULL,
  tier VARCHAR(32) NOT NULL,
  schedule_id BIGINT NOT NULL,
  full_fen BIGINT NOT NULL,
  amount_fen BIGINT NOT NULL,
  reduced_fen BIGINT NOT NULL,
  paid_fen BIGINT NOT NULL,
  status VARCHAR(16) NOT NULL,
  proration VARCHAR(32) NOT NULL,
  issued_on CHAR(10) NOT NULL,
  reminders_sent INT NOT NULL,
  last_reminded_on CHAR(10) NULL,
  created_at CHAR(26) NOT NULL,
  updated_at CHAR(26) NOT NULL,
  CONSTRAINT fk_dues_invoices_member FOREIGN KEY (member_id) REFERENCES members (id),
  CONSTRAINT fk_dues_invoices_schedule FOREIGN KEY (schedule_id) REFERENCES dues_schedules (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE UNIQUE INDEX uq_dues_invoices_member_year ON dues_invoices (member_id, year);
CREATE INDEX ix_dues_invoices_year ON dues_invoices (year, status);
CREATE INDEX ix_dues_invoices_schedule ON dues_invoices (schedule_id);

-- Receipt numbers: one counter row per year, locked by each payment, so numbers are gapless.
CREATE TABLE dues_receipt_counters (
  year INT NOT NULL PRIMARY KEY,
  last_seq INT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A payment is never deleted: a reversal (冲正) marks it and its receipt void.
CREATE TABLE dues_payments (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  invoice_id BIGINT NOT NULL,
  member_id BIGINT NOT NULL,
  amount_fen BIGINT NOT NULL,
  paid_on CHAR(10) NOT NULL,
  method VARCHAR(16) NOT NULL,
  reference VARCHAR(200) NOT NULL,
  receipt_year INT NOT NULL,
  receipt_seq INT NOT NULL,
  verify_code VARCHAR(32) NOT NULL,
  status VARCHAR(16) NOT NULL,
  source_key VARCHAR(128) NULL,
  reverse_reason VARCHAR(500) NULL,
  reversed_at CHAR(26) NULL,
  reversed_by BIGINT NULL,
  created_by BIGINT NULL,
  created_at CHAR(26) NOT NULL,
  CONSTRAINT fk_dues_payments_invoice FOREIGN KEY (invoice_id) REFERENCES dues_invoices (id),
  CONSTRAINT fk_dues_payments_member FOREIGN KEY (member_id) REFERENCES members (id),
  CONSTRAINT fk_dues_payments_reverser FOREIGN KEY (reversed_by) REFERENCES users (id),
  CONSTRAINT fk_dues_payments_user FOREIGN KEY (created_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE UNIQUE INDEX uq_dues_payments_receipt ON dues_payments (receipt_year, receipt_seq);
CREATE UNIQUE INDEX uq_dues_payments_verify ON dues_payments (verify_code);
CREATE UNIQUE INDEX uq_dues_payments_source ON dues_payments (source_key);
CREATE INDEX ix_dues_payments_invoice ON dues_payments (invoice_id);
CREATE INDEX ix_dues_payments_member ON dues_payments (member_id);
CREATE INDEX ix_dues_payments_reverser ON dues_payments (reversed_by);
CREATE INDEX ix_dues_payments_user ON dues_payments (created_by);

-- Idempotency-Key records (Stripe's semantics), per caller: in flight until the response is
-- stored with the payment it answers.
CREATE TABLE idempotency_keys (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  scope VARCHAR(64) NOT NULL,
  idem_key VARCHAR(255) NOT NULL,
  request_hash CHAR(64) NOT NULL,
  state VARCHAR(16) NOT NULL,
  http_status INT NULL,
  response_body MEDIUMTEXT NULL,
  created_at CHAR(26) NOT NULL,
  updated_at CHAR(26) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE UNIQUE INDEX uq_idempotency_keys ON idempotency_keys (scope, idem_key);
CREATE INDEX ix_idempotency_keys_created ON idempotency_keys (created_at);

-- Uploaded bank statements and their credit lines. line_key (a hash of the statement line) keys
-- the payment a confirmed line becomes.
CREATE TABLE dues_statements (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  file_name VARCHAR(255) NOT NULL,
  line_count INT NOT NULL,
  uploaded_by BIGINT NULL,
  uploaded_at CHAR(26) NOT NULL,
  CONSTRAINT fk_dues_statements_user FOREIGN KEY (uploaded_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX ix_dues_statements_user ON dues_statements (uploaded_by);

CREATE TABLE dues_statement_lines (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  statement_id BIGINT NOT NULL,
  line_no INT NOT NULL,
  paid_on CHAR(10) NOT NULL,
  payer VARCHAR(200) NOT NULL,
  amount_fen BIGINT NOT NULL,
  reference VARCHAR(200) NOT NULL,
  line_key VARCHAR(128) NOT NULL,
  payment_id BIGINT NULL,
  CONSTRAINT fk_dues_lines_statement FOREIGN KEY (statement_id) REFERENCES dues_statements (id),
  CONSTRAINT fk_dues_lines_payment FOREIGN KEY (payment_id) REFERENCES dues_payments (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE UNIQUE INDEX uq_dues_statement_lines ON dues_statement_lines (statement_id, line_no);
CREATE INDEX ix_dues_statement_lines_key ON dues_statement_lines (line_key);
CREATE INDEX ix_dues_statement_lines_payment ON dues_statement_lines (payment_id);

-- A unit's 开票信息 for the 发票 of training and visit fees.
CREATE TABLE member_invoicing (
  member_id BIGINT NOT NULL PRIMARY KEY,
  title VARCHAR(200) NOT NULL,
  tax_no VARCHAR(32) NOT NULL,
  address VARCHAR(200) NOT NULL,
  phone VARCHAR(40) NOT NULL,
  bank_name VARCHAR(100) NOT NULL,
  bank_account VARCHAR(64) NOT NULL,
  updated_at CHAR(26) NOT NULL,
  CONSTRAINT fk_member_invoicing_member FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- 发票 of fees (training, later visits): requested by the unit, issued by staff.
ALTER TABLE charges ADD COLUMN fapiao_status VARCHAR(16) NOT NULL DEFAULT 'none';
ALTER TABLE charges ADD COLUMN fapiao_no VARCHAR(64) NULL;
ALTER TABLE charges ADD COLUMN fapiao_on CHAR(10) NULL;

-- The yearly statement of dues income and use members are shown.
CREATE TABLE dues_use_statements (
  year INT NOT NULL PRIMARY KEY,
  uses MEDIUMTEXT NOT NULL,
  note TEXT NOT NULL,
  published_at CHAR(26) NULL,
  updated_at CHAR(26) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Days on which the daily dues run (reminders, lapse) already ran: one process runs it a day.
CREATE TABLE dues_daily_runs (
  run_on CHAR(10) NOT NULL PRIMARY KEY,
  started_at CHAR(26) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
