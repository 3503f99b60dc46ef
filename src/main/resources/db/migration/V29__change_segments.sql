-- Issue 22 ("the store's write path"): a change set's rows are stored in segments of up to a
-- few hundred rows each instead of one store row per change row. Writing one H2 row (with its
-- B-tree entries and its undo-log entries) per change row capped a dry run at about 40,000
-- change rows a second; a segment is written as two store rows.
--
-- change_segments: what the pages and filters look at, small enough to scan. A segment holds
-- every row from first_seq to last_seq (kept rows included), in order; segments never overlap.
CREATE TABLE change_segments (
    run_id          BIGINT        NOT NULL REFERENCES change_sets (run_id),
    first_seq       BIGINT        NOT NULL,
    last_seq        BIGINT        NOT NULL,
    row_count       INT           NOT NULL,
    -- rows of each operation in the segment: a filter by operation skips segments without one
    inserts         INT           NOT NULL,
    updates         INT           NOT NULL,
    deletes         INT           NOT NULL,
    rejected        INT           NOT NULL,
    kept            INT           NOT NULL,
    -- the union of the rows' rules ("|column: rule|...|") and changed columns ("|name|...|"),
    -- NULL when no row has one: the rule and column filters skip segments without theirs
    reject_rules    VARCHAR,
    changed_columns VARCHAR,
    -- every row's key search text (its key values, lower case, joined by a space), each after a
    -- line feed: the key search is LIKE '%' || LF || prefix || '%'
    key_search      VARCHAR       NOT NULL,
    CONSTRAINT change_segments_pk PRIMARY KEY (run_id, last_seq)
);
-- the pages backwards (the page before a cursor, the last page): descending, as H2 reads an
-- index in its own order only
CREATE UNIQUE INDEX change_segments_first_idx ON change_segments (run_id, first_seq DESC);

-- The rows of a segment, one line each (see ChangeSegments for the format), apart from the
-- summary so that scanning summaries does not read the rows.
CREATE TABLE change_segment_rows (
    run_id          BIGINT        NOT NULL,
    last_seq        BIGINT        NOT NULL,
    body            VARCHAR       NOT NULL,
    CONSTRAINT change_segment_rows_pk PRIMARY KEY (run_id, last_seq),
    CONSTRAINT change_segment_rows_fk FOREIGN KEY (run_id, last_seq) REFERENCES change_segments (run_id, last_seq)
);

-- The change sets written before: each row becomes a segment of one row (the format's
-- fields, tab-separated, \N for NULL, with tab, line feed and backslash escaped in the
-- fields that are not canonical JSON).
INSERT INTO change_segments (run_id, first_seq, last_seq, row_count, inserts, updates, deletes, rejected, kept,
    reject_rules, changed_columns, key_search)
SELECT run_id, seq, seq, 1,
    CASE WHEN op = 'insert' THEN 1 ELSE 0 END,
    CASE WHEN op = 'update' THEN 1 ELSE 0 END,
    CASE WHEN op = 'delete' THEN 1 ELSE 0 END,
    CASE WHEN op = 'rejected' THEN 1 ELSE 0 END,
    CASE WHEN op = 'kept' THEN 1 ELSE 0 END,
    reject_rules, changed_columns,
    U&'\000a' || REPLACE(key_search, U&'\000a', ' ')
FROM change_rows;

INSERT INTO change_segment_rows (run_id, last_seq, body)
SELECT run_id, seq,
    op || U&'\0009'
    || REPLACE(REPLACE(REPLACE(table_name, '\', '\\'), U&'\0009', '\t'), U&'\000a', '\n') || U&'\0009'
    || key_values || U&'\0009'
    || COALESCE(before_values, '\N') || U&'\0009'
    || COALESCE(after_values, '\N') || U&'\0009'
    || COALESCE(reasons_json, '\N') || U&'\0009'
    || COALESCE(REPLACE(REPLACE(REPLACE(reject_rules, '\', '\\'), U&'\0009', '\t'), U&'\000a', '\n'), '\N')
    || U&'\0009'
    || COALESCE(REPLACE(REPLACE(REPLACE(changed_columns, '\', '\\'), U&'\0009', '\t'), U&'\000a', '\n'), '\N')
FROM change_rows;

DROP TABLE change_rows;
