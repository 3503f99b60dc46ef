package dev.ferry.audit.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;

import dev.ferry.audit.AuditEntry;
import dev.ferry.audit.AuditService;
import dev.ferry.audit.ChainCheck;
import dev.ferry.security.CurrentUser;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The audit log in Ferry's store (tables {@code audit_log}, {@code audit_head}). An entry
 * is appended in the transaction of what it records (it is kept exactly when that is),
 * after locking the head row, so entries are chained one at a time. Times are kept to the
 * millisecond, which every store keeps exactly, so the hash reads back the same.
 */
@Service
class AuditLog implements AuditService {

	static final int MAX_PAGE = 500;

	private final JdbcClient store;

	private final JdbcTemplate jdbc;

	private final Clock clock;

	/** The head as seen outside the store. */
	private final AuditWitness witness;

	AuditLog(JdbcClient store, JdbcTemplate jdbc, Clock clock, AuditWitness witness) {
		this.witness = witness;
		this.store = store;
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/** Appends an entry, in the caller's transaction (or one of its own). */
	@Transactional
	public void append(String actor, String action, String subject, String details) {
		String[] head = this.store.sql("SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE")
			.query((rs, row) -> new String[] { String.valueOf(rs.getLong(1)), rs.getString(2) })
			.single();
		long seq = Long.parseLong(head[0]) + 1;
		Instant at = this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
		String who = cut(actor == null ? "unknown" : actor, 64);
		String what = cut(action, 40);
		String on = cut(subject, 400);
		String more = cut(details, 4000);
		// done with an API token by the signed-in user it belongs to: say which
		String via = CurrentUser.get()
			.filter(user -> user.username().equals(actor))
			.flatMap(user -> CurrentUser.token())
			.map(token -> cut("token " + token, 100))
			.orElse(null);
		String hash = hash(head[1], seq, at, who, via, what, on, more);
		this.store.sql("""
				INSERT INTO audit_log (seq, at, actor, via, action, subject, details, prev_hash, hash)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
				""").params(seq, Timestamp.from(at), who, via, what, on, more, head[1], hash).update();
		this.store.sql("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1").params(seq, hash).update();
		// outside the store, once the entry is kept (a rolled-back entry was never there)
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					AuditLog.this.witness.saw(seq, hash);
				}
			});
		}
		else {
			this.witness.saw(seq, hash);
		}
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public List<AuditEntry> entries(String actor, String action, Long beforeSeq, int limit) {
		StringBuilder sql = new StringBuilder(
				"SELECT seq, at, actor, via, action, subject, details, hash FROM audit_log WHERE seq < ?");
		List<Object> params = new java.util.ArrayList<>(List.of(beforeSeq == null ? Long.MAX_VALUE : beforeSeq));
		if (actor != null && !actor.isBlank()) {
			sql.append(" AND actor = ?");
			params.add(actor.strip());
		}
		if (action != null && !action.isBlank()) {
			sql.append(" AND action LIKE ?");
			params.add(action.strip().replace("%", "").replace("_", "\\_") + "%");
		}
		sql.append(" ORDER BY seq DESC LIMIT ?");
		params.add(Math.max(1, Math.min(limit, MAX_PAGE)));
		return this.store.sql(sql.toString())
			.params(params)
			.query((rs, row) -> new AuditEntry(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
					rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)))
			.list();
	}

	@Override
	@PreAuthorize("hasRole('ADMIN')")
	@Transactional(readOnly = true)
	public ChainCheck verify() {
		long[] checked = { 0 };
		Long[] broken = { null };
		String[] previous = { "0".repeat(64) };
		long[] expectedSeq = { 1 };
		this.jdbc.query(connection -> {
			var statement = connection.prepareStatement(
					"SELECT seq, at, actor, via, action, subject, details, prev_hash, hash FROM audit_log ORDER BY seq");
			statement.setFetchSize(1000);
			return statement;
		}, (RowCallbackHandler) rs -> {
			if (broken[0] != null) {
				return;
			}
			long seq = rs.getLong(1);
			checked[0]++;
			String hash = hash(previous[0], seq, rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
					rs.getString(5), rs.getString(6), rs.getString(7));
			if (seq != expectedSeq[0] || !previous[0].equals(rs.getString(8)) || !hash.equals(rs.getString(9))) {
				broken[0] = seq;
				return;
			}
			previous[0] = hash;
			expectedSeq[0]++;
		});
		String detail = null;
		if (broken[0] == null) {
			// the newest entries may be gone: the head remembers the last one
			long head = this.store.sql("SELECT seq FROM audit_head WHERE id = 1").query(Long.class).single();
			if (head != expectedSeq[0] - 1) {
				broken[0] = expectedSeq[0];
				detail = "The head says entry " + head + " is the newest, but the log ends at " + (expectedSeq[0] - 1)
						+ ".";
			}
		}
		else {
			detail = "Entry " + broken[0] + " does not follow the one before it.";
		}
		if (broken[0] == null) {
			// the head itself may have been set back with the entries: the witness
			// outside
			// the store remembers it
			long last = expectedSeq[0] - 1;
			java.util.Optional<AuditWitness.Head> seen = this.witness.read();
			if (seen.isPresent() && !seen.get().authentic()) {
				broken[0] = last + 1;
				detail = "The witness of the audit head (" + this.witness.file() + ") was changed: its HMAC does "
						+ "not match.";
			}
			else if (seen.isPresent() && seen.get().seq() > last) {
				broken[0] = last + 1;
				detail = "Entries " + (last + 1) + " to " + seen.get().seq() + " are gone: the witness saw entry "
						+ seen.get().seq() + ", the log ends at " + last + ".";
			}
			else if (seen.isPresent() && seen.get().seq() > 0
					&& !seen.get()
						.hash()
						.equals(this.store.sql("SELECT hash FROM audit_log WHERE seq = ?")
							.param(seen.get().seq())
							.query(String.class)
							.optional()
							.orElse(""))) {
				broken[0] = seen.get().seq();
				detail = "Entry " + seen.get().seq() + " is not the one the witness saw.";
			}
			else if (seen.isEmpty() && last > 0) {
				detail = "No witness of the head yet (" + this.witness.file()
						+ "): the entries agree with each other, but a cut tail would not show until the next entry.";
			}
		}
		return new ChainCheck(broken[0] == null, checked[0], broken[0], detail);
	}

	/**
	 * The entry's sha256 over the one before and its fields; {@code via} only when it has
	 * one, so entries from before it existed hash as they did.
	 */
	static String hash(String previous, long seq, Instant at, String actor, String via, String action, String subject,
			String details) {
		String text = previous + "\n" + seq + "\n" + at.truncatedTo(ChronoUnit.MILLIS) + "\n" + actor + "\n" + action
				+ "\n" + subject + "\n" + (details == null ? "" : details) + (via == null ? "" : "\nvia " + via);
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

	private static String cut(String text, int length) {
		return (text == null || text.length() <= length) ? text : text.substring(0, length - 1) + "…";
	}

}
