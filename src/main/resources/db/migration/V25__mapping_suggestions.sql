-- Suggestions of an unresolved mapping item: the new records whose normalized block values
-- are closest to the old record's (Levenshtein after a trigram filter), closest first, at
-- most 5: [{"newKey": ..., "similarity": ..., "score": ..., "breakdown": [...], "record": [...]}].
-- NULL for every other item and for an unresolved one nothing came close to.
ALTER TABLE mapping_items ADD COLUMN suggestions_json VARCHAR;
