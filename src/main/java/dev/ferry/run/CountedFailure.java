package dev.ferry.run;

/**
 * A failure of a batch that still accounts for rows (an apply's conflicts): the batch's
 * work is rolled back, but the engine records these counts with the failed run.
 */
public interface CountedFailure {

	RunCounts counts();

}
