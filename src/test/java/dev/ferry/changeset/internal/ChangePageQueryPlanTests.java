package dev.ferry.changeset.internal;

import java.util.ArrayList;
import java.util.List;

import dev.ferry.changeset.ChangeFilter;
import dev.ferry.changeset.ChangeOp;
import dev.ferry.support.FerryAppTest;
import dev.ferry.support.PostgresIntegrationTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A page of a change set costs the same on page 1 and on page 20,000: its SQL has no
 * OFFSET and no count, and each filter the diff browser offers is answered by an index
 * that starts with the run and delivers the rows in {@code seq} order, so the database
 * reads one page worth of rows after the cursor. Checked with the store's own query plan,
 * on H2 and on PostgreSQL, over a change set of {@value #ROWS} rows whose statistics the
 * store has gathered (an empty table tells a planner nothing).
 */
class ChangePageQueryPlanTests {

	static final int ROWS = 60_000;

	/**
	 * A sealed change set of {@link #ROWS} rows for a run of its own, written straight into
	 * the store: 60% updates, 30% inserts, 10% deletes, every 997th row rejected.
	 * @param series the database's row generator yielding {@code x} from 1 to ROWS
	 * @return the run's id
	 */
	static long seed(JdbcClient store, String series) {
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
		store.sql("""
				INSERT INTO change_rows (run_id, seq, op, table_name, key_values, key_search, before_values,
				  after_values, reasons_json, changed_columns)
				SELECT ?, x,
				  CASE WHEN MOD(x, 997) = 0 THEN 'rejected' WHEN MOD(x, 10) < 6 THEN 'update'
				       WHEN MOD(x, 10) < 9 THEN 'insert' ELSE 'delete' END,
				  'parts', CONCAT('["', CAST(x AS VARCHAR(20)), '"]'), CAST(x AS VARCHAR(20)),
				  '["1"]', '["2"]', NULL,
				  -- a third of the updates change the column the filter asks for
				  CASE WHEN MOD(x, 997) = 0 OR MOD(x, 10) >= 6 THEN NULL
				       WHEN MOD(x, 3) = 0 THEN '|id|' ELSE '|other|' END
				FROM %s
				""".formatted(series)).param(runId).update();
		return runId;
	}

	static final String FILTERS = """
			op,        table, q,    after, index,   column
			,          ,      ,     false, primary,
			,          ,      ,     true,  primary,
			update,    ,      ,     false, op,
			update,    ,      ,     true,  op,
			rejected,  parts, ,     true,  op,
			,          ,      1042, true,  key,
			update,    ,      ,     true,  op,      id
			kept,      ,      ,     true,  op,
			""";

	static List<Object> params(long runId, ChangeFilter filter, boolean after) {
		List<Object> params = new ArrayList<>(List.of(runId));
		if (filter.op() != null) {
			params.add(filter.op().code());
		}
		if (filter.table() != null) {
			params.add(filter.table());
		}
		if (filter.q() != null) {
			params.add(filter.q() + "%");
		}
		if (filter.column() != null) {
			params.add("%|" + filter.column() + "|%");
		}
		if (after) {
			params.add(ROWS * 9L / 10);
		}
		params.add(51);
		return params;
	}

	static ChangeFilter filter(String op, String table, String q, String column) {
		return new ChangeFilter(op == null ? null : ChangeOp.of(op).orElseThrow(), table, q, null, column);
	}

	@Nested
	@FerryAppTest
	@TestInstance(TestInstance.Lifecycle.PER_CLASS)
	class OnH2 {

		@Autowired
		JdbcClient store;

		long runId;

		@BeforeAll
		void seed() {
			this.runId = ChangePageQueryPlanTests.seed(this.store, "SYSTEM_RANGE(1, " + ROWS + ") r(x)");
			this.store.sql("ANALYZE TABLE change_rows").update();
		}

		@ParameterizedTest
		@CsvSource(useHeadersInDisplayName = true, textBlock = FILTERS)
		void everyFilterIsAnIndexRangeInSeqOrder(String op, String table, String q, boolean after, String index,
				String column) {
			ChangeFilter filter = filter(op, table, q, column);
			String sql = ChangeSetQueries.pageQuery(filter, after);
			assertThat(sql.toUpperCase()).doesNotContain("OFFSET", "COUNT(");

			String plan = this.store.sql("EXPLAIN " + sql)
				.params(params(this.runId, filter, after))
				.query(String.class)
				.single();

			switch (index) {
				case "op" -> assertThat(plan).as(plan).contains("/* PUBLIC.CHANGE_ROWS_OP_IDX: ");
				case "key" -> assertThat(plan).as(plan).contains("/* PUBLIC.CHANGE_ROWS_KEY_IDX: ");
				default -> assertThat(plan).as(plan).containsPattern("/\\* PUBLIC.PRIMARY_KEY_[0-9A-F]+: ");
			}
			if (!index.equals("key")) {
				// the index delivers seq order: H2 says so instead of sorting
				assertThat(plan).as(plan).contains("/* index sorted */");
			}
		}

	}

	@Nested
	@TestInstance(TestInstance.Lifecycle.PER_CLASS)
	class OnPostgres extends PostgresIntegrationTest {

		@Autowired
		JdbcClient store;

		long runId;

		@BeforeAll
		void seed() {
			this.runId = ChangePageQueryPlanTests.seed(this.store, "generate_series(1, " + ROWS + ") r(x)");
			this.store.sql("ANALYZE change_rows").update();
		}

		@ParameterizedTest
		@CsvSource(useHeadersInDisplayName = true, textBlock = FILTERS)
		void everyFilterIsAnIndexRangeInSeqOrder(String op, String table, String q, boolean after, String index,
				String column) {
			ChangeFilter filter = filter(op, table, q, column);
			String sql = ChangeSetQueries.pageQuery(filter, after);

			String plan = String.join("\n",
					this.store.sql("EXPLAIN " + sql).params(params(this.runId, filter, after)).query(String.class).list());

			assertThat(plan).as(plan).doesNotContain("Seq Scan");
			if (!index.equals("key")) {
				String expected = index.equals("op") ? "change_rows_op_idx" : "change_rows_pk";
				assertThat(plan).as(plan).contains("Index Scan using " + expected);
				assertThat(plan).as("the index delivers seq order, nothing is sorted:\n" + plan).doesNotContain("Sort");
			}
		}

	}

}
