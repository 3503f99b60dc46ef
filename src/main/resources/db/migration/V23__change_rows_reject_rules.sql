-- The rules that rejected a row, as "|column: rule|column: rule|", so the diff browser can list
-- exactly the rows one rule rejected (its links by rule). NULL for rows nothing rejected, and for
-- the rows of change sets written before this column existed (their rule filter finds none).
ALTER TABLE change_rows ADD COLUMN reject_rules VARCHAR(2000);
