package dev.ferry.changeset.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import dev.ferry.changeset.ChangeColumn;
import dev.ferry.changeset.ChangeOp;
import dev.ferry.changeset.ReportFiles;
import dev.ferry.changeset.ChangeRow;
import dev.ferry.changeset.ChangeSet;
import dev.ferry.changeset.ChangeSetTotals;
import dev.ferry.changeset.NewChangeSet;
import dev.ferry.changeset.Rejection;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;

import org.springframework.stereotype.Component;

/**
 * Writes change sets: a dry run begins one, appends its rows with JDBC batches, and seals
 * it with its totals, its hash and its report files, or discards it.
 */
@Component
class ChangeSetWriter {

	private static final TypeReference<List<ChangeColumn>> COLUMNS = new TypeReference<>() {
	};

	private final JdbcClient store;

	private final JsonMapper json;

	private final ReportFiles reports;

	private final Clock clock;

	private final ChangeSetQueries queries;

	private final ChangeRows rows;

	private final ChangeSetExports exports;

	private final ChangeSegments segments;

	/**
	 * The seal's figures of the dry runs writing on this instance, at most a few dozen: one
	 * pushed out is read again at its seal.
	 */
	private final Map<Long, Sealing> sealing = java.util.Collections
		.synchronizedMap(new java.util.LinkedHashMap<>(16, 0.75f, true) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<Long, Sealing> eldest) {
				if (size() > 32) {
					eldest.getValue().draft.discard();
					return true;
				}
				return false;
			}

		});

	ChangeSetWriter(JdbcClient store, JsonMapper json, ReportFiles reports, Clock clock, ChangeSetQueries queries,
			ChangeRows rows, ChangeSetExports exports, ChangeSegments segments) {
		this.store = store;
		this.segments = segments;
		this.json = json;
		this.reports = reports;
		this.clock = clock;
		this.queries = queries;
		this.rows = rows;
		this.exports = exports;
	}

	void begin(NewChangeSet changeSet) {
		this.store.sql("""
				INSERT INTO change_sets (run_id, plan, plan_version, phase, connection, table_name, columns_json,
				  key_json, created_at, kept_rows)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)
				""")
			.params(changeSet.runId(), changeSet.plan(), changeSet.planVersion(), changeSet.phase(),
					changeSet.connection(), changeSet.table(), this.json.writeValueAsString(changeSet.columns()),
					CanonicalJson.array(changeSet.key()), utc(this.clock.instant()))
			.update();
		forget(changeSet.runId());
		ReportFiles.Draft draft = this.reports.draft(changeSet.plan(), changeSet.phase(), changeSet.runId());
		Sealing sealing = new Sealing(changeSet, draft);
		try (Writer csv = draft.appender("changes.csv")) {
			this.exports.csv(sealing.changeSet, csv).header();
		}
		catch (IOException ex) {
			draft.discard();
			throw new UncheckedIOException("Writing the report files of run " + changeSet.runId() + " failed: "
					+ ex.getMessage(), ex);
		}
		this.sealing.put(changeSet.runId(), sealing);
	}

	/** The rules that rejected a row, {@code |column: rule|…|}, or null. */
	static String rules(List<dev.ferry.changeset.Rejection> reasons) {
		if (reasons == null || reasons.isEmpty()) {
			return null;
		}
		StringBuilder rules = new StringBuilder("|");
		reasons.stream()
			.map(reason -> reason.column() + ": " + reason.rule())
			.distinct()
			.forEach(rule -> rules.append(rule).append('|'));
		return (rules.length() <= 2000) ? rules.toString() : rules.substring(0, 2000);
	}

	/**
	 * The columns an update changes, {@code |column|…|} (its canonical texts differ, as
	 * {@link ChangeRows} and the profile compare them), or null for other rows.
	 */
	static String changedColumns(List<String> names, ChangeRow row) {
		if (row.op() != ChangeOp.UPDATE || row.before() == null || row.after() == null) {
			return null;
		}
		StringBuilder changed = new StringBuilder("|");
		for (int i = 0; i < names.size() && i < row.before().size() && i < row.after().size(); i++) {
			if (!Objects.equals(row.before().get(i), row.after().get(i))) {
				changed.append(names.get(i)).append('|');
			}
		}
		return (changed.length() <= 4000) ? changed.toString() : changed.substring(0, 4000);
	}

	void append(long runId, List<ChangeRow> rows) {
		if (rows.isEmpty()) {
			return;
		}
		// a row's seq follows the changes and the kept rows before it
		Appending open = this.store
			.sql("SELECT row_count + COALESCE(kept_rows, 0), columns_json FROM change_sets WHERE run_id = ?")
			.param(runId)
			.query((rs, n) -> new Appending(rs.getLong(1),
					this.json.readValue(rs.getString(2), COLUMNS).stream().map(ChangeColumn::name).toList()))
			.optional()
			.orElseThrow(() -> new IllegalStateException("Run " + runId + " has no change set to append to."));
		long first = open.stored();
		List<String> names = open.columns();
		long kept = rows.stream().filter(row -> !row.op().change()).count();
		List<ChangeSegments.EncodedRow> encoded = rows.stream().map(ChangeSegments.EncodedRow::of).toList();
		this.segments.write(runId, first + 1, names, encoded, true);
		Sealing sealing = this.sealing.get(runId);
		if (sealing != null) {
			if (sealing.nextSeq == first + 1 && sealing.add(encoded)) {
				sealing.nextSeq += rows.size();
			}
			else {
				// the rows stored and the rows seen differ (a batch rolled back after it
				// was seen): the seal reads the stored rows instead
				forget(runId);
			}
		}
		this.store.sql("UPDATE change_sets SET row_count = row_count + ?, kept_rows = COALESCE(kept_rows, 0) + ? "
				+ "WHERE run_id = ?")
			.params(rows.size() - kept, kept, runId)
			.update();
	}

	/** Where an append starts: the rows stored so far, and the change set's column names. */
	private record Appending(long stored, List<String> columns) {
	}

	/** Forgets the seal's state and any draft of the run's reports (see ChangeSetService). */
	void release(long runId) {
		forget(runId);
		// a draft this instance no longer knows of (written before a restart)
		this.store.sql("SELECT plan, phase FROM change_sets WHERE run_id = ?")
			.param(runId)
			.query((rs, n) -> new String[] { rs.getString(1), rs.getString(2) })
			.optional()
			.ifPresent(names -> this.reports.discardDraft(names[0], names[1], runId));
	}

	void discard(long runId) {
		release(runId);
		this.segments.delete(runId);
		this.store.sql("DELETE FROM change_sets WHERE run_id = ?").param(runId).update();
	}

	ChangeSet seal(long runId, ChangeSetTotals totals) {
		ChangeSet open = this.queries.get(runId);
		Sealing sealing = this.sealing.remove(runId);
		long stored = this.store.sql("SELECT row_count + COALESCE(kept_rows, 0) FROM change_sets WHERE run_id = ?")
			.param(runId)
			.query(Long.class)
			.single();
		if (sealing != null && sealing.nextSeq == stored + 1) {
			// every stored row was seen as it was appended: nothing to read again
			return sealed(runId, totals, sealing.digest, sealing.byRule, sealing.profile, sealing.draft);
		}
		if (sealing != null) {
			sealing.draft.discard();
		}
		MessageDigest digest = sha256();
		digest.update(header(open).getBytes(StandardCharsets.UTF_8));
		Map<String, Long> byRule = new TreeMap<>();
		ProfileBuilder profile = new ProfileBuilder(open.columns().stream().map(ChangeColumn::name).toList());
		ReportFiles.Draft draft = this.reports.draft(open.plan(), open.phase(), runId);
		try (Writer csv = draft.writer("changes.csv")) {
			ChangeSetExports.CsvRows csvRows = this.exports.csv(open, csv);
			csvRows.header();
			this.rows.stream(runId, values -> {
				SegmentRow row = values.row();
				String line = row.op() + '\t' + row.table() + '\t' + row.key() + '\t' + row.before() + '\t'
						+ row.after() + '\t' + row.reasons() + '\n';
				digest.update(line.getBytes(StandardCharsets.UTF_8));
				List<String> key = ChangeRows.texts(row.key());
				List<String> before = ChangeRows.texts(row.before());
				List<String> after = ChangeRows.texts(row.after());
				if ("update".equals(row.op())) {
					profile.update(before, after);
				}
				else if ("insert".equals(row.op())) {
					profile.insert(after);
				}
				if (row.reasons() != null) {
					for (Rejection reason : this.json.readValue(row.reasons(), ChangeRows.REASONS)) {
						byRule.merge(reason.column() + ": " + reason.rule(), 1L, Long::sum);
					}
				}
				csvRows.row(row.seq(), row.table(), row.op(), key, before, after, row.reasons());
			});
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Writing the report files of run " + runId + " failed: " + ex.getMessage(),
					ex);
		}
		return sealed(runId, totals, digest, byRule, profile, draft);
	}

	/** Stores the seal's figures and publishes the report files. */
	private ChangeSet sealed(long runId, ChangeSetTotals totals, MessageDigest digest, Map<String, Long> byRule,
			ProfileBuilder profile, ReportFiles.Draft draft) {
		String sha = HexFormat.of().formatHex(digest.digest());
		this.store.sql("""
				UPDATE change_sets SET source_rows = ?, target_rows = ?, rows_read = ?, rows_inserted = ?,
				  rows_updated = ?, rows_unchanged = ?, rows_deleted = ?, rows_rejected = ?, rejected_by_rule = ?,
				  profile_json = ?, sha256 = ?, sealed_at = ?, kept_rows = ?
				WHERE run_id = ?
				""")
			.params(totals.sourceRows(), totals.targetRows(), totals.read(), totals.inserted(), totals.updated(),
					totals.unchanged(), totals.deleted(), totals.rejected(), this.json.writeValueAsString(byRule),
					this.json.writeValueAsString(profile.build()), sha,
					utc(this.clock.instant()), totals.kept(), runId)
			.update();
		ChangeSet sealed = this.queries.get(runId);
		draft.write("summary.json", this.exports.summaryJson(sealed, byRule));
		draft.publish();
		return sealed;
	}

	/** Forgets what was seen of a change set's rows, and its report files' draft. */
	void forget(long runId) {
		Sealing sealing = this.sealing.remove(runId);
		if (sealing != null) {
			sealing.draft.discard();
		}
	}

	/**
	 * What the seal needs, gathered as the rows are appended so that it does not read them
	 * again: the hash so far, the rejections by rule, the profile, and {@code changes.csv}
	 * in the report files' draft. It lives in memory while its dry run runs on this
	 * instance; a dry run that moves to another instance or restarts starts over and begins
	 * anew. When the rows stored and the rows seen could differ, it is dropped and the seal
	 * reads the stored rows, as it always could.
	 */
	private final class Sealing {

		private final ChangeSet changeSet;

		private final ReportFiles.Draft draft;

		private final MessageDigest digest = sha256();

		private final Map<String, Long> byRule = new TreeMap<>();

		private final ProfileBuilder profile;

		private final StringBuilder line = new StringBuilder(256);

		/** The seq the next appended row gets. */
		private long nextSeq = 1;

		Sealing(NewChangeSet changeSet, ReportFiles.Draft draft) {
			this.changeSet = new ChangeSet(changeSet.runId(), changeSet.plan(), changeSet.planVersion(),
					changeSet.phase(), changeSet.connection(), changeSet.table(), changeSet.columns(), changeSet.key(),
					0, null, null, null, null);
			this.draft = draft;
			this.digest.update(header(this.changeSet).getBytes(StandardCharsets.UTF_8));
			this.profile = new ProfileBuilder(changeSet.columns().stream().map(ChangeColumn::name).toList());
		}

		/** Takes in appended rows; false when their report could not be written. */
		boolean add(List<ChangeSegments.EncodedRow> rows) {
			try (Writer csv = this.draft.appender("changes.csv")) {
				ChangeSetExports.CsvRows csvRows = ChangeSetWriter.this.exports.csv(this.changeSet, csv);
				for (int i = 0; i < rows.size(); i++) {
					ChangeSegments.EncodedRow encoded = rows.get(i);
					ChangeRow row = encoded.row();
					if (!row.op().change()) {
						continue;
					}
					StringBuilder line = this.line;
					line.setLength(0);
					line.append(row.op().code())
						.append('\t')
						.append(row.table())
						.append('\t')
						.append(encoded.key())
						.append('\t')
						.append(encoded.before())
						.append('\t')
						.append(encoded.after())
						.append('\t')
						.append(encoded.reasons())
						.append('\n');
					this.digest.update(line.toString().getBytes(StandardCharsets.UTF_8));
					if (row.op() == ChangeOp.UPDATE) {
						this.profile.update(row.before(), row.after());
					}
					else if (row.op() == ChangeOp.INSERT) {
						this.profile.insert(row.after());
					}
					for (Rejection reason : row.reasons()) {
						this.byRule.merge(reason.column() + ": " + reason.rule(), 1L, Long::sum);
					}
					csvRows.row(this.nextSeq + i, row.table(), row.op().code(), row.key(), row.before(), row.after(),
							row.reasons().isEmpty() ? null
									: String.join("; ", row.reasons().stream().map(Rejection::message).toList()),
							true);
				}
				return true;
			}
			catch (IOException | UncheckedIOException ex) {
				return false;
			}
		}

	}

	/** What the hash covers before the rows: the table and the shape of its rows. */
	private static String header(ChangeSet changeSet) {
		StringBuilder header = new StringBuilder("ferry-change-set 1\n").append(changeSet.table()).append('\n');
		for (ChangeColumn column : changeSet.columns()) {
			header.append(column.name()).append(':').append(column.type()).append('\t');
		}
		return header.append('\n').append(CanonicalJson.array(changeSet.key())).append('\n').toString();
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static OffsetDateTime utc(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

}
