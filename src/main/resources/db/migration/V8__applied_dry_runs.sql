-- An apply replays the change set of one dry run: the one it was requested for, kept here so
-- that a newer dry run started meanwhile changes nothing about what this apply writes.
ALTER TABLE runs ADD COLUMN applies_run BIGINT REFERENCES runs (id);
