package dev.ferry.run;

/**
 * What one batch did: the checkpoint the next batch starts from, the units of work done
 * (for progress), the rows it accounted for, and whether the phase is finished.
 */
public record BatchOutcome(String checkpoint, long units, RunCounts counts, boolean finished) {

	public static BatchOutcome last(long units, RunCounts counts) {
		return new BatchOutcome(null, units, counts, true);
	}

}
