-- One row every write transaction on a Galera cluster writes first (core/db/database.cpp; see
-- the MariaDB migration). Never written on SQLite: kept so both dialects have the same tables.
CREATE TABLE write_token (
  id INTEGER PRIMARY KEY,
  n INTEGER NOT NULL
);
INSERT INTO write_token (id, n) VALUES (1, 0);
