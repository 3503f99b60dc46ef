package dev.ferry.changeset.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.ferry.changeset.Change;
import dev.ferry.changeset.ChangeColumn;
import dev.ferry.changeset.Csv;
import dev.ferry.changeset.ReportFiles;
import dev.ferry.changeset.ChangeFilter;
import dev.ferry.changeset.ChangeOp;
import dev.ferry.changeset.ChangePage;
import dev.ferry.changeset.ChangeRow;
import dev.ferry.changeset.ChangeSet;
import dev.ferry.changeset.ChangeSetService;
import dev.ferry.changeset.ChangeSetTotals;
import dev.ferry.changeset.NewChangeSet;
import dev.ferry.changeset.Rejection;
import dev.ferry.changeset.StoredChange;
import dev.ferry.problem.NotFoundException;
import dev.ferry.problem.RefusedException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Change sets in Ferry's store. Rows are appended with JDBC batches and read back in
 * their order with a fetch size, so neither a dry run nor an export holds a change set
 * in memory; pages are keyset queries on {@code (run_id, seq)} and its indexes.
 */
@Service
class StoredChangeSets implements ChangeSetService {

	static final int FETCH_SIZE = 1000;

	/** Every row of a change set in order, for the seal and the downloads. */
	static final String STREAM_QUERY = """
			SELECT seq, op, table_name, key_values, before_values, after_values, reasons_json
			FROM change_rows WHERE run_id = ? ORDER BY run_id, seq
			""";

	private static final TypeReference<List<Rejection>> REASONS = new TypeReference<>() {
	};

	private static final TypeReference<List<ChangeColumn>> COLUMNS = new TypeReference<>() {
	};

	private static final TypeReference<Map<String, Long>> RULE_COUNTS = new TypeReference<>() {
	};

	private final JdbcClient store;

	private final JdbcTemplate jdbc;

	private final JsonMapper json;

	private final ReportFiles reports;

	private final Clock clock;

	StoredChangeSets(JdbcClient store, JdbcTemplate jdbc, JsonMapper json, ReportFiles reports, Clock clock) {
		this.store = store;
		this.jdbc = jdbc;
		this.json = json;
		this.reports = reports;
		this.clock = clock;
	}

	@Override
	@PreAuthorize("hasRole('OPERATOR')")
	@Transactional
	public void begin(NewChangeSet changeSet) {
		this.store.sql("""
				INSERT INTO change_sets (run_id, plan, plan_version, phase, connection, table_name, columns_json,
				  key_json, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
				""")
			.params(changeSet.runId(), changeSet.plan(), changeSet.planVersion(), changeSet.phase(),
					changeSet.connection(), changeSet.table(), this.json.writeValueAsString(changeSet.columns()),
					CanonicalJson.array(changeSet.key()), utc(this.clock.instant()))
			.update();
	}

	@Override
	@PreAuthorize("hasRole('OPERATOR')")
	@Transactional
	public void append(long runId, List<ChangeRow> rows) {
		if (rows.isEmpty()) {
			return;
		}
		long first = this.store.sql("SELECT row_count FROM change_sets WHERE run_id = ?")
			.param(runId)
			.query(Long.class)
			.optional()
			.orElseThrow(() -> new IllegalStateException("Run " + runId + " has no change set to append to."));
		this.jdbc.batchUpdate("""
				INSERT INTO change_rows (run_id, seq, op, table_name, key_values, key_search, before_values,
				  after_values, reasons_json)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
				""", new BatchPreparedStatementSetter() {

			@Override
			public void setValues(PreparedStatement statement, int i) throws SQLException {
				ChangeRow row = rows.get(i);
				statement.setLong(1, runId);
				statement.setLong(2, first + 1 + i);
				statement.setString(3, row.op().code());
				statement.setString(4, row.table());
				statement.setString(5, CanonicalJson.array(row.key()));
				statement.setString(6, search(row.key()));
				statement.setString(7, CanonicalJson.array(row.before()));
				statement.setString(8, CanonicalJson.array(row.after()));
				statement.setString(9, CanonicalJson.reasons(row.reasons()));
			}

			@Override
			public int getBatchSize() {
				return rows.size();
			}

		});
		this.store.sql("UPDATE change_sets SET row_count = row_count + ? WHERE run_id = ?")
			.params(rows.size(), runId)
			.update();
	}

	@Override
	@PreAuthorize("hasRole('OPERATOR')")
	@Transactional
	public void discard(long runId) {
		this.store.sql("DELETE FROM change_rows WHERE run_id = ?").param(runId).update();
		this.store.sql("DELETE FROM change_sets WHERE run_id = ?").param(runId).update();
	}

	@Override
	@PreAuthorize("hasRole('OPERATOR')")
	@Transactional
	public ChangeSet seal(long runId, ChangeSetTotals totals) {
		ChangeSet open = get(runId);
		MessageDigest digest = sha256();
		digest.update(header(open).getBytes(StandardCharsets.UTF_8));
		Map<String, Long> byRule = new TreeMap<>();
		ReportFiles.Draft draft = this.reports.draft(open.plan(), open.phase(), runId);
		try (Writer csv = draft.writer("changes.csv")) {
			CsvRows rows = new CsvRows(open, csv);
			rows.header();
			stream(runId, rs -> {
				String line = rs.getString(2) + '\t' + rs.getString(3) + '\t' + rs.getString(4) + '\t'
						+ rs.getString(5) + '\t' + rs.getString(6) + '\t' + rs.getString(7) + '\n';
				digest.update(line.getBytes(StandardCharsets.UTF_8));
				String reasons = rs.getString(7);
				if (reasons != null) {
					for (Rejection reason : this.json.readValue(reasons, REASONS)) {
						byRule.merge(reason.column() + ": " + reason.rule(), 1L, Long::sum);
					}
				}
				rows.row(rs);
			});
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Writing the report files of run " + runId + " failed: " + ex.getMessage(),
					ex);
		}
		String sha = HexFormat.of().formatHex(digest.digest());
		this.store.sql("""
				UPDATE change_sets SET source_rows = ?, target_rows = ?, rows_read = ?, rows_inserted = ?,
				  rows_updated = ?, rows_unchanged = ?, rows_deleted = ?, rows_rejected = ?, rejected_by_rule = ?,
				  sha256 = ?, sealed_at = ?
				WHERE run_id = ?
				""")
			.params(totals.sourceRows(), totals.targetRows(), totals.read(), totals.inserted(), totals.updated(),
					totals.unchanged(), totals.deleted(), totals.rejected(), this.json.writeValueAsString(byRule), sha,
					utc(this.clock.instant()), runId)
			.update();
		ChangeSet sealed = get(runId);
		draft.write("summary.json", summaryJson(sealed, byRule));
		draft.publish();
		return sealed;
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public Optional<ChangeSet> find(long runId) {
		return this.store.sql("SELECT * FROM change_sets WHERE run_id = ?")
			.param(runId)
			.query((rs, row) -> changeSet(rs))
			.optional();
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public ChangeSet get(long runId) {
		return find(runId).orElseThrow(() -> new NotFoundException("changes.notFound",
				"Run " + runId + " has no change set: only dry runs of import and mapping phases have one.", runId));
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public Optional<ChangeSet> latest(String plan, String phase) {
		return this.store.sql("""
				SELECT * FROM change_sets WHERE plan = ? AND phase = ? AND sealed_at IS NOT NULL
				ORDER BY run_id DESC LIMIT 1
				""").params(plan, phase).query((rs, row) -> changeSet(rs)).optional();
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public ChangePage changes(long runId, ChangeFilter filter, String after, int limit) {
		ChangeSet changeSet = get(runId);
		List<Object> params = new ArrayList<>();
		params.add(runId);
		if (filter.op() != null) {
			params.add(filter.op().code());
		}
		if (hasText(filter.table())) {
			params.add(filter.table().equalsIgnoreCase(changeSet.table()) ? changeSet.table() : filter.table());
		}
		if (hasText(filter.q())) {
			params.add(likePrefix(filter.q().strip().toLowerCase(Locale.ROOT)));
		}
		if (hasText(after)) {
			params.add(cursor(after));
		}
		params.add(limit + 1);
		String sql = pageQuery(filter, hasText(after));
		List<Change> items = this.store.sql(sql)
			.params(params)
			.query((rs, row) -> change(changeSet, rs))
			.list();
		String next = null;
		if (items.size() > limit) {
			items = items.subList(0, limit);
			next = String.valueOf(items.get(limit - 1).seq());
		}
		return new ChangePage(List.copyOf(items), next);
	}

	/**
	 * The SQL of one page: the filter's conditions and the cursor on the indexes that
	 * start with {@code run_id}, in {@code seq} order, one row more than the page to
	 * know whether a next page exists. Never an OFFSET, never a count.
	 */
	static String pageQuery(ChangeFilter filter, boolean after) {
		StringBuilder sql = new StringBuilder("""
				SELECT seq, op, table_name, key_values, before_values, after_values, reasons_json
				FROM change_rows WHERE run_id = ?""");
		if (filter.op() != null) {
			sql.append(" AND op = ?");
		}
		if (hasText(filter.table())) {
			sql.append(" AND table_name = ?");
		}
		if (hasText(filter.q())) {
			sql.append(" AND key_search LIKE ? ESCAPE '!'");
		}
		if (after) {
			sql.append(" AND seq > ?");
		}
		// H2 reads an index in order only when ORDER BY names its leading columns, even
		// those fixed by equality; without them it would sort every row of the run per page.
		// A key search reads its prefix's range of the key index and sorts it: quick for a
		// key, slower for a prefix a large share of the keys start with.
		if (hasText(filter.q())) {
			sql.append(" ORDER BY seq");
		}
		else if (filter.op() != null) {
			sql.append(" ORDER BY run_id, op, seq");
		}
		else {
			sql.append(" ORDER BY run_id, seq");
		}
		return sql.append(" LIMIT ?").toString();
	}

	private static boolean hasText(String value) {
		return value != null && !value.isBlank();
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public List<StoredChange> stored(long runId, long afterSeq, int limit) {
		return this.store.sql("""
				SELECT seq, op, key_values, before_values, after_values FROM change_rows
				WHERE run_id = ? AND seq > ? ORDER BY run_id, seq LIMIT ?
				""")
			.params(runId, afterSeq, limit)
			.query((rs, row) -> new StoredChange(rs.getLong(1), ChangeOp.of(rs.getString(2)).orElseThrow(),
					texts(rs.getString(3)), texts(rs.getString(4)), texts(rs.getString(5))))
			.list();
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public void writeCsv(long runId, Writer out) {
		ChangeSet changeSet = sealed(runId);
		CsvRows rows = new CsvRows(changeSet, out);
		rows.header();
		stream(runId, rows::row);
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public void writeJson(long runId, Writer out) {
		ChangeSet changeSet = sealed(runId);
		try (JsonGenerator generator = this.json.createGenerator(out)) {
			generator.writeStartObject();
			generator.writeName("summary");
			generator.writeRawValue(summaryJson(changeSet, ruleCounts(runId)));
			generator.writeName("changes");
			generator.writeStartArray();
			stream(runId, rs -> {
				Change change = change(changeSet, rs);
				generator.writePOJO(change);
			});
			generator.writeEndArray();
			generator.writeEndObject();
		}
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public Map<String, Long> rejectedByRule(long runId) {
		get(runId);
		return ruleCounts(runId);
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public String summaryJson(long runId) {
		return summaryJson(sealed(runId), ruleCounts(runId));
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public ChangeSet sealed(long runId) {
		ChangeSet changeSet = get(runId);
		if (!changeSet.sealed()) {
			throw new RefusedException("changes.notSealed",
					"The dry run is still working on this change set; its downloads are ready when it has finished.",
					runId);
		}
		return changeSet;
	}

	private Map<String, Long> ruleCounts(long runId) {
		String counts = this.store.sql("SELECT rejected_by_rule FROM change_sets WHERE run_id = ?")
			.param(runId)
			.query(String.class)
			.optional()
			.orElse(null);
		return counts == null ? Map.of() : this.json.readValue(counts, RULE_COUNTS);
	}

	private String summaryJson(ChangeSet changeSet, Map<String, Long> rejectedByRule) {
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

	/**
	 * Streams a change set's rows in order: seq, op, table, key, before, after, reasons.
	 * Ordered by the primary key's columns, so H2 reads the rows in index order instead
	 * of sorting the whole change set first.
	 */
	private void stream(long runId, SqlRowHandler handler) {
		this.jdbc.query(connection -> {
			PreparedStatement statement = connection.prepareStatement(STREAM_QUERY, ResultSet.TYPE_FORWARD_ONLY,
					ResultSet.CONCUR_READ_ONLY);
			statement.setFetchSize(FETCH_SIZE);
			statement.setLong(1, runId);
			return statement;
		}, (RowCallbackHandler) rs -> handler.row(new RowValues(rs)));
	}

	private Change change(ChangeSet changeSet, ResultSet rs) throws SQLException {
		return change(changeSet, new RowValues(rs));
	}

	private Change change(ChangeSet changeSet, RowValues rs) throws SQLException {
		List<String> key = texts(rs.getString(4));
		List<String> before = texts(rs.getString(5));
		List<String> after = texts(rs.getString(6));
		String reasons = rs.getString(7);
		List<String> changed = new ArrayList<>();
		if (before != null && after != null) {
			for (int i = 0; i < changeSet.columns().size(); i++) {
				if (!java.util.Objects.equals(before.get(i), after.get(i))) {
					changed.add(changeSet.columns().get(i).name());
				}
			}
		}
		return new Change(rs.getLong(1), rs.getString(3), ChangeOp.of(rs.getString(2)).orElseThrow(),
				keyMap(changeSet, key), valueMap(changeSet, before), valueMap(changeSet, after), List.copyOf(changed),
				reasons == null ? List.of() : this.json.readValue(reasons, REASONS));
	}

	private static List<String> texts(String json) {
		return CanonicalJson.parseArray(json);
	}

	private static Map<String, Object> keyMap(ChangeSet changeSet, List<String> key) {
		Map<String, Object> values = new LinkedHashMap<>();
		for (int i = 0; i < changeSet.key().size(); i++) {
			String name = changeSet.key().get(i);
			String type = changeSet.columns()
				.stream()
				.filter(c -> c.name().equals(name))
				.map(ChangeColumn::type)
				.findFirst()
				.orElse("string");
			values.put(name, typed(type, i < key.size() ? key.get(i) : null));
		}
		return values;
	}

	private static Map<String, Object> valueMap(ChangeSet changeSet, List<String> texts) {
		if (texts == null) {
			return null;
		}
		Map<String, Object> values = new LinkedHashMap<>();
		for (int i = 0; i < changeSet.columns().size(); i++) {
			ChangeColumn column = changeSet.columns().get(i);
			values.put(column.name(), typed(column.type(), i < texts.size() ? texts.get(i) : null));
		}
		return values;
	}

	/** A canonical text as JSON wants it: numbers as numbers, booleans as booleans. */
	static Object typed(String type, String text) {
		if (text == null) {
			return null;
		}
		try {
			return switch (type) {
				case "integer" -> {
					BigInteger value = new BigInteger(text);
					yield value.bitLength() < 64 ? (Object) value.longValue() : value;
				}
				case "decimal" -> new BigDecimal(text);
				case "boolean" -> "true".equals(text) ? Boolean.TRUE : "false".equals(text) ? Boolean.FALSE : text;
				default -> text;
			};
		}
		catch (NumberFormatException ex) {
			// a rejected row keeps the text that failed its rule
			return text;
		}
	}

	private ChangeSet changeSet(ResultSet rs) throws SQLException {
		Timestamp sealedAt = rs.getTimestamp("sealed_at");
		ChangeSetTotals totals = sealedAt == null ? null
				: new ChangeSetTotals(rs.getLong("source_rows"), rs.getLong("target_rows"), rs.getLong("rows_read"),
						rs.getLong("rows_inserted"), rs.getLong("rows_updated"), rs.getLong("rows_unchanged"),
						rs.getLong("rows_deleted"), rs.getLong("rows_rejected"));
		return new ChangeSet(rs.getLong("run_id"), rs.getString("plan"), rs.getInt("plan_version"),
				rs.getString("phase"), rs.getString("connection"), rs.getString("table_name"),
				this.json.readValue(rs.getString("columns_json"), COLUMNS), texts(rs.getString("key_json")),
				rs.getLong("row_count"), totals, rs.getString("sha256"), rs.getTimestamp("created_at").toInstant(),
				sealedAt == null ? null : sealedAt.toInstant());
	}

	/** What the hash covers before the rows: the table and the shape of its rows. */
	private static String header(ChangeSet changeSet) {
		StringBuilder header = new StringBuilder("ferry-change-set 1\n").append(changeSet.table()).append('\n');
		for (ChangeColumn column : changeSet.columns()) {
			header.append(column.name()).append(':').append(column.type()).append('\t');
		}
		return header.append('\n').append(CanonicalJson.array(changeSet.key())).append('\n').toString();
	}

	private static String search(List<String> key) {
		StringBuilder search = new StringBuilder();
		for (String value : key) {
			if (!search.isEmpty()) {
				search.append(' ');
			}
			search.append(value == null ? "" : value.toLowerCase(Locale.ROOT));
		}
		return search.length() > 1000 ? search.substring(0, 1000) : search.toString();
	}

	private static String likePrefix(String q) {
		return q.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
	}

	private static long cursor(String after) {
		try {
			return Long.parseLong(after.strip());
		}
		catch (NumberFormatException ex) {
			throw new dev.ferry.problem.InvalidException("after", "changes.badCursor",
					"'" + after + "' is not a page cursor of this change set.", after);
		}
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

	/** A row of the streamed change rows, by column position. */
	record RowValues(ResultSet rs) {

		long getLong(int column) throws SQLException {
			return this.rs.getLong(column);
		}

		String getString(int column) throws SQLException {
			return this.rs.getString(column);
		}

	}

	@FunctionalInterface
	interface SqlRowHandler {

		void row(RowValues row) throws SQLException;

	}

	/** The CSV form of change rows: one line per row, RFC 4180 quoting. */
	final class CsvRows {

		private final ChangeSet changeSet;

		private final Writer out;

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

		void row(RowValues rs) throws SQLException {
			List<String> cells = new ArrayList<>();
			cells.add(String.valueOf(rs.getLong(1)));
			cells.add(rs.getString(3));
			cells.add(rs.getString(2));
			List<String> key = texts(rs.getString(4));
			List<String> before = texts(rs.getString(5));
			List<String> after = texts(rs.getString(6));
			for (int i = 0; i < this.changeSet.key().size(); i++) {
				cells.add(i < key.size() ? key.get(i) : null);
			}
			for (int i = 0; i < this.changeSet.columns().size(); i++) {
				cells.add(before == null ? null : before.get(i));
			}
			for (int i = 0; i < this.changeSet.columns().size(); i++) {
				cells.add(after == null ? null : after.get(i));
			}
			String reasons = rs.getString(7);
			cells.add(reasons == null ? null
					: String.join("; ",
							StoredChangeSets.this.json.readValue(reasons, REASONS)
								.stream()
								.map(Rejection::message)
								.toList()));
			line(cells);
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
