-- What preflight runs measured: row counts and order-independent checksums of tables, and the
-- checksums of the ordered results of the plan's query-unchanged queries (their baselines).
CREATE TABLE measurements (
    run_id      BIGINT       NOT NULL REFERENCES runs (id),
    seq         INT          NOT NULL,
    kind        VARCHAR(20)  NOT NULL,
    subject     VARCHAR(300) NOT NULL,
    connection  VARCHAR(64)  NOT NULL,
    row_count   BIGINT       NOT NULL,
    checksum    VARCHAR(100),
    measured_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT measurements_pk PRIMARY KEY (run_id, seq),
    CONSTRAINT measurements_kind_ck CHECK (kind IN ('table', 'query'))
);
