-- The people of a member unit the association deals with: one representative (会员代表),
-- liaisons, finance contacts.
CREATE TABLE member_contacts (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  member_id BIGINT NOT NULL,
  contact_role VARCHAR(16) NOT NULL,
  name VARCHAR(50) NOT NULL,
  title VARCHAR(50) NOT NULL,
  mobile CHAR(11) NOT NULL,
  email VARCHAR(254) NOT NULL,
  created_at CHAR(26) NOT NULL,
  updated_at CHAR(26) NOT NULL,
  CONSTRAINT fk_member_contacts_member FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX ix_member_contacts_member ON member_contacts (member_id);
