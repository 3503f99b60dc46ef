-- The index of best new keys served only unique-new phases, but every dry run wrote it, in
-- random order (a million items meant a million random B-tree inserts). Now the key is kept
-- in unique_new_key only for a unique-new phase's items: the other phases' items all
-- index as NULL, which appends at the index's end.
ALTER TABLE mapping_runs ADD COLUMN unique_new BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE mapping_items ADD COLUMN unique_new_key VARCHAR(400);
-- items stored before this could belong to a unique-new phase: they keep their key
UPDATE mapping_items SET unique_new_key = best_new_key;
DROP INDEX mapping_items_new_key_idx;
CREATE INDEX mapping_items_unique_new_idx ON mapping_items (run_id, unique_new_key);
-- From here on a dry run stores its items in old-key order (keys of digits by their number,
-- then the others as text), so seq is that order, and each batch's keys land in one narrow
-- stretch of the (run_id, old_key) index instead of all over it.
