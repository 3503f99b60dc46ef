-- A change set per column (docs/architecture.md, "The dry-run diff"): computed once when the dry
-- run seals it, as JSON; NULL for change sets sealed before it existed.
ALTER TABLE change_sets ADD COLUMN profile_json TEXT;
