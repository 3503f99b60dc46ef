package dev.ferry.importing.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

import dev.ferry.connection.ConnectionKind;
import dev.ferry.connection.ConnectionService;
import dev.ferry.importing.UndoImages;
import dev.ferry.importing.UndoStorage;
import dev.ferry.problem.RefusedException;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;

/**
 * {@link UndoImages} on the targets' undo ledgers ({@link UndoLedger}). The undo table's
 * name is derived from the table the ledger names, as an apply derives it, so it is
 * always one of Ferry's names whatever the target holds.
 */
@Service
class UndoPurge implements UndoImages {

	private final ConnectionService connections;

	UndoPurge(ConnectionService connections) {
		this.connections = connections;
	}

	@Override
	@PreAuthorize("hasRole('ADMIN')")
	public Optional<UndoStorage> held(String connection, long applyRun) {
		try (Connection target = open(connection)) {
			target.setAutoCommit(true);
			return held(target, connection, applyRun);
		}
		catch (SQLException ex) {
			throw unreachable(connection, ex);
		}
	}

	@Override
	@PreAuthorize("hasRole('ADMIN')")
	public UndoStorage purge(String connection, long applyRun) {
		try (Connection target = open(connection)) {
			boolean autoCommit = target.getAutoCommit();
			target.setAutoCommit(false);
			try {
				Optional<UndoStorage> held = held(target, connection, applyRun);
				if (held.isEmpty()) {
					target.rollback();
					return new UndoStorage(applyRun, connection, "", "", 0, 0);
				}
				UndoStorage storage = held.get();
				long images = ConnectionKind.hasTable(target, storage.undoTable())
						? delete(target, "DELETE FROM " + storage.undoTable() + " WHERE ferry_run_id = ?", applyRun)
						: 0;
				long batches = delete(target, "DELETE FROM " + UndoLedger.BATCHES + " WHERE run_id = ?", applyRun);
				long applies = delete(target, "DELETE FROM " + UndoLedger.APPLIES + " WHERE run_id = ?", applyRun);
				target.commit();
				return new UndoStorage(applyRun, connection, storage.table(), storage.undoTable(), images,
						images + batches + applies);
			}
			catch (SQLException | RuntimeException ex) {
				target.rollback();
				throw ex;
			}
			finally {
				target.setAutoCommit(autoCommit);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Purging the before-images of apply #" + applyRun + " on " + connection
					+ " failed: " + ex.getMessage(), ex);
		}
	}

	private Connection open(String connection) {
		try {
			return this.connections.dataSource(connection).getConnection();
		}
		catch (SQLException ex) {
			throw unreachable(connection, ex);
		}
	}

	private static Optional<UndoStorage> held(Connection target, String connection, long applyRun) throws SQLException {
		if (!ConnectionKind.hasTable(target, UndoLedger.APPLIES)) {
			return Optional.empty();
		}
		Optional<UndoLedger.Apply> apply = UndoLedger.apply(target, applyRun);
		if (apply.isEmpty()) {
			return Optional.empty();
		}
		String undo = UndoLedger.undoTableName(apply.get().table());
		long images = ConnectionKind.hasTable(target, undo)
				? count(target, "SELECT COUNT(*) FROM " + undo + " WHERE ferry_run_id = ?", applyRun) : 0;
		long batches = ConnectionKind.hasTable(target, UndoLedger.BATCHES)
				? count(target, "SELECT COUNT(*) FROM " + UndoLedger.BATCHES + " WHERE run_id = ?", applyRun) : 0;
		return Optional
			.of(new UndoStorage(applyRun, connection, apply.get().table(), undo, images, images + batches + 1));
	}

	private static long count(Connection target, String sql, long applyRun) throws SQLException {
		try (PreparedStatement statement = target.prepareStatement(sql)) {
			statement.setLong(1, applyRun);
			try (ResultSet rs = statement.executeQuery()) {
				rs.next();
				return rs.getLong(1);
			}
		}
	}

	private static long delete(Connection target, String sql, long applyRun) throws SQLException {
		try (PreparedStatement statement = target.prepareStatement(sql)) {
			statement.setLong(1, applyRun);
			return statement.executeUpdate();
		}
	}

	private static RefusedException unreachable(String connection, SQLException ex) {
		return new RefusedException("retention.unreachable",
				"Connection " + connection + " cannot be reached: " + ex.getMessage(), connection, ex.getMessage());
	}

}
