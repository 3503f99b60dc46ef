package dev.ferry.changeset.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;

import dev.ferry.changeset.ChangeOp;
import dev.ferry.changeset.ChangeRow;
import dev.ferry.changeset.Rejection;
import dev.ferry.support.FerryAppTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Change rows survive their segments exactly: every value (tabs, line feeds, backslashes,
 * quotes, NULLs, empty strings) comes back as written, in seq order from any cursor in
 * either direction, and each filter and count sees exactly the rows it names, across
 * segment boundaries.
 */
@FerryAppTest
class ChangeSegmentsTests {

	@Autowired
	JdbcClient store;

	@Autowired
	ChangeSegments segments;

	@Autowired
	TransactionTemplate transactions;

	long runId;

	@BeforeEach
	void changeSet() {
		this.store.sql("""
				INSERT INTO runs (plan, plan_version, phase, kind, mode, state, requested_by, requested_at)
				VALUES ('segments', 1, 'import', 'import', 'dry-run', 'running', 'operator', CURRENT_TIMESTAMP)
				""").update();
		this.runId = this.store.sql("SELECT max(id) FROM runs WHERE plan = 'segments'").query(Long.class).single();
		this.store.sql("""
				INSERT INTO change_sets (run_id, plan, plan_version, phase, connection, table_name, columns_json,
				  key_json, created_at)
				VALUES (?, 'segments', 1, 'import', 'app', 'odd\ttable', '[]', '["id"]', CURRENT_TIMESTAMP)
				""").param(this.runId).update();
	}

	@Test
	void awkwardValuesComeBackExactly() {
		List<ChangeRow> rows = List.of(
				ChangeRow.insert("odd\ttable", List.of("K\\1"), Arrays.asList("tab\there", "line\nfeed", null, "")),
				ChangeRow.update("odd\ttable", List.of("k2"), Arrays.asList("a\\b", "\"q\"", "\\N", "x"),
						Arrays.asList("a\\b", "\"q\"", "\\N", "y")),
				ChangeRow.rejected("odd\ttable", List.of("k3"), Arrays.asList("1", null, null, null),
						List.of(new Rejection("co|l\tx", "v\\", "rule\nnew", "message\t\"quoted\""))),
				ChangeRow.delete("odd\ttable", Arrays.asList((String) null), List.of("a", "b", "c", "d")),
				ChangeRow.kept("odd\ttable", List.of("k5"), List.of("a", "b", "c", "d")));
		write(1, List.of("a", "b", "c", "d"), rows);

		List<SegmentRow> read = new ArrayList<>();
		this.segments.scan(this.runId, new ChangeSegments.SegmentFilter(null, null, null, null, null), null, false,
				read::add);
		// the kept row is no change: a scan of the changes leaves it out
		assertThat(read).extracting(SegmentRow::seq).containsExactly(1L, 2L, 3L, 4L);
		for (int i = 0; i < 4; i++) {
			ChangeRow written = rows.get(i);
			SegmentRow stored = read.get(i);
			assertThat(stored.op()).isEqualTo(written.op().code());
			assertThat(stored.table()).isEqualTo("odd\ttable");
			assertThat(ChangeRows.texts(stored.key())).isEqualTo(written.key());
			assertThat(ChangeRows.texts(stored.before())).isEqualTo(written.before());
			assertThat(ChangeRows.texts(stored.after())).isEqualTo(written.after());
			assertThat(stored.reasons()).isEqualTo(CanonicalJson.reasons(written.reasons()));
			assertThat(stored.rules()).isEqualTo(ChangeSetWriter.rules(written.reasons()));
		}
		assertThat(read.get(1).changed()).isEqualTo("|d|");
		assertThat(read.get(2).rules()).isEqualTo("|co|l\tx: rule\nnew|");

		List<SegmentRow> kept = new ArrayList<>();
		this.segments.scan(this.runId, new ChangeSegments.SegmentFilter(ChangeOp.KEPT, null, null, null, null), null,
				false, kept::add);
		assertThat(kept).singleElement().satisfies(row -> assertThat(row.seq()).isEqualTo(5));
	}

	@Test
	void pagesFiltersAndCountsAcrossSegments() {
		// three appends, the middle one longer than a segment
		int total = 0;
		for (int size : new int[] { 300, ChangeSegments.SEGMENT_ROWS * 8 + 17, 45 }) {
			long first = total + 1;
			write(first, List.of("id", "qty"), LongStream.range(first, first + size).mapToObj(ChangeSegmentsTests::row).toList());
			total += size;
		}
		long rows = total;

		// forwards from a cursor, across the boundaries
		List<Long> after = seqs(new ChangeSegments.SegmentFilter(null, null, null, null, null), 290L, false, 600);
		assertThat(after).first().isEqualTo(291L);
		assertThat(after).hasSize(600).isSorted();
		assertThat(after).doesNotHaveDuplicates();
		// backwards from a cursor: the rows before it, newest first
		List<Long> before = seqs(new ChangeSegments.SegmentFilter(null, null, null, null, null), 1000L, true, 800);
		assertThat(before).first().isEqualTo(999L);
		assertThat(before.get(799)).isEqualTo(200L);

		// one operation: every fifth row is an update
		ChangeSegments.SegmentFilter updates = new ChangeSegments.SegmentFilter(ChangeOp.UPDATE, null, null, null,
				null);
		List<Long> allUpdates = seqs(updates, null, false, Integer.MAX_VALUE);
		assertThat(allUpdates).allMatch(seq -> seq % 5 == 0).hasSize((int) (rows / 5));
		assertThat(this.segments.count(this.runId, updates, null)).isEqualTo(rows / 5);
		assertThat(this.segments.count(this.runId, updates, 701L)).isEqualTo(140);

		// a key prefix: keys 7, 70-79, 700-799 (and none above, the keys end at 1,386)
		ChangeSegments.SegmentFilter seven = new ChangeSegments.SegmentFilter(null, null, "7", null, null);
		List<Long> sevens = seqs(seven, null, false, Integer.MAX_VALUE);
		assertThat(sevens).hasSize(1 + 10 + 100).allMatch(seq -> String.valueOf(seq).startsWith("7"));
		assertThat(this.segments.count(this.runId, seven, 700L)).isEqualTo(11);

		// a rule and a changed column
		ChangeSegments.SegmentFilter rule = new ChangeSegments.SegmentFilter(null, null, null, "|qty: type integer|",
				null);
		assertThat(seqs(rule, null, false, Integer.MAX_VALUE))
			.containsExactlyElementsOf(LongStream.rangeClosed(1, rows).filter(i -> i % 97 == 0 && i % 5 != 0).boxed().toList());
		ChangeSegments.SegmentFilter column = new ChangeSegments.SegmentFilter(ChangeOp.UPDATE, null, null, null,
				"|qty|");
		assertThat(seqs(column, 1000L, false, Integer.MAX_VALUE)).allMatch(seq -> seq % 5 == 0 && seq > 1000)
			.hasSize((int) (rows / 5 - 200));
	}

	/** Row i: an update every fifth (of qty), rejected every 97th otherwise, else an insert. */
	static ChangeRow row(long i) {
		List<String> key = List.of(String.valueOf(i));
		if (i % 5 == 0) {
			return ChangeRow.update("odd\ttable", key, List.of(key.get(0), "1"), List.of(key.get(0), "2"));
		}
		if (i % 97 == 0) {
			return ChangeRow.rejected("odd\ttable", key, List.of(key.get(0), "many"),
					List.of(new Rejection("qty", "many", "type integer", "qty: \"many\" is not an integer.")));
		}
		return ChangeRow.insert("odd\ttable", key, List.of(key.get(0), "3"));
	}

	private void write(long first, List<String> columns, List<ChangeRow> rows) {
		this.transactions.executeWithoutResult(status -> this.segments.write(this.runId, first, columns, rows));
	}

	private List<Long> seqs(ChangeSegments.SegmentFilter filter, Long cursor, boolean backwards, int limit) {
		List<Long> seqs = new ArrayList<>();
		this.segments.scan(this.runId, filter, cursor, backwards, row -> {
			seqs.add(row.seq());
			return seqs.size() < limit;
		});
		return seqs;
	}

}
