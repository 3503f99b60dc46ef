-- A verify phase's gate results are measurements of the target right after an apply:
-- the apply they were measured after, so they stop counting once it is rolled back.
ALTER TABLE gate_evaluations ADD COLUMN after_apply BIGINT;
