-- Member units. member_no is assigned at approval and never reused; sort_key orders names by
-- pinyin and can be corrected by staff.
CREATE TABLE members (
  id INTEGER PRIMARY KEY,
  member_no TEXT NOT NULL,
  name TEXT NOT NULL,
  short_name TEXT NOT NULL,
  uscc TEXT NOT NULL,
  org_type TEXT NOT NULL,
  org_level TEXT NOT NULL,
  city_code TEXT NOT NULL,
  address TEXT NOT NULL,
  tier TEXT NOT NULL,
  status TEXT NOT NULL,
  joined_on TEXT NOT NULL,
  sort_key TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX uq_members_member_no ON members (member_no);
CREATE UNIQUE INDEX uq_members_uscc ON members (uscc);
CREATE INDEX ix_members_sort_key ON members (sort_key);
CREATE INDEX ix_members_city ON members (city_code);

-- Applications to join. The applicant's account exists from submission (no roles until
-- approval) so the applicant can sign in and see the decision.
CREATE TABLE applications (
  id INTEGER PRIMARY KEY,
  status TEXT NOT NULL,
  name TEXT NOT NULL,
  short_name TEXT NOT NULL,
  uscc TEXT NOT NULL,
  org_type TEXT NOT NULL,
  org_level TEXT NOT NULL,
  city_code TEXT NOT NULL,
  address TEXT NOT NULL,
  contact_name TEXT NOT NULL,
  contact_title TEXT NOT NULL,
  contact_mobile TEXT NOT NULL,
  contact_email TEXT NOT NULL,
  user_id INTEGER NOT NULL,
  member_id INTEGER NULL,
  decision_reason TEXT NOT NULL,
  decided_by INTEGER NULL,
  decided_at TEXT NULL,
  submitted_at TEXT NOT NULL,
  address_ip TEXT NOT NULL,
  CONSTRAINT fk_applications_user FOREIGN KEY (user_id) REFERENCES users (id),
  CONSTRAINT fk_applications_member FOREIGN KEY (member_id) REFERENCES members (id)
);
CREATE INDEX ix_applications_status ON applications (status, submitted_at);
CREATE INDEX ix_applications_uscc ON applications (uscc);
CREATE INDEX ix_applications_user ON applications (user_id);
CREATE INDEX ix_applications_member ON applications (member_id);
