-- Every checkpoint the log signed, by tree size: the primary key makes a second root for one size
-- impossible to store.
CREATE TABLE checkpoints (
    size      BIGINT PRIMARY KEY CHECK (size >= 0),
    root      BYTEA  NOT NULL CHECK (octet_length(root) = 32),
    note      TEXT   NOT NULL,
    signed_at TEXT   NOT NULL
);
