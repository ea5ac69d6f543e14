-- The people of a member unit the association deals with: one representative (会员代表),
-- liaisons, finance contacts.
CREATE TABLE member_contacts (
  id INTEGER PRIMARY KEY,
  member_id INTEGER NOT NULL,
  contact_role TEXT NOT NULL,
  name TEXT NOT NULL,
  title TEXT NOT NULL,
  mobile TEXT NOT NULL,
  email TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CONSTRAINT fk_member_contacts_member FOREIGN KEY (member_id) REFERENCES members (id)
);
CREATE INDEX ix_member_contacts_member ON member_contacts (member_id);
