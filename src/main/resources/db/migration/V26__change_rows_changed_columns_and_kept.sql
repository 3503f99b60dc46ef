-- Issue 21 ("Big change sets, whole").
-- The columns an update changes, as "|name|weight|", so the diff browser lists exactly the updates
-- that change one column (column=, filtered by LIKE on the (run_id, op, seq) index range of the
-- updates). NULL for other rows, and for the rows of change sets written before this column
-- existed (their column filter finds none).
ALTER TABLE change_rows ADD COLUMN changed_columns VARCHAR(4000);

-- Target rows whose key the source no longer has, kept because delete-missing is off: stored as
-- op 'kept' so they can be reviewed; the apply, the sha256, the downloads and the counts of
-- changes leave them out.
ALTER TABLE change_rows DROP CONSTRAINT change_rows_op_ck;
ALTER TABLE change_rows ADD CONSTRAINT change_rows_op_ck
    CHECK (op IN ('insert', 'update', 'delete', 'rejected', 'kept'));

-- How many kept rows a change set holds (row_count counts its changes only; a row's seq follows
-- both). NULL for change sets written before this column existed: they hold no kept rows and no
-- changed_columns.
ALTER TABLE change_sets ADD COLUMN kept_rows BIGINT;
