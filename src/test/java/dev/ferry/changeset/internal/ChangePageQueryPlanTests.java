package dev.ferry.changeset.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import dev.ferry.changeset.ChangeOp;
import dev.ferry.changeset.ChangeRow;
import dev.ferry.changeset.Rejection;
import dev.ferry.support.FerryAppTest;
import dev.ferry.support.PostgresIntegrationTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A page of a change set costs the same on page 1 and on page 20,000: the statement a
 * page's scan runs has no OFFSET and no count, and reads the segments' summaries on an
 * index that starts with the run and delivers them in {@code seq} order from the cursor on
 * (forwards the primary key {@code (run_id, last_seq)}, backwards
 * {@code (run_id, first_seq)}), so the database reads a few segments after the cursor.
 * Checked with the store's own query plan, on H2 and on PostgreSQL, over a change set of
 * {@value #ROWS} rows whose statistics the store has gathered (an empty table tells a
 * planner nothing).
 */
class ChangePageQueryPlanTests {

	/**
	 * Enough rows for about 1,200 segments: with fewer, PostgreSQL rightly finds reading the
	 * few pages of a small table cheaper than its index.
	 */
	static final int ROWS = 600_000;

	/**
	 * A change set of {@link #ROWS} rows for a run of its own, written as a dry run writes
	 * it: 60% updates, 30% inserts, 10% deletes, every 997th row rejected.
	 * @return the run's id
	 */
	static long seed(JdbcClient store, ChangeSegments segments, TransactionTemplate transactions) {
		store.sql("""
				INSERT INTO runs (plan, plan_version, phase, kind, mode, state, requested_by, requested_at)
				VALUES ('query-plan', 1, 'import', 'import', 'dry-run', 'succeeded', 'operator', CURRENT_TIMESTAMP)
				""").update();
		long runId = store.sql("SELECT max(id) FROM runs WHERE plan = 'query-plan'").query(Long.class).single();
		store.sql("""
				INSERT INTO change_sets (run_id, plan, plan_version, phase, connection, table_name, columns_json,
				  key_json, row_count, created_at, sealed_at)
				VALUES (?, 'query-plan', 1, 'import', 'app', 'parts', '[{"name":"id","type":"integer"}]', '["id"]', ?,
				  CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)
				""").params(runId, ROWS).update();
		for (long first = 1; first <= ROWS; first += ROWS / 10) {
			long from = first;
			List<ChangeRow> rows = LongStream.range(from, from + ROWS / 10)
				.mapToObj(ChangePageQueryPlanTests::row)
				.toList();
			transactions.executeWithoutResult(status -> segments.write(runId, from, List.of("id"), rows));
		}
		return runId;
	}

	static ChangeRow row(long x) {
		List<String> key = List.of(String.valueOf(x));
		if (x % 997 == 0) {
			return ChangeRow.rejected("parts", key, key,
					List.of(new Rejection("id", "x", "type integer", "id: \"x\" is not an integer.")));
		}
		return switch ((int) (x % 10)) {
			case 0, 1, 2, 3, 4, 5 -> ChangeRow.update("parts", key, List.of("1"), List.of("2"));
			case 6, 7, 8 -> ChangeRow.insert("parts", key, key);
			default -> ChangeRow.delete("parts", key, key);
		};
	}

	static final String FILTERS = """
			op,        q,    backwards, index
			,          ,     false,     primary
			,          ,     true,      first
			update,    ,     false,     primary
			update,    ,     true,      first
			rejected,  ,     false,     primary
			,          1042, false,     primary
			kept,      ,     false,     primary
			""";

	/** The scan's statement and its parameters, the bound 9/10 of the way in. */
	static List<Object> params(long runId, ChangeSegments.SegmentFilter filter, boolean backwards, List<Object> sql) {
		List<Object> params = new ArrayList<>(List.of(runId, ROWS * 9L / 10));
		sql.add(ChangeSegments.scanQuery(filter, backwards, params));
		params.add(2);
		return params;
	}

	@Nested
	@FerryAppTest
	@TestInstance(TestInstance.Lifecycle.PER_CLASS)
	class OnH2 {

		@Autowired
		JdbcClient store;

		@Autowired
		ChangeSegments segments;

		@Autowired
		TransactionTemplate transactions;

		long runId;

		@BeforeAll
		void seed() {
			this.runId = ChangePageQueryPlanTests.seed(this.store, this.segments, this.transactions);
			this.store.sql("ANALYZE TABLE change_segments").update();
		}

		@ParameterizedTest
		@CsvSource(useHeadersInDisplayName = true, textBlock = FILTERS)
		void everyScanIsAnIndexRangeInSeqOrder(String op, String q, boolean backwards, String index) {
			ChangeSegments.SegmentFilter filter = new ChangeSegments.SegmentFilter(
					op == null ? null : ChangeOp.of(op).orElseThrow(), null, q, null, null);
			List<Object> sql = new ArrayList<>();
			List<Object> params = params(this.runId, filter, backwards, sql);
			assertThat(sql.get(0).toString().toUpperCase()).doesNotContain("OFFSET", "COUNT(");

			String plan = this.store.sql("EXPLAIN " + sql.get(0)).params(params).query(String.class).single();

			if (index.equals("first")) {
				assertThat(plan).as(plan).contains("/* PUBLIC.CHANGE_SEGMENTS_FIRST_IDX: ");
			}
			else {
				assertThat(plan).as(plan).containsPattern("FROM \"PUBLIC\".\"CHANGE_SEGMENTS\" \"S\"\\s+/\\* PUBLIC.PRIMARY_KEY_[0-9A-F]+: ");
			}
			// the index delivers seq order: H2 says so instead of sorting, and the rows'
			// text is looked up by its primary key
			assertThat(plan).as(plan).contains("/* index sorted */");
			assertThat(plan).as(plan).containsPattern("\"CHANGE_SEGMENT_ROWS\" \"B\"\\s+/\\* PUBLIC.PRIMARY_KEY_[0-9A-F]+: ");
		}

	}

	@Nested
	@TestInstance(TestInstance.Lifecycle.PER_CLASS)
	class OnPostgres extends PostgresIntegrationTest {

		@Autowired
		JdbcClient store;

		@Autowired
		ChangeSegments segments;

		@Autowired
		TransactionTemplate transactions;

		long runId;

		@BeforeAll
		void seed() {
			this.runId = ChangePageQueryPlanTests.seed(this.store, this.segments, this.transactions);
			this.store.sql("ANALYZE change_segments").update();
			this.store.sql("ANALYZE change_segment_rows").update();
		}

		@ParameterizedTest
		@CsvSource(useHeadersInDisplayName = true, textBlock = FILTERS)
		void everyScanIsAnIndexRangeInSeqOrder(String op, String q, boolean backwards, String index) {
			ChangeSegments.SegmentFilter filter = new ChangeSegments.SegmentFilter(
					op == null ? null : ChangeOp.of(op).orElseThrow(), null, q, null, null);
			List<Object> sql = new ArrayList<>();
			List<Object> params = params(this.runId, filter, backwards, sql);

			String plan = String.join("\n",
					this.store.sql("EXPLAIN " + sql.get(0)).params(params).query(String.class).list());

			assertThat(plan).as(plan).doesNotContain("Seq Scan");
			String expected = index.equals("first") ? "change_segments_first_idx" : "change_segments_pk";
			assertThat(plan).as(plan).containsPattern("Index (Only )?Scan( Backward)? using " + expected);
			assertThat(plan).as("the index delivers seq order, nothing is sorted:\n" + plan).doesNotContain("Sort");
		}

	}

}
