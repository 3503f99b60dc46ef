package dev.ferry.importing.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import dev.ferry.changeset.Change;
import dev.ferry.changeset.ChangeOp;

/**
 * A batch of an import apply written statement by statement in JDBC batches, where there
 * is no COPY (H2, SQLite): the drift check by key, the before-images, the writes and the
 * images of the inserted rows, in the caller's transaction.
 */
final class RowByRowBatch {

	private RowByRowBatch() {
	}

	/**
	 * Writes a batch statement by statement in JDBC batches (H2, SQLite): drift check by
	 * key, before-images, deletes, updates, inserts, images of the inserted rows.
	 * @return inserted, updated and deleted rows
	 */
	static long[] write(ApplyTarget target, Connection connection, long runId, long afterSeq, List<Change> writes,
			String undo, long dryRun) throws SQLException {
		List<String> conflicts = conflicts(target, connection, writes);
		if (!conflicts.isEmpty()) {
			throw new ApplyConflict(conflicts, target.table(), dryRun);
		}
		long inserted = 0;
		long updated = 0;
		long deleted = 0;
		try (PreparedStatement capture = connection.prepareStatement(target.captureSql(undo))) {
			for (Change change : writes) {
				if (change.op() != ChangeOp.INSERT) {
					target.bindCapture(capture, runId, afterSeq, change);
					capture.addBatch();
				}
			}
			capture.executeBatch();
			try (PreparedStatement delete = connection.prepareStatement(target.deleteSql());
					PreparedStatement update = connection.prepareStatement(target.updateSql());
					PreparedStatement insert = connection.prepareStatement(target.insertSql())) {
				for (Change change : writes) {
					switch (change.op()) {
						case DELETE -> {
							target.bindKey(delete, 1, change.key());
							delete.addBatch();
							deleted++;
						}
						case UPDATE -> {
							target.bindUpdate(update, change);
							update.addBatch();
							updated++;
						}
						case INSERT -> {
							target.bindInsert(insert, change);
							insert.addBatch();
							inserted++;
						}
						default -> throw new IllegalStateException(change.op() + " is not written");
					}
				}
				delete.executeBatch();
				update.executeBatch();
				insert.executeBatch();
			}
			// an inserted row's image is the row as written: its undo finds it by key
			for (Change change : writes) {
				if (change.op() == ChangeOp.INSERT) {
					target.bindCapture(capture, runId, afterSeq, change);
					capture.addBatch();
				}
			}
			capture.executeBatch();
		}
		return new long[] { inserted, updated, deleted };
	}

	/**
	 * The rows whose target row is no longer what the dry run saw: an insert whose key
	 * now exists, an update or delete whose row is gone or has another value in a column
	 * of the plan.
	 */
	private static List<String> conflicts(ApplyTarget target, Connection connection, List<Change> writes)
			throws SQLException {
		List<String> conflicts = new ArrayList<>();
		try (PreparedStatement select = connection.prepareStatement(target.selectSql())) {
			for (Change change : writes) {
				target.bindKey(select, 1, change.key());
				try (ResultSet rs = select.executeQuery()) {
					String conflict = null;
					if (!rs.next()) {
						if (change.op() != ChangeOp.INSERT) {
							conflict = "the row is gone";
						}
					}
					else if (change.op() == ChangeOp.INSERT) {
						conflict = "the dry run found no such row, and now there is one";
					}
					else {
						conflict = target.difference(rs::getObject, change.before());
					}
					if (conflict != null) {
						conflicts.add(ApplyTarget.keyText(change.key()) + ": " + conflict);
					}
				}
			}
		}
		return conflicts;
	}

}
