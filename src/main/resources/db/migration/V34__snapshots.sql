-- Issue 23, snapshot phases: each table a snapshot run copied into Ferry's data directory
-- (<data-dir>/snapshots/<run-id>/<file>), with the rows and checksum of the copy and of the
-- live table it was compared with. The snapshot-fresh gate finds a plan's newest copy of a
-- table here; retention deletes the files and marks the rows expired.
CREATE TABLE snapshot_tables (
    run_id        BIGINT        NOT NULL REFERENCES runs (id),
    seq           INT           NOT NULL,
    plan          VARCHAR(64)   NOT NULL,
    connection    VARCHAR(64)   NOT NULL,
    table_name    VARCHAR(300)  NOT NULL,
    engine        VARCHAR(20)   NOT NULL,
    file_name     VARCHAR(300)  NOT NULL,
    row_count     BIGINT        NOT NULL,
    checksum      VARCHAR(100)  NOT NULL,
    live_checksum VARCHAR(100)  NOT NULL,
    columns_ddl   VARCHAR(20000),
    bytes         BIGINT        NOT NULL,
    copied_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    expired_at    TIMESTAMP WITH TIME ZONE,
    CONSTRAINT snapshot_tables_pk PRIMARY KEY (run_id, seq),
    CONSTRAINT snapshot_tables_engine_ck CHECK (engine IN ('sqlite', 'h2', 'postgresql'))
);
CREATE INDEX snapshot_tables_table_idx ON snapshot_tables (plan, connection, table_name, copied_at);
CREATE INDEX snapshot_tables_copied_idx ON snapshot_tables (expired_at, copied_at);
