-- Every status change of a member unit, with its reason and who made it.
CREATE TABLE member_status_history (
  id INTEGER PRIMARY KEY,
  member_id INTEGER NOT NULL,
  from_status TEXT NOT NULL,
  to_status TEXT NOT NULL,
  reason TEXT NOT NULL,
  actor_id INTEGER NULL,
  actor_name TEXT NOT NULL,
  changed_at TEXT NOT NULL,
  CONSTRAINT fk_member_status_history_member FOREIGN KEY (member_id) REFERENCES members (id)
);
CREATE INDEX ix_member_status_history_member ON member_status_history (member_id, changed_at);
