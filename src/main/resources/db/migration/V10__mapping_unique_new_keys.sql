-- The index of best new keys served only unique-new phases, but every dry run wrote it, in
-- random order (a million items meant a million random B-tree inserts, each page rewritten
-- at every commit). Now a unique-new phase's dry run alone lists its items' best new keys,
-- in a table of their own.
ALTER TABLE mapping_runs ADD COLUMN unique_new BOOLEAN DEFAULT FALSE NOT NULL;
CREATE TABLE mapping_new_keys (
    run_id          BIGINT        NOT NULL REFERENCES mapping_runs (run_id),
    new_key         VARCHAR(400)  NOT NULL,
    old_key         VARCHAR(400)  NOT NULL,
    status          VARCHAR(12)   NOT NULL
);
CREATE INDEX mapping_new_keys_idx ON mapping_new_keys (run_id, new_key);
-- items stored before this could belong to a unique-new phase: they keep their keys
INSERT INTO mapping_new_keys (run_id, new_key, old_key, status)
    SELECT run_id, best_new_key, old_key, status FROM mapping_items WHERE best_new_key IS NOT NULL;
DROP INDEX mapping_items_new_key_idx;

-- From here on a dry run stores its items in old-key order (keys of digits by their number,
-- then the others as text), so seq is that order, and each batch's keys land in one narrow
-- stretch of the (run_id, old_key) index instead of all over it.
