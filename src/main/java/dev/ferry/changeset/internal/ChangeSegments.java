package dev.ferry.changeset.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

import dev.ferry.changeset.ChangeOp;
import dev.ferry.changeset.ChangeRow;

import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * A change set's rows in the store, in segments: up to {@value #SEGMENT_ROWS} consecutive
 * rows (by seq, all operations, kept rows included) written as two store rows, a summary in
 * {@code change_segments} and the rows' text in {@code change_segment_rows}.
 *
 * <p>
 * One store row per change row, with its index entries and its undo-log entries in H2,
 * capped a dry run at about 40,000 change rows a second; a segment costs about as much as
 * one of them (docs/performance.md, section 9). Pages and filters read the summaries
 * first: the rows per operation, the union of the rules and changed columns and the key
 * search texts tell which segments can hold a filter's rows, and only those are decoded.
 *
 * <p>
 * A segment's text is one line per row, eight fields separated by tabs: the operation, the
 * table, the key, before, after and reasons (canonical JSON, which never holds a raw tab or
 * line feed), the rules and the changed columns. As in PostgreSQL's COPY text, NULL is a
 * backslash and N, and a backslash, tab or line feed in the fields that are not JSON is a
 * backslash followed by itself, t or n.
 */
@Component
class ChangeSegments {

	/**
	 * Rows per segment at most. 128 was tried: pages read less text, but PostgreSQL then
	 * planned the sparse searches as a sort of every summary after the cursor instead of
	 * an index range in seq order ({@code ChangePageQueryPlanTests}).
	 */
	static final int SEGMENT_ROWS = 512;

	/** Characters of row text per segment at most (a segment of wide rows ends sooner). */
	static final int SEGMENT_CHARS = 256 * 1024;

	private static final String NULL = "\\N";

	/** Segments read per statement while scanning, growing to this from one. */
	private static final int CHUNK = 16;

	private final JdbcTemplate jdbc;

	ChangeSegments(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Stores rows as segments, numbered from {@code firstSeq}, in the caller's transaction.
	 * @param columns the change set's column names (an update's changed columns)
	 */
	void write(long runId, long firstSeq, List<String> columns, List<ChangeRow> rows) {
		write(runId, firstSeq, columns, rows.stream().map(EncodedRow::of).toList(), true);
	}

	/**
	 * Stores rows whose JSON was written once for the segments and the seal alike.
	 * @param encoded marks this form
	 */
	void write(long runId, long firstSeq, List<String> columns, List<EncodedRow> rows, boolean encoded) {
		List<Segment> segments = new ArrayList<>();
		Builder builder = null;
		for (int i = 0; i < rows.size(); i++) {
			if (builder == null) {
				builder = new Builder(firstSeq + i);
			}
			builder.add(rows.get(i), columns);
			if (builder.rows == SEGMENT_ROWS || builder.body.length() >= SEGMENT_CHARS) {
				segments.add(builder.build());
				builder = null;
			}
		}
		if (builder != null) {
			segments.add(builder.build());
		}
		this.jdbc.batchUpdate("""
				INSERT INTO change_segments (run_id, first_seq, last_seq, row_count, inserts, updates, deletes,
				  rejected, kept, reject_rules, changed_columns, key_search)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				""", new BatchPreparedStatementSetter() {

			@Override
			public void setValues(PreparedStatement statement, int i) throws SQLException {
				Segment segment = segments.get(i);
				statement.setLong(1, runId);
				statement.setLong(2, segment.first());
				statement.setLong(3, segment.last());
				statement.setInt(4, segment.rows());
				for (int op = 0; op < 5; op++) {
					statement.setInt(5 + op, segment.ops()[op]);
				}
				statement.setString(10, segment.rules());
				statement.setString(11, segment.changed());
				statement.setString(12, segment.search());
			}

			@Override
			public int getBatchSize() {
				return segments.size();
			}

		});
		this.jdbc.batchUpdate("INSERT INTO change_segment_rows (run_id, last_seq, body) VALUES (?, ?, ?)",
				new BatchPreparedStatementSetter() {

					@Override
					public void setValues(PreparedStatement statement, int i) throws SQLException {
						Segment segment = segments.get(i);
						statement.setLong(1, runId);
						statement.setLong(2, segment.last());
						statement.setString(3, segment.body());
					}

					@Override
					public int getBatchSize() {
						return segments.size();
					}

				});
	}

	/** Forgets every segment of a change set. */
	void delete(long runId) {
		this.jdbc.update("DELETE FROM change_segment_rows WHERE run_id = ?", runId);
		this.jdbc.update("DELETE FROM change_segments WHERE run_id = ?", runId);
	}

	/**
	 * Hands the filter's rows to {@code visitor} in seq order ({@code backwards}: newest
	 * first) after (before) the cursor, until it returns false or the rows run out. Only
	 * the segments whose summary can hold one of them are read: one in the first statement
	 * (a page of 50 rows mostly needs no more), four times as many in each next one.
	 */
	void scan(long runId, SegmentFilter filter, Long cursor, boolean backwards, Predicate<SegmentRow> visitor) {
		long bound = (cursor != null) ? cursor : (backwards ? Long.MAX_VALUE : Long.MIN_VALUE);
		int chunk = 1;
		while (true) {
			List<Object> params = new ArrayList<>();
			params.add(runId);
			params.add(bound);
			String sql = scanQuery(filter, backwards, params);
			params.add(chunk);
			List<String[]> segments = this.jdbc.query(sql,
					(rs, n) -> new String[] { rs.getString(1), rs.getString(2), rs.getString(3) }, params.toArray());
			for (String[] segment : segments) {
				long first = Long.parseLong(segment[0]);
				String body = segment[2];
				int[] starts = lineStarts(body);
				for (int i = 0; i < starts.length; i++) {
					int line = backwards ? starts.length - 1 - i : i;
					long seq = first + line;
					boolean inRange = (cursor == null) || (backwards ? seq < cursor : seq > cursor);
					// the operation is the line's first field: rows of another are never decoded
					if (!inRange || !filter.mayMatch(body, starts[line])) {
						continue;
					}
					SegmentRow row = decodeLine(seq, body, starts[line],
							(line + 1 < starts.length) ? starts[line + 1] - 1 : body.length());
					if (filter.matches(row) && !visitor.test(row)) {
						return;
					}
				}
				bound = Long.parseLong(segment[backwards ? 0 : 1]);
			}
			if (segments.size() < chunk) {
				return;
			}
			chunk = Math.min(CHUNK, chunk * 4);
		}
	}

	/**
	 * The statement a scan runs for each few segments: the summaries after (before) a bound
	 * that can hold the filter's rows, on the primary key {@code (run_id, last_seq)}
	 * (backwards: {@code (run_id, first_seq DESC)}) in its order, so the store reads from the
	 * bound on and stops after the limit; the rows' text is looked up by its primary key for
	 * the segments returned only. Its parameters: the run, the bound, the filter's (added to
	 * {@code params}), the limit.
	 */
	static String scanQuery(SegmentFilter filter, boolean backwards, List<Object> params) {
		StringBuilder sql = new StringBuilder("""
				SELECT s.first_seq, s.last_seq,
				  (SELECT b.body FROM change_segment_rows b WHERE b.run_id = s.run_id AND b.last_seq = s.last_seq)
				FROM change_segments s WHERE s.run_id = ?""");
		sql.append(backwards ? " AND s.first_seq < ?" : " AND s.last_seq > ?");
		filter.summaryConditions(sql, params);
		sql.append(backwards ? " ORDER BY s.run_id, s.first_seq DESC" : " ORDER BY s.run_id, s.last_seq");
		return sql.append(" LIMIT ?").toString();
	}

	/**
	 * The filter's rows before {@code beforeSeq} (all of them when it is null): from the
	 * summaries' counts when the filter is by operation only, decoding only the segment the
	 * seq falls in; otherwise by reading the segments that can hold one.
	 */
	long count(long runId, SegmentFilter filter, Long beforeSeq) {
		if (!filter.byOperationOnly()) {
			long[] count = { 0 };
			scan(runId, filter, null, false, row -> {
				if (beforeSeq != null && row.seq() >= beforeSeq) {
					return false;
				}
				count[0]++;
				return true;
			});
			return count[0];
		}
		String rows = filter.op() == null ? "s.row_count - s.kept" : "s." + opColumn(filter.op());
		if (beforeSeq == null) {
			Long all = this.jdbc.queryForObject("SELECT SUM(" + rows + ") FROM change_segments s WHERE s.run_id = ?",
					Long.class, runId);
			return all == null ? 0 : all;
		}
		Long whole = this.jdbc.queryForObject(
				"SELECT SUM(" + rows + ") FROM change_segments s WHERE s.run_id = ? AND s.last_seq < ?", Long.class,
				runId, beforeSeq);
		long count = whole == null ? 0 : whole;
		// the segment the seq falls in: its rows before the seq
		List<String[]> partial = this.jdbc.query("""
				SELECT s.first_seq,
				  (SELECT b.body FROM change_segment_rows b WHERE b.run_id = s.run_id AND b.last_seq = s.last_seq)
				FROM change_segments s
				WHERE s.run_id = ? AND s.last_seq >= ? AND s.first_seq < ? ORDER BY s.run_id, s.last_seq LIMIT 1
				""", (rs, n) -> new String[] { rs.getString(1), rs.getString(2) }, runId, beforeSeq, beforeSeq);
		for (String[] segment : partial) {
			for (SegmentRow row : decode(Long.parseLong(segment[0]), segment[1])) {
				if (row.seq() < beforeSeq && filter.matches(row)) {
					count++;
				}
			}
		}
		return count;
	}

	static String opColumn(ChangeOp op) {
		return switch (op) {
			case INSERT -> "inserts";
			case UPDATE -> "updates";
			case DELETE -> "deletes";
			case REJECTED -> "rejected";
			case KEPT -> "kept";
		};
	}

	private static int index(ChangeOp op) {
		return switch (op) {
			case INSERT -> 0;
			case UPDATE -> 1;
			case DELETE -> 2;
			case REJECTED -> 3;
			case KEPT -> 4;
		};
	}

	/** The rows of a segment's text, the first numbered {@code firstSeq}. */
	static List<SegmentRow> decode(long firstSeq, String body) {
		int[] starts = lineStarts(body);
		List<SegmentRow> rows = new ArrayList<>(starts.length);
		for (int line = 0; line < starts.length; line++) {
			rows.add(decodeLine(firstSeq + line, body, starts[line],
					(line + 1 < starts.length) ? starts[line + 1] - 1 : body.length()));
		}
		return rows;
	}

	/** Where each line of a segment's text starts. */
	private static int[] lineStarts(String body) {
		int[] starts = new int[64];
		int lines = 0;
		int start = 0;
		while (start < body.length()) {
			if (lines == starts.length) {
				starts = java.util.Arrays.copyOf(starts, lines * 2);
			}
			starts[lines++] = start;
			int end = body.indexOf('\n', start);
			start = (end < 0) ? body.length() : end + 1;
		}
		return java.util.Arrays.copyOf(starts, lines);
	}

	/** The row of one line, from {@code start} to {@code end} (exclusive) of the text. */
	private static SegmentRow decodeLine(long seq, String body, int start, int end) {
		String[] fields = new String[8];
		int from = start;
		for (int f = 0; f < 8; f++) {
			int tab = (f < 7) ? body.indexOf('\t', from) : end;
			if (tab < 0 || tab > end) {
				throw new IllegalStateException(
						"A change segment's row has " + (f + 1) + " of its 8 fields at seq " + seq + ".");
			}
			fields[f] = body.substring(from, tab);
			from = tab + 1;
		}
		return new SegmentRow(seq, fields[0], unescape(fields[1]), fields[2], json(fields[3]), json(fields[4]),
				json(fields[5]), unescape(fields[6]), unescape(fields[7]));
	}

	private static String json(String field) {
		return NULL.equals(field) ? null : field;
	}

	static String escape(String value) {
		if (value == null) {
			return NULL;
		}
		if (value.indexOf('\\') < 0 && value.indexOf('\t') < 0 && value.indexOf('\n') < 0) {
			return value;
		}
		StringBuilder escaped = new StringBuilder(value.length() + 8);
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '\\' -> escaped.append("\\\\");
				case '\t' -> escaped.append("\\t");
				case '\n' -> escaped.append("\\n");
				default -> escaped.append(c);
			}
		}
		return escaped.toString();
	}

	static String unescape(String field) {
		if (NULL.equals(field)) {
			return null;
		}
		if (field.indexOf('\\') < 0) {
			return field;
		}
		StringBuilder plain = new StringBuilder(field.length());
		for (int i = 0; i < field.length(); i++) {
			char c = field.charAt(i);
			if (c == '\\' && i + 1 < field.length()) {
				char next = field.charAt(++i);
				plain.append(switch (next) {
					case 't' -> '\t';
					case 'n' -> '\n';
					default -> next;
				});
			}
			else {
				plain.append(c);
			}
		}
		return plain.toString();
	}

	/** A change row with its key, values and reasons as canonical JSON (null: none). */
	record EncodedRow(ChangeRow row, String key, String before, String after, String reasons) {

		static EncodedRow of(ChangeRow row) {
			return new EncodedRow(row, CanonicalJson.array(row.key()), CanonicalJson.array(row.before()),
					CanonicalJson.array(row.after()), CanonicalJson.reasons(row.reasons()));
		}

	}

	/** A segment as it is written. */
	private record Segment(long first, long last, int rows, int[] ops, String rules, String changed, String search,
			String body) {
	}

	/** Collects the rows of one segment and its summary. */
	private static final class Builder {

		private final long first;

		private int rows;

		private final int[] ops = new int[5];

		private final Set<String> rules = new LinkedHashSet<>();

		private final Set<String> changed = new LinkedHashSet<>();

		private final StringBuilder search = new StringBuilder();

		private final StringBuilder body = new StringBuilder(64 * 1024);

		Builder(long first) {
			this.first = first;
		}

		void add(EncodedRow encoded, List<String> columns) {
			ChangeRow row = encoded.row();
			String rowRules = ChangeSetWriter.rules(row.reasons());
			String rowChanged = ChangeSetWriter.changedColumns(columns, row);
			if (this.rows > 0) {
				this.body.append('\n');
			}
			this.body.append(row.op().code())
				.append('\t')
				.append(escape(row.table()))
				.append('\t')
				.append(encoded.key())
				.append('\t')
				.append(orNull(encoded.before()))
				.append('\t')
				.append(orNull(encoded.after()))
				.append('\t')
				.append(orNull(encoded.reasons()))
				.append('\t')
				.append(escape(rowRules))
				.append('\t')
				.append(escape(rowChanged));
			this.search.append('\n').append(SegmentRow.search(row.key()));
			this.ops[index(row.op())]++;
			tokens(rowRules, this.rules);
			tokens(rowChanged, this.changed);
			this.rows++;
		}

		Segment build() {
			return new Segment(this.first, this.first + this.rows - 1, this.rows, this.ops, union(this.rules),
					union(this.changed), this.search.toString(), this.body.toString());
		}

		private static String orNull(String json) {
			return Objects.requireNonNullElse(json, NULL);
		}

		private static void tokens(String list, Set<String> into) {
			if (list == null) {
				return;
			}
			int from = 1;
			while (from < list.length()) {
				int bar = list.indexOf('|', from);
				if (bar < 0) {
					break;
				}
				into.add(list.substring(from, bar));
				from = bar + 1;
			}
		}

		private static String union(Set<String> tokens) {
			if (tokens.isEmpty()) {
				return null;
			}
			return "|" + String.join("|", tokens) + "|";
		}

	}

	/**
	 * Which rows a scan hands over: one operation's, or every change (no kept row); of one
	 * table; whose key search starts with a prefix (lower case); rejected by one rule
	 * ({@code |column: rule|}); updates changing one column ({@code |name|}).
	 */
	record SegmentFilter(ChangeOp op, String table, String q, String rule, String column) {

		static final SegmentFilter CHANGES = new SegmentFilter(null, null, null, null, null);

		boolean byOperationOnly() {
			return this.table == null && this.q == null && this.rule == null && this.column == null;
		}

		/**
		 * Whether the line starting at {@code start} is of the operation the filter lists,
		 * read from its first field without decoding it.
		 */
		boolean mayMatch(String body, int start) {
			if (this.op != null) {
				String code = this.op.code();
				return body.startsWith(code, start) && body.length() > start + code.length()
						&& body.charAt(start + code.length()) == '\t';
			}
			return !body.startsWith("kept\t", start);
		}

		boolean matches(SegmentRow row) {
			if (this.op != null ? !this.op.code().equals(row.op()) : ChangeOp.KEPT.code().equals(row.op())) {
				return false;
			}
			if (this.table != null && !this.table.equals(row.table())) {
				return false;
			}
			if (this.q != null && !row.search().startsWith(this.q)) {
				return false;
			}
			if (this.rule != null && (row.rules() == null || !row.rules().contains(this.rule))) {
				return false;
			}
			return this.column == null || (row.changed() != null && row.changed().contains(this.column));
		}

		void summaryConditions(StringBuilder sql, List<Object> params) {
			if (this.op != null) {
				sql.append(" AND s.").append(opColumn(this.op)).append(" > 0");
			}
			else {
				sql.append(" AND s.row_count > s.kept");
			}
			if (this.q != null) {
				sql.append(" AND s.key_search LIKE ? ESCAPE '!'");
				params.add("%\n" + likeText(this.q) + "%");
			}
			if (this.rule != null) {
				sql.append(" AND s.reject_rules LIKE ? ESCAPE '!'");
				params.add("%" + likeText(this.rule) + "%");
			}
			if (this.column != null) {
				sql.append(" AND s.changed_columns LIKE ? ESCAPE '!'");
				params.add("%" + likeText(this.column) + "%");
			}
		}

		private static String likeText(String text) {
			return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
		}

	}

}
