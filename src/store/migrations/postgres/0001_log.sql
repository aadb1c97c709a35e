-- The log of accepted statements: one row per leaf, indexed from 0 with no gaps.
CREATE TABLE log_entries (
    idx          BIGINT PRIMARY KEY CHECK (idx >= 0),
    org          TEXT   NOT NULL,
    statement_id TEXT   NOT NULL,
    envelope     BYTEA  NOT NULL,
    accepted_at  TEXT   NOT NULL,
    UNIQUE (org, statement_id)
);
