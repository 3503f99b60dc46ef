package dev.ferry.importing.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;

import dev.ferry.run.BatchOutcome;
import dev.ferry.run.RunContext;
import dev.ferry.run.RunCounts;

import org.springframework.stereotype.Component;

/**
 * The rollback of an import apply, a batch at a time: the apply's batches undone newest
 * first from its undo ledger in the target, each in the caller's transaction with the
 * batch marked undone; at the end the table's checksum compared with the one taken right
 * before the apply.
 */
@Component
class ImportRollback {

	private final Clock clock;

	ImportRollback(Clock clock) {
		this.clock = clock;
	}

	/**
	 * Undoes the newest batch not undone yet, after reporting again, one at a time, the
	 * batches this rollback undid in the target that Ferry's store has not recorded.
	 * @param checkpoint where the last batch the store recorded started (null before the
	 * first): batches are undone newest first, so an unrecorded one started before it
	 */
	BatchOutcome undoBatch(RunContext run, ApplyTarget target, Connection connection, Long checkpoint, long applyRun)
			throws SQLException {
		UndoLedger.Apply apply = UndoLedger.apply(connection, applyRun)
			.orElseThrow(() -> new IllegalStateException("Apply #" + applyRun + " left no ledger on "
					+ target.connection() + ": there is nothing to undo."));
		Optional<UndoLedger.Batch> undone = UndoLedger.undoneBy(connection, applyRun, run.runId(), checkpoint);
		if (undone.isPresent()) {
			// the target committed this batch's undo, Ferry's store did not (a crash in
			// between): counted as it was undone, not undone again
			UndoLedger.Batch batch = undone.get();
			run.log(String.format(Locale.ROOT,
					"The batch after change row %d had already been undone in %s before the restart; "
							+ "it is not undone again.",
					batch.afterSeq(), target.table()));
			return undoneOutcome(batch.afterSeq(), batch.inserted(), batch.updated(), batch.deleted());
		}
		Optional<UndoLedger.Batch> newest = UndoLedger.newestNotUndone(connection, applyRun, checkpoint);
		if (newest.isEmpty()) {
			String checksum = target.checksum(connection, apply.checksumBefore());
			if (!checksum.equals(apply.checksumBefore())) {
				throw new IllegalStateException("Every batch of apply #" + applyRun + " is undone, but the checksum of "
						+ target.table() + " is " + checksum + ", not " + apply.checksumBefore()
						+ " as right before the apply: the table was also changed by something else.");
			}
			run.log("Checksum of " + target.table() + " after the rollback: " + checksum
					+ ", the same as right before apply #" + applyRun + ".");
			run.putResult("checksum", "{\"table\": \"" + target.table().replace("\"", "\\\"") + "\", \"before\": \""
					+ apply.checksumBefore() + "\", \"after\": \"" + checksum + "\", \"same\": true}");
			return BatchOutcome.last(1, RunCounts.NONE);
		}
		UndoLedger.Batch batch = newest.get();
		String undo = UndoLedger.undoTableName(target.table());
		int removed;
		int restored;
		int reinserted;
		if (target.postgres()) {
			// set-based: PostgreSQL joins the batch's before-images with the table. The
			// images are found through the undo table's BRIN index, which the planner
			// passes over for a scan of the whole table when it has no statistics yet
			try (Statement statement = connection.createStatement()) {
				statement.execute("SET LOCAL enable_seqscan = off");
			}
			removed = undo(connection, target.undoInsertsSql(undo), applyRun, batch.afterSeq());
			String updateSql = target.undoUpdatesSql(undo);
			restored = (updateSql == null) ? 0 : undo(connection, updateSql, applyRun, batch.afterSeq());
		}
		else {
			// row by row in JDBC batches, driven by the batch's before-images (a
			// correlated
			// statement would look up the images once per row of the table)
			removed = target.undoRowByRow(connection, undo, applyRun, batch.afterSeq(), "insert");
			restored = target.undoRowByRow(connection, undo, applyRun, batch.afterSeq(), "update");
		}
		reinserted = undo(connection, target.undoDeletesSql(undo), applyRun, batch.afterSeq());
		if (removed != batch.inserted() || restored != batch.updated() || reinserted != batch.deleted()) {
			throw new IllegalStateException(String.format(Locale.ROOT,
					"Undoing the batch after change row %d of apply #%d would remove %d, restore %d and re-insert %d "
							+ "row(s) of %s, but the batch inserted %d, updated %d and deleted %d: the table has "
							+ "changed since the apply, so nothing was undone.",
					batch.afterSeq(), applyRun, removed, restored, reinserted, target.table(), batch.inserted(),
					batch.updated(), batch.deleted()));
		}
		UndoLedger.markUndone(connection, applyRun, batch.afterSeq(), run.runId(), this.clock.instant());
		return undoneOutcome(batch.afterSeq(), removed, restored, reinserted);
	}

	/**
	 * One undone batch: the rows it removed (the apply's inserts), restored (updates) and
	 * re-inserted (deletes).
	 */
	private static BatchOutcome undoneOutcome(long afterSeq, long removed, long restored, long reinserted) {
		return new BatchOutcome(String.valueOf(afterSeq), 1,
				new RunCounts(removed + restored + reinserted, reinserted, restored, 0, removed, 0, 0), false);
	}

	private static int undo(Connection connection, String sql, long applyRun, long afterSeq) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			statement.setLong(1, applyRun);
			statement.setLong(2, afterSeq);
			return statement.executeUpdate();
		}
	}

}
