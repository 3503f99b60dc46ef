package dev.ferry.mapping.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.PreparedStatement;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.ferry.changeset.Csv;
import dev.ferry.changeset.ReportFiles;
import dev.ferry.mapping.MappingItem;
import dev.ferry.mapping.MappingRun;
import dev.ferry.mapping.MappingTotals;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Writes the reports of a mapping dry run: {@code mapping.csv} (the map as it stands) and
 * {@code summary.json}.
 */
@Component
class MappingReports {

	/** Items read per query of {@code mapping.csv}. */
	static final int PAGE = 10_000;

	private final JdbcClient store;

	private final JdbcTemplate jdbc;

	private final JsonMapper json;

	private final ReportFiles reports;

	private final MappingQueries queries;

	MappingReports(JdbcClient store, JdbcTemplate jdbc, JsonMapper json, ReportFiles reports, MappingQueries queries) {
		this.store = store;
		this.jdbc = jdbc;
		this.json = json;
		this.reports = reports;
		this.queries = queries;
	}

	/**
	 * Writes a sealed run's {@code mapping.csv} and {@code summary.json} and publishes
	 * them.
	 */
	void publish(long runId, MappingTotals totals) {
		String[] header = this.store.sql("SELECT plan, phase FROM mapping_runs WHERE run_id = ?")
			.param(runId)
			.query((rs, row) -> new String[] { rs.getString(1), rs.getString(2) })
			.single();
		Map<String, Object> summary = new LinkedHashMap<>();
		summary.put("run", runId);
		summary.put("plan", header[0]);
		summary.put("phase", header[1]);
		summary.put("oldRows", totals.oldRows());
		summary.put("newRows", totals.newRows());
		summary.put("auto", totals.auto());
		summary.put("ambiguous", totals.ambiguous());
		summary.put("unresolved", totals.unresolved());
		summary.put("conflict", totals.conflict());
		summary.put("bestScoreHistogram", totals.histogram());
		ReportFiles.Draft draft = this.reports.draft(header[0], header[1], runId);
		try (Writer out = draft.writer("mapping.csv")) {
			writeCsv(header[0], header[1], runId, out);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write the mapping reports of run " + runId + ": " + ex.getMessage(),
					ex);
		}
		draft.write("summary.json", this.json.writeValueAsString(summary));
		draft.publish();
	}

	void writeCsv(String plan, String phase, Writer out) {
		long runId = this.queries.latest(plan, phase);
		try {
			writeCsv(plan, phase, runId, out);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A field of {@code mapping.csv}, which has always written an empty text as an empty
	 * field, like NULL.
	 */
	private static String field(String value) {
		return Csv.field((value == null || value.isEmpty()) ? null : value);
	}

	/**
	 * Every item of a run in its order, as the map stands: old key, status, the new key
	 * it maps to, the computed status and best score, candidates, who decided, the
	 * reason, then the old record's fields.
	 */
	private void writeCsv(String plan, String phase, long runId, Writer out) throws IOException {
		MappingRun run = this.queries.run(runId);
		StringBuilder head = new StringBuilder(
				"old_key,status,new_key,computed_status,best_score,candidates," + "decided_by,reason");
		run.oldFields().forEach(field -> head.append(',').append(field("old_" + field)));
		out.write(head.append('\n').toString());
		// in keyset pages by seq: one query over a million items made H2 keep its whole
		// result in a temporary file first
		long[] after = { 0 };
		int[] read = { PAGE };
		while (read[0] == PAGE) {
			read[0] = 0;
			this.jdbc.query(connection -> {
				PreparedStatement statement = connection.prepareStatement("SELECT " + MappingQueries.LISTED_ITEM_COLUMNS
						+ " FROM mapping_items i LEFT JOIN mapping_decisions d ON d.plan = ? AND d.phase = ? "
						+ "AND d.old_key = i.old_key WHERE i.run_id = ? AND i.seq > ? ORDER BY i.run_id, i.seq "
						+ "LIMIT " + PAGE);
				statement.setFetchSize(1000);
				statement.setString(1, plan);
				statement.setString(2, phase);
				statement.setLong(3, runId);
				statement.setLong(4, after[0]);
				return statement;
			}, (RowCallbackHandler) rs -> {
				MappingItem item = this.queries.item(rs, 0);
				read[0]++;
				after[0] = item.seq();
				try {
					out.write(line(item));
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			});
		}
	}

	/** An item's line of {@code mapping.csv}. */
	private static String line(MappingItem item) {
		StringBuilder line = new StringBuilder(128);
		line.append(field(item.oldKey()))
			.append(',')
			.append(item.status().code())
			.append(',')
			.append(field(item.newKey()))
			.append(',')
			.append(item.computed().code())
			.append(',')
			.append(item.bestScore() == null ? ""
					: BigDecimal.valueOf(item.bestScore()).setScale(4, RoundingMode.HALF_UP).toPlainString())
			.append(',')
			.append(item.candidateCount());
		boolean standing = item.decision() != null && item.decision().status() != null && !item.decision().stale();
		line.append(',').append(field(standing ? item.decision().decidedBy() : null));
		line.append(',').append(field(standing ? item.decision().reason() : null));
		for (String value : item.old()) {
			line.append(',').append(field(value));
		}
		return line.append('\n').toString();
	}

}
