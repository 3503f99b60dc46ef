-- The audit log: every user action and run transition, append-only. Each entry's hash is
-- the sha256 of the previous entry's hash and its own fields, so changing, removing or
-- reordering an entry breaks the chain from there on. audit_head holds the last seq and
-- hash; appends lock its one row, so entries are chained one at a time even with several
-- instances on one store.
CREATE TABLE audit_log (
    seq             BIGINT        PRIMARY KEY,
    at              TIMESTAMP WITH TIME ZONE NOT NULL,
    actor           VARCHAR(64)   NOT NULL,
    action          VARCHAR(40)   NOT NULL,
    subject         VARCHAR(400)  NOT NULL,
    details         VARCHAR(4000),
    prev_hash       VARCHAR(64)   NOT NULL,
    hash            VARCHAR(64)   NOT NULL
);
CREATE INDEX audit_log_actor_idx ON audit_log (actor, seq);
CREATE INDEX audit_log_action_idx ON audit_log (action, seq);
CREATE TABLE audit_head (
    id              INT           PRIMARY KEY,
    seq             BIGINT        NOT NULL,
    hash            VARCHAR(64)   NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
