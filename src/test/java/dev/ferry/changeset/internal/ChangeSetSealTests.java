package dev.ferry.changeset.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.ferry.changeset.ChangeColumn;
import dev.ferry.changeset.ChangeProfile;
import dev.ferry.changeset.ChangeRow;
import dev.ferry.changeset.ChangeSet;
import dev.ferry.changeset.ChangeSetTotals;
import dev.ferry.changeset.NewChangeSet;
import dev.ferry.changeset.Rejection;
import dev.ferry.changeset.ReportFiles;
import dev.ferry.support.FerryAppTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seal gathers its hash, profile, rule counts and {@code changes.csv} as the rows are
 * appended; when it cannot trust what it saw it reads the stored rows instead. Both ways
 * give the same change set, byte for byte.
 */
@FerryAppTest
class ChangeSetSealTests {

	static final List<ChangeColumn> COLUMNS = List.of(new ChangeColumn("id", "integer"),
			new ChangeColumn("name", "string"), new ChangeColumn("qty", "integer"));

	@Autowired
	ChangeSetWriter writer;

	@Autowired
	ChangeSetQueries queries;

	@Autowired
	ReportFiles reports;

	@Autowired
	JdbcClient store;

	@Test
	void sealingFromWhatWasAppendedEqualsSealingFromTheStoredRows() throws IOException {
		Sealed seen = changeSet(false);
		Sealed read = changeSet(true);

		assertThat(seen.changeSet().sha256()).isEqualTo(read.changeSet().sha256()).hasSize(64);
		assertThat(seen.csv()).isEqualTo(read.csv());
		assertThat(seen.csv()).hasSize(1 + 3 * 400 + 1).anyMatch(line -> line.contains("\"Name, \"\"quoted\"\" 6\""));
		assertThat(seen.profile()).isEqualTo(read.profile());
		assertThat(seen.rules()).isEqualTo(read.rules()).containsEntry("qty: type integer", 300L);
	}

	@Test
	void aBatchThatRolledBackAfterItWasSeenMakesTheSealReadTheStoredRows() throws IOException {
		Sealed expected = changeSet(true);
		long runId = begin();
		this.writer.append(runId, batch(0));
		// a batch is seen, then its store transaction rolls back: here its rows are
		// removed again, as a rollback would leave the store
		this.writer.append(runId, batch(1));
		this.store.sql("DELETE FROM change_segment_rows WHERE run_id = ? AND last_seq > 500").param(runId).update();
		this.store.sql("DELETE FROM change_segments WHERE run_id = ? AND last_seq > 500").param(runId).update();
		this.store.sql("UPDATE change_sets SET row_count = 400, kept_rows = 100 WHERE run_id = ?").param(runId).update();
		this.writer.append(runId, batch(1));
		this.writer.append(runId, batch(2));
		Sealed sealed = seal(runId);

		assertThat(sealed.changeSet().sha256()).isEqualTo(expected.changeSet().sha256());
		assertThat(sealed.csv()).isEqualTo(expected.csv());
	}

	@Test
	void aDiscardedChangeSetLeavesNoDraftOfItsReports() throws IOException {
		long runId = begin();
		this.writer.append(runId, batch(0));
		java.nio.file.Path drafts = this.reports.directory("seal-paths", "import", runId).getParent();
		assertThat(drafts.resolve(runId + ".writing").resolve("changes.csv")).exists();

		this.writer.discard(runId);
		assertThat(drafts.resolve(runId + ".writing")).doesNotExist();

		// a draft left by a process that stopped (this one no longer knows of it)
		long again = begin();
		this.writer.forget(again);
		this.reports.draft("seal-paths", "import", again).write("changes.csv", "seq\r\n");
		this.writer.discard(again);
		assertThat(drafts.resolve(again + ".writing")).doesNotExist();
	}

	private Sealed changeSet(boolean readAgain) throws IOException {
		long runId = begin();
		for (int b = 0; b < 3; b++) {
			this.writer.append(runId, batch(b));
		}
		if (readAgain) {
			this.writer.forget(runId);
		}
		return seal(runId);
	}

	private long begin() {
		this.store.sql("""
				INSERT INTO runs (plan, plan_version, phase, kind, mode, state, requested_by, requested_at)
				VALUES ('seal-paths', 1, 'import', 'import', 'dry-run', 'running', 'operator', CURRENT_TIMESTAMP)
				""").update();
		long runId = this.store.sql("SELECT max(id) FROM runs WHERE plan = 'seal-paths'").query(Long.class).single();
		this.writer.begin(new NewChangeSet(runId, "seal-paths", 1, "import", "app", "items", COLUMNS, List.of("id")));
		return runId;
	}

	private Sealed seal(long runId) throws IOException {
		ChangeSet sealed = this.writer.seal(runId,
				new ChangeSetTotals(1200, 900, 1200, 300, 300, 300, 300, 300, 300));
		String csv = Files.readString(this.reports.directory("seal-paths", "import", runId).resolve("changes.csv"),
				StandardCharsets.UTF_8);
		return new Sealed(sealed, List.of(csv.split("\r\n", -1)), this.queries.profile(runId).orElseThrow(),
				this.queries.ruleCounts(runId));
	}

	/** 500 rows: inserts, updates, deletes, rejected and kept rows in turn. */
	static List<ChangeRow> batch(int b) {
		List<ChangeRow> rows = new ArrayList<>();
		for (int i = 0; i < 500; i++) {
			int n = b * 500 + i;
			List<String> key = List.of(String.valueOf(n));
			String name = (n % 10 == 6) ? "Name, \"quoted\" " + n : "Name " + (n % 13);
			rows.add(switch (i % 5) {
				case 0 -> ChangeRow.insert("items", key, List.of(key.get(0), name, String.valueOf(n % 7)));
				case 1 -> ChangeRow.update("items", key, List.of(key.get(0), name, "1"),
						List.of(key.get(0), name + " x", String.valueOf(n % 3)));
				case 2 -> ChangeRow.delete("items", key, Arrays.asList(key.get(0), null, "2"));
				case 3 -> ChangeRow.rejected("items", key, List.of(key.get(0), name, "many"),
						List.of(new Rejection("qty", "many", "type integer", "qty: \"many\" is not an integer.")));
				default -> ChangeRow.kept("items", key, List.of(key.get(0), name, "4"));
			});
		}
		return rows;
	}

	record Sealed(ChangeSet changeSet, List<String> csv, ChangeProfile profile, Map<String, Long> rules) {
	}

}
