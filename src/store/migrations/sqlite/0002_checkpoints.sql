-- Every checkpoint the log signed, by tree size: the primary key makes a second root for one size
-- impossible to store.
CREATE TABLE checkpoints (
    size      INTEGER PRIMARY KEY NOT NULL CHECK (size >= 0),
    root      BLOB    NOT NULL CHECK (length(root) = 32),
    note      TEXT    NOT NULL,
    signed_at TEXT    NOT NULL
);
