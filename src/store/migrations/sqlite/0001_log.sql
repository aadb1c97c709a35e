-- The log of accepted statements: one row per leaf, indexed from 0 with no gaps.
CREATE TABLE log_entries (
    idx          INTEGER PRIMARY KEY NOT NULL CHECK (idx >= 0),
    org          TEXT    NOT NULL,
    statement_id TEXT    NOT NULL,
    envelope     BLOB    NOT NULL,
    accepted_at  TEXT    NOT NULL,
    UNIQUE (org, statement_id)
);
