-- One row every write transaction on a Galera cluster writes first (core/db/database.cpp).
-- Galera does not replicate row locks: a `SELECT … FOR UPDATE` on one node does not stop a
-- writer on another, so a transaction that locks a row, checks other rows and inserts can commit
-- beside a conflicting one from another node. Writing this row first makes any two write
-- transactions conflict, and a transaction's reads then never miss a write the cluster has
-- certified: the lock-then-check designs stay correct. Unused (never written) on one server.
CREATE TABLE write_token (
  id INT NOT NULL PRIMARY KEY,
  n BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO write_token (id, n) VALUES (1, 0);
