-- Change sets: what an import (or mapping) dry run would change, kept in Ferry's store so that
-- product owners review it and the apply replays exactly it. Only changed rows are stored;
-- unchanged rows are counted in the header.
CREATE TABLE change_sets (
    run_id        BIGINT        PRIMARY KEY REFERENCES runs (id),
    plan          VARCHAR(64)   NOT NULL,
    plan_version  INT           NOT NULL,
    phase         VARCHAR(64)   NOT NULL,
    connection    VARCHAR(64)   NOT NULL,
    table_name    VARCHAR(200)  NOT NULL,
    -- JSON arrays: [{"name": "id", "type": "integer"}, ...] and ["id"]
    columns_json  VARCHAR(8000) NOT NULL,
    key_json      VARCHAR(2000) NOT NULL,
    row_count     BIGINT        NOT NULL DEFAULT 0,
    source_rows   BIGINT,
    target_rows   BIGINT,
    rows_read     BIGINT,
    rows_inserted BIGINT,
    rows_updated  BIGINT,
    rows_unchanged BIGINT,
    rows_deleted  BIGINT,
    rows_rejected BIGINT,
    -- "column: rule" -> rows, counted when sealed
    rejected_by_rule VARCHAR(8000),
    sha256        CHAR(64),
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    sealed_at     TIMESTAMP WITH TIME ZONE
);
CREATE INDEX change_sets_phase_idx ON change_sets (plan, phase, run_id);

-- One row per key that would change. Values are JSON arrays of canonical text, positional by the
-- change set's columns (key_values by its key). seq is the order the dry run found them in
-- (key order), the keyset of every page.
CREATE TABLE change_rows (
    run_id       BIGINT       NOT NULL REFERENCES change_sets (run_id),
    seq          BIGINT       NOT NULL,
    op           VARCHAR(10)  NOT NULL,
    table_name   VARCHAR(200) NOT NULL,
    key_values   VARCHAR(4000) NOT NULL,
    -- the key values, lower case, joined by a space: the key search is a prefix match on it
    key_search   VARCHAR(1000) NOT NULL,
    before_values VARCHAR,
    after_values  VARCHAR,
    reasons_json  VARCHAR,
    CONSTRAINT change_rows_pk PRIMARY KEY (run_id, seq),
    CONSTRAINT change_rows_op_ck CHECK (op IN ('insert', 'update', 'delete', 'rejected'))
);
CREATE INDEX change_rows_op_idx ON change_rows (run_id, op, seq);
CREATE INDEX change_rows_key_idx ON change_rows (run_id, key_search, seq);
