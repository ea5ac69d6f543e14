-- Member units. member_no is assigned at approval and never reused; sort_key orders names by
-- pinyin and can be corrected by staff.
CREATE TABLE members (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  member_no VARCHAR(20) NOT NULL,
  name VARCHAR(100) NOT NULL,
  short_name VARCHAR(50) NOT NULL,
  uscc CHAR(18) NOT NULL,
  org_type VARCHAR(32) NOT NULL,
  org_level VARCHAR(16) NOT NULL,
  city_code CHAR(6) NOT NULL,
  address VARCHAR(200) NOT NULL,
  tier VARCHAR(32) NOT NULL,
  status VARCHAR(16) NOT NULL,
  joined_on CHAR(10) NOT NULL,
  sort_key VARCHAR(400) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  created_at CHAR(26) NOT NULL,
  updated_at CHAR(26) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE UNIQUE INDEX uq_members_member_no ON members (member_no);
CREATE UNIQUE INDEX uq_members_uscc ON members (uscc);
CREATE INDEX ix_members_sort_key ON members (sort_key(191));
CREATE INDEX ix_members_city ON members (city_code);

-- Applications to join. The applicant's account exists from submission (no roles until
-- approval) so the applicant can sign in and see the decision.
CREATE TABLE applications (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  status VARCHAR(16) NOT NULL,
  name VARCHAR(100) NOT NULL,
  short_name VARCHAR(50) NOT NULL,
  uscc CHAR(18) NOT NULL,
  org_type VARCHAR(32) NOT NULL,
  org_level VARCHAR(16) NOT NULL,
  city_code CHAR(6) NOT NULL,
  address VARCHAR(200) NOT NULL,
  contact_name VARCHAR(50) NOT NULL,
  contact_title VARCHAR(50) NOT NULL,
  contact_mobile CHAR(11) NOT NULL,
  contact_email VARCHAR(254) NOT NULL,
  user_id BIGINT NOT NULL,
  member_id BIGINT NULL,
  decision_reason VARCHAR(500) NOT NULL,
  decided_by BIGINT NULL,
  decided_at CHAR(26) NULL,
  submitted_at CHAR(26) NOT NULL,
  address_ip VARCHAR(64) NOT NULL,
  CONSTRAINT fk_applications_user FOREIGN KEY (user_id) REFERENCES users (id),
  CONSTRAINT fk_applications_member FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX ix_applications_status ON applications (status, submitted_at);
CREATE INDEX ix_applications_uscc ON applications (uscc);
CREATE INDEX ix_applications_user ON applications (user_id);
CREATE INDEX ix_applications_member ON applications (member_id);
