-- Facets of the review queue, stored by the dry run so that a queue filters on them set-based.
-- best_differs: the tie-breakers on which the best candidate disagrees with the old record
-- (agreement below 1), as their 0-based indexes between bars: '|1|3|'; '|' when all agree;
-- NULL without candidates (and on items of dry runs older than this column).
-- A filter matches one tie-breaker exactly with LIKE '%|1|%'.
-- block_prefix: the first letter of the old record's block value (accents stripped, upper
-- case), '#' when it starts with anything else; NULL without a block value.
-- Both are read only with the items' (run_id, status, seq) index's leading columns, so no index.
ALTER TABLE mapping_items ADD COLUMN best_differs VARCHAR(400);
ALTER TABLE mapping_items ADD COLUMN block_prefix VARCHAR(4);
