-- Dues (会费): schedules adopted by the general assembly, reductions, invoices, payments with
-- their 会费收据, bank statements, and the 开票信息 units give for training and visit fees.

-- One version of a year's schedule. A published schedule changes only by a new decision: the new
-- version supersedes the old one, which stays as history.
CREATE TABLE dues_schedules (
  id INTEGER PRIMARY KEY,
  year INTEGER NOT NULL,
  version INTEGER NOT NULL,
  effective_on TEXT NOT NULL,
  meeting_name TEXT NOT NULL,
  held_on TEXT NOT NULL,
  entitled INTEGER NOT NULL,
  present INTEGER NOT NULL,
  votes_for INTEGER NOT NULL,
  votes_against INTEGER NOT NULL,
  abstentions INTEGER NOT NULL,
  secret_ballot INTEGER NOT NULL,
  resolution_id INTEGER NULL,
  copied_from_year INTEGER NULL,
  published_at TEXT NULL,
  superseded_at TEXT NULL,
  created_by INTEGER NULL,
  created_at TEXT NOT NULL,
  CONSTRAINT fk_dues_schedules_user FOREIGN KEY (created_by) REFERENCES users (id)
);
CREATE UNIQUE INDEX uq_dues_schedules_version ON dues_schedules (year, version);
CREATE INDEX ix_dues_schedules_user ON dues_schedules (created_by);

CREATE TABLE dues_schedule_amounts (
  schedule_id INTEGER NOT NULL,
  tier TEXT NOT NULL,
  amount_fen INTEGER NOT NULL,
  CONSTRAINT pk_dues_schedule_amounts PRIMARY KEY (schedule_id, tier),
  CONSTRAINT fk_dues_amounts_schedule FOREIGN KEY (schedule_id) REFERENCES dues_schedules (id)
);

-- A reduction or waiver (减免) for one unit and year; revoked ones stay for the record.
CREATE TABLE dues_reductions (
  id INTEGER PRIMARY KEY,
  member_id INTEGER NOT NULL,
  year INTEGER NOT NULL,
  amount_fen INTEGER NULL,
  percent INTEGER NULL,
  reason TEXT NOT NULL,
  approved_by TEXT NOT NULL,
  created_by INTEGER NULL,
  created_at TEXT NOT NULL,
  revoked_at TEXT NULL,
  CONSTRAINT fk_dues_reductions_member FOREIGN KEY (member_id) REFERENCES members (id),
  CONSTRAINT fk_dues_reductions_user FOREIGN KEY (created_by) REFERENCES users (id)
);
CREATE INDEX ix_dues_reductions_member ON dues_reductions (member_id, year);
CREATE INDEX ix_dues_reductions_user ON dues_reductions (created_by);

-- One 会费通知单 per unit and year. paid_fen is the sum of the live payments, kept with them.
CREATE TABLE dues_invoices (
  id INTEGER PRIMARY KEY,
  member_id INTEGER NOT NULL,
  year INTEGER NOT NULL,
  tier TEXT NOT NULL,
  schedule_id INTEGER NOT NULL,
  full_fen INTEGER NOT NULL,
  amount_fen INTEGER NOT NULL,
  reduced_fen INTEGER NOT NULL,
  paid_fen INTEGER NOT NULL,
  status TEXT NOT NULL,
  proration TEXT NOT NULL,
  issued_on TEXT NOT NULL,
  reminders_sent INTEGER NOT NULL,
  last_reminded_on TEXT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CONSTRAINT fk_dues_invoices_member FOREIGN KEY (member_id) REFERENCES members (id),
  CONSTRAINT fk_dues_invoices_schedule FOREIGN KEY (schedule_id) REFERENCES dues_schedules (id)
);
CREATE UNIQUE INDEX uq_dues_invoices_member_year ON dues_invoices (member_id, year);
CREATE INDEX ix_dues_invoices_year ON dues_invoices (year, status);
CREATE INDEX ix_dues_invoices_schedule ON dues_invoices (schedule_id);

-- Receipt numbers: one counter row per year, locked by each payment, so numbers are gapless.
CREATE TABLE dues_receipt_counters (
  year INTEGER NOT NULL PRIMARY KEY,
  last_seq INTEGER NOT NULL
);

-- A payment is never deleted: a reversal (冲正) marks it and its receipt void.
CREATE TABLE dues_payments (
  id INTEGER PRIMARY KEY,
  invoice_id INTEGER NOT NULL,
  member_id INTEGER NOT NULL,
  amount_fen INTEGER NOT NULL,
  paid_on TEXT NOT NULL,
  method TEXT NOT NULL,
  reference TEXT NOT NULL,
  receipt_year INTEGER NOT NULL,
  receipt_seq INTEGER NOT NULL,
  verify_code TEXT NOT NULL,
  status TEXT NOT NULL,
  source_key TEXT NULL,
  reverse_reason TEXT NULL,
  reversed_at TEXT NULL,
  reversed_by INTEGER NULL,
  created_by INTEGER NULL,
  created_at TEXT NOT NULL,
  CONSTRAINT fk_dues_payments_invoice FOREIGN KEY (invoice_id) REFERENCES dues_invoices (id),
  CONSTRAINT fk_dues_payments_member FOREIGN KEY (member_id) REFERENCES members (id),
  CONSTRAINT fk_dues_payments_reverser FOREIGN KEY (reversed_by) REFERENCES users (id),
  CONSTRAINT fk_dues_payments_user FOREIGN KEY (created_by) REFERENCES users (id)
);
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
  id INTEGER PRIMARY KEY,
  scope TEXT NOT NULL,
  idem_key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  state TEXT NOT NULL,
  http_status INTEGER NULL,
  response_body TEXT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX uq_idempotency_keys ON idempotency_keys (scope, idem_key);
CREATE INDEX ix_idempotency_keys_created ON idempotency_keys (created_at);

-- Uploaded bank statements and their credit lines. line_key (a hash of the statement line) keys
-- the payment a confirmed line becomes.
CREATE TABLE dues_statements (
  id INTEGER PRIMARY KEY,
  file_name TEXT NOT NULL,
  line_count INTEGER NOT NULL,
  uploaded_by INTEGER NULL,
  uploaded_at TEXT NOT NULL,
  CONSTRAINT fk_dues_statements_user FOREIGN KEY (uploaded_by) REFERENCES users (id)
);
CREATE INDEX ix_dues_statements_user ON dues_statements (uploaded_by);

CREATE TABLE dues_statement_lines (
  id INTEGER PRIMARY KEY,
  statement_id INTEGER NOT NULL,
  line_no INTEGER NOT NULL,
  paid_on TEXT NOT NULL,
  payer TEXT NOT NULL,
  amount_fen INTEGER NOT NULL,
  reference TEXT NOT NULL,
  line_key TEXT NOT NULL,
  payment_id INTEGER NULL,
  CONSTRAINT fk_dues_lines_statement FOREIGN KEY (statement_id) REFERENCES dues_statements (id),
  CONSTRAINT fk_dues_lines_payment FOREIGN KEY (payment_id) REFERENCES dues_payments (id)
);
CREATE UNIQUE INDEX uq_dues_statement_lines ON dues_statement_lines (statement_id, line_no);
CREATE INDEX ix_dues_statement_lines_key ON dues_statement_lines (line_key);
CREATE INDEX ix_dues_statement_lines_payment ON dues_statement_lines (payment_id);

-- A unit's 开票信息 for the 发票 of training and visit fees.
CREATE TABLE member_invoicing (
  member_id INTEGER NOT NULL PRIMARY KEY,
  title TEXT NOT NULL,
  tax_no TEXT NOT NULL,
  address TEXT NOT NULL,
  phone TEXT NOT NULL,
  bank_name TEXT NOT NULL,
  bank_account TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CONSTRAINT fk_member_invoicing_member FOREIGN KEY (member_id) REFERENCES members (id)
);

-- 发票 of fees (training, later visits): requested by the unit, issued by staff.
ALTER TABLE charges ADD COLUMN fapiao_status TEXT NOT NULL DEFAULT 'none';
ALTER TABLE charges ADD COLUMN fapiao_no TEXT NULL;
ALTER TABLE charges ADD COLUMN fapiao_on TEXT NULL;

-- The yearly statement of dues income and use members are shown.
CREATE TABLE dues_use_statements (
  year INTEGER NOT NULL PRIMARY KEY,
  uses TEXT NOT NULL,
  note TEXT NOT NULL,
  published_at TEXT NULL,
  updated_at TEXT NOT NULL
);

-- Days on which the daily dues run (reminders, lapse) already ran: one process runs it a day.
CREATE TABLE dues_daily_runs (
  run_on TEXT NOT NULL PRIMARY KEY,
  started_at TEXT NOT NULL
);
