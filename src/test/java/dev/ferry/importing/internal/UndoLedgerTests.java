package dev.ferry.importing.internal;

import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rollback's look-ups in a target's batch ledger (an H2 database in memory): which
 * batch a rollback undoes next and which one it undid without Ferry's store recording it,
 * found by the ledger's key right below the rollback's last recorded batch.
 */
class UndoLedgerTests {

	static final long APPLY = 7;

	static final long ROLLBACK = 9;

	static final long EARLIER_ROLLBACK = 8;

	@Test
	void theNextBatchToUndoAndTheOneUndoneButNotRecordedAreRightBelowTheCheckpoint() throws Exception {
		try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:undo-ledger-" + System.nanoTime())) {
			UndoLedger.ensure(connection);
			for (long afterSeq = 0; afterSeq <= 40; afterSeq += 10) {
				UndoLedger.recordBatch(connection, APPLY,
						new UndoLedger.Batch(afterSeq, afterSeq + 10, 10, 10, 0, 0, 0), Instant.EPOCH);
			}
			// an earlier rollback undid the newest batch and failed; this one undid 30
			// and
			// 20, and the store recorded 30 only (it crashed in between)
			UndoLedger.markUndone(connection, APPLY, 40, EARLIER_ROLLBACK, Instant.EPOCH);
			UndoLedger.markUndone(connection, APPLY, 30, ROLLBACK, Instant.EPOCH);
			UndoLedger.markUndone(connection, APPLY, 20, ROLLBACK, Instant.EPOCH);

			// started over without a checkpoint: its newest undone batch, the newest not
			// undone
			assertThat(UndoLedger.undoneBy(connection, APPLY, ROLLBACK, null)).map(UndoLedger.Batch::afterSeq)
				.contains(30L);
			assertThat(UndoLedger.newestNotUndone(connection, APPLY, null)).map(UndoLedger.Batch::afterSeq)
				.contains(10L);
			// resumed after 30: batch 20 is reported as undone, not undone again
			assertThat(UndoLedger.undoneBy(connection, APPLY, ROLLBACK, 30L)).map(UndoLedger.Batch::afterSeq)
				.contains(20L);
			// after 20: nothing undone below it; the next to undo is 10, then 0, then
			// none
			assertThat(UndoLedger.undoneBy(connection, APPLY, ROLLBACK, 20L)).isEmpty();
			assertThat(UndoLedger.newestNotUndone(connection, APPLY, 20L)).map(UndoLedger.Batch::afterSeq)
				.contains(10L);
			UndoLedger.markUndone(connection, APPLY, 10, ROLLBACK, Instant.EPOCH);
			assertThat(UndoLedger.newestNotUndone(connection, APPLY, 10L)).map(UndoLedger.Batch::afterSeq).contains(0L);
			UndoLedger.markUndone(connection, APPLY, 0, ROLLBACK, Instant.EPOCH);
			assertThat(UndoLedger.newestNotUndone(connection, APPLY, 0L)).isEmpty();
			// another rollback's batch is never reported as this one's
			assertThat(UndoLedger.undoneBy(connection, APPLY, EARLIER_ROLLBACK, 40L)).isEmpty();
		}
	}

}
