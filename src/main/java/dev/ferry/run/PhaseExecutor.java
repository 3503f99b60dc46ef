package dev.ferry.run;

import dev.ferry.plan.spec.PhaseSpec;

/**
 * A phase kind's work, in batches. The engine calls {@link #total} once, then
 * {@link #runBatch} until a batch says it is finished; each batch runs in a transaction
 * of Ferry's store that also records it in the batch ledger with its checkpoint, so after
 * a crash the run resumes from the last committed checkpoint and no batch is recorded
 * twice. Work on other databases that must be exactly-once keeps its own ledger there
 * (see the apply ledger).
 */
public interface PhaseExecutor {

	boolean supports(PhaseSpec phase, RunMode mode);

	/**
	 * The units of work in all, when they can be known before starting; {@code null} if
	 * not.
	 */
	default Long total(RunContext run) {
		return null;
	}

	/**
	 * Does the next batch.
	 * @param run the run
	 * @param checkpoint where the previous batch stopped, {@code null} at the start
	 * @return what the batch did
	 */
	BatchOutcome runBatch(RunContext run, String checkpoint);

	/**
	 * Whether an apply that ends without succeeding leaves part of its work in the
	 * target, judged from its last committed checkpoint: then that part stands and can be
	 * rolled back. By default any committed batch wrote; an executor whose first batches
	 * only prepare (a map's comparison) says otherwise.
	 * @param run the run
	 * @param lastCheckpoint the checkpoint of the last committed batch, {@code null} when
	 * none committed
	 */
	default boolean wroteTarget(RunContext run, String lastCheckpoint) {
		return lastCheckpoint != null;
	}

	/**
	 * Frees what the executor holds for a run between batches (open cursors, temporary
	 * files). Called once the run ends, fails, is cancelled or is handed back.
	 */
	default void close(RunContext run) {
	}

}
