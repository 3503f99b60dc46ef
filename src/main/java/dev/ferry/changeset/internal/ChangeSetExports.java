package dev.ferry.changeset.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ferry.changeset.Change;
import dev.ferry.changeset.Csv;
import dev.ferry.changeset.ChangeSet;
import dev.ferry.changeset.ChangeSetTotals;
import dev.ferry.changeset.Rejection;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * Writes a change set's downloads: {@code changes.csv}, the JSON export and
 * {@code summary.json}.
 */
@Component
class ChangeSetExports {

	private final JsonMapper json;

	private final ChangeSetQueries queries;

	private final ChangeRows rows;

	ChangeSetExports(JsonMapper json, ChangeSetQueries queries, ChangeRows rows) {
		this.json = json;
		this.queries = queries;
		this.rows = rows;
	}

	void writeCsv(long runId, Writer out) {
		ChangeSet changeSet = this.queries.sealed(runId);
		CsvRows rows = new CsvRows(changeSet, out);
		rows.header();
		this.rows.stream(runId, rows::row);
	}

	void writeJson(long runId, Writer out) {
		ChangeSet changeSet = this.queries.sealed(runId);
		try (JsonGenerator generator = this.json.createGenerator(out)) {
			generator.writeStartObject();
			generator.writeName("summary");
			generator.writeRawValue(summaryJson(changeSet, this.queries.ruleCounts(runId)));
			generator.writeName("changes");
			generator.writeStartArray();
			this.rows.stream(runId, rs -> {
				Change change = this.rows.change(changeSet, rs);
				generator.writePOJO(change);
			});
			generator.writeEndArray();
			generator.writeEndObject();
		}
	}

	String summaryJson(long runId) {
		return summaryJson(this.queries.sealed(runId), this.queries.ruleCounts(runId));
	}

	String summaryJson(ChangeSet changeSet, Map<String, Long> rejectedByRule) {
		Map<String, Object> summary = new LinkedHashMap<>();
		summary.put("runId", changeSet.runId());
		summary.put("plan", changeSet.plan());
		summary.put("planVersion", changeSet.planVersion());
		summary.put("phase", changeSet.phase());
		summary.put("connection", changeSet.connection());
		summary.put("table", changeSet.table());
		summary.put("key", changeSet.key());
		summary.put("columns", changeSet.columns());
		ChangeSetTotals totals = changeSet.totals();
		if (totals != null) {
			Map<String, Object> counts = new LinkedHashMap<>();
			counts.put("read", totals.read());
			counts.put("inserted", totals.inserted());
			counts.put("updated", totals.updated());
			counts.put("unchanged", totals.unchanged());
			counts.put("deleted", totals.deleted());
			counts.put("rejected", totals.rejected());
			// no change, so not part of read: target rows without a source row, kept
			// because delete-missing is off (with it on they are deleted)
			counts.put("kept", totals.kept());
			summary.put("counts", counts);
			summary.put("sourceRows", totals.sourceRows());
			summary.put("targetRows", totals.targetRows());
			summary.put("projectedTargetRows", totals.projectedTargetRows());
		}
		summary.put("changeRows", changeSet.rowCount());
		summary.put("rejectedByRule", rejectedByRule);
		summary.put("changeSetSha256", changeSet.sha256());
		summary.put("createdAt", changeSet.createdAt() == null ? null : changeSet.createdAt().toString());
		summary.put("sealedAt", changeSet.sealedAt() == null ? null : changeSet.sealedAt().toString());
		return this.json.writerWithDefaultPrettyPrinter().writeValueAsString(summary);
	}

	/** The CSV form of a change set's rows, written to {@code out}. */
	CsvRows csv(ChangeSet changeSet, Writer out) {
		return new CsvRows(changeSet, out);
	}

	/** The CSV form of change rows: one line per row, RFC 4180 quoting. */
	final class CsvRows {

		private final ChangeSet changeSet;

		private final Writer out;

		private final StringBuilder line = new StringBuilder(256);

		CsvRows(ChangeSet changeSet, Writer out) {
			this.changeSet = changeSet;
			this.out = out;
		}

		void header() {
			List<String> names = new ArrayList<>(List.of("seq", "table", "op"));
			this.changeSet.key().forEach(k -> names.add("key." + k));
			this.changeSet.columns().forEach(c -> names.add("before." + c.name()));
			this.changeSet.columns().forEach(c -> names.add("after." + c.name()));
			names.add("reasons");
			line(names);
		}

		void row(ChangeRows.RowValues rs) throws SQLException {
			row(rs.getLong(1), rs.getString(3), rs.getString(2), ChangeRows.texts(rs.getString(4)),
					ChangeRows.texts(rs.getString(5)), ChangeRows.texts(rs.getString(6)), rs.getString(7));
		}

		/** One row, its key and values already read from their canonical JSON. */
		void row(long seq, String table, String op, List<String> key, List<String> before, List<String> after,
				String reasons) {
			row(seq, table, op, key, before, after,
					reasons == null ? null
							: String.join("; ",
									ChangeSetExports.this.json.readValue(reasons, ChangeRows.REASONS)
										.stream()
										.map(Rejection::message)
										.toList()),
					true);
		}

		/**
		 * One row, with its rejections' messages joined by "; " (null: none).
		 * @param messages marks this form
		 */
		void row(long seq, String table, String op, List<String> key, List<String> before, List<String> after,
				String reasonMessages, boolean messages) {
			StringBuilder line = this.line;
			line.setLength(0);
			line.append(seq).append(',').append(Csv.field(table)).append(',').append(Csv.field(op));
			for (int i = 0; i < this.changeSet.key().size(); i++) {
				line.append(',').append(Csv.field(i < key.size() ? key.get(i) : null));
			}
			for (int i = 0; i < this.changeSet.columns().size(); i++) {
				line.append(',').append(Csv.field(before == null ? null : before.get(i)));
			}
			for (int i = 0; i < this.changeSet.columns().size(); i++) {
				line.append(',').append(Csv.field(after == null ? null : after.get(i)));
			}
			line.append(',').append(Csv.field(reasonMessages));
			try {
				this.out.append(line.append("\r\n"));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		private void line(List<String> cells) {
			try {
				for (int i = 0; i < cells.size(); i++) {
					if (i > 0) {
						this.out.write(',');
					}
					this.out.write(Csv.field(cells.get(i)));
				}
				this.out.write("\r\n");
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

}
