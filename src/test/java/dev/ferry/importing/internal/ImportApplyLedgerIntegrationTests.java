package dev.ferry.importing.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import dev.ferry.gate.ApprovalService;
import dev.ferry.support.Actors;
import dev.ferry.connection.ConnectionCommand;
import dev.ferry.connection.ConnectionService;
import dev.ferry.plan.PlanOrigin;
import dev.ferry.plan.PlanService;
import dev.ferry.plan.PlanVersion;
import dev.ferry.plan.spec.PhaseSpec;
import dev.ferry.run.BatchOutcome;
import dev.ferry.run.RunContext;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;
import dev.ferry.security.SystemActor;
import dev.ferry.support.Await;
import dev.ferry.support.FerryAppTest;
import dev.ferry.support.H2Login;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The window between the two commits of an apply batch: the target has committed the
 * batch (rows, before-images, ledger row) but Ferry stopped before its store recorded it,
 * so after the restart the engine asks for the same batch again. The executor finds the
 * batch in the target's ledger, writes nothing, and answers with what the batch did.
 */
@FerryAppTest
class ImportApplyLedgerIntegrationTests {

	@TempDir
	static Path files;

	@Autowired
	ImportApply apply;

	@Autowired
	RunService runs;

	@Autowired
	ApprovalService approvals;

	@Autowired
	PlanService plans;

	@Autowired
	ConnectionService connections;

	@Test
	void aBatchTheTargetAlreadyCommittedIsNotWrittenAgain() throws Exception {
		Path sqlite = files.resolve("ledger.db");
		try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + sqlite); Statement s = c.createStatement()) {
			s.execute("CREATE TABLE items (id INTEGER, name TEXT)");
			for (int i = 1; i <= 25; i++) {
				s.execute("INSERT INTO items VALUES (" + i + ", 'Item " + i + "')");
			}
		}
		String h2 = "jdbc:h2:file:" + files.resolve("ledger-target").toAbsolutePath();
		try (Connection c = DriverManager.getConnection(h2, "sa", ""); Statement s = c.createStatement()) {
			s.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name VARCHAR(20))");
			H2Login.grant(s);
		}
		SystemActor.run(() -> {
			this.connections.create(
					new ConnectionCommand("ledger-sqlite", "jdbc:sqlite:" + sqlite.toAbsolutePath(), null, null, true));
			this.connections.create(new ConnectionCommand("ledger-h2", h2, H2Login.USER, H2Login.PASSWORD, false));
			this.plans.save(null, """
					plan: ledger
					source: ledger-sqlite
					target: ledger-h2
					phases:
					  - id: import
					    kind: import
					    query: SELECT id, name FROM items
					    table: items
					    key: [id]
					    columns:
					      id: { type: integer }
					      name: {}
					    batch-size: 10
					gates: []
					""".getBytes(StandardCharsets.UTF_8), PlanOrigin.API);
		});
		RunView dryRun = finished(SystemActor.call(() -> this.runs.request("ledger", "import", RunMode.DRY_RUN)));
		RunView applied = finished(Actors.requestApply(this.runs, this.approvals, "ledger", "import"));
		assertThat(applied.state()).as(String.valueOf(applied.error())).isEqualTo(RunState.SUCCEEDED);
		assertThat(applied.counts().inserted()).isEqualTo(25);
		long rowsBefore = count(h2, "SELECT count(*) FROM items");
		long imagesBefore = count(h2, "SELECT count(*) FROM " + UndoLedger.undoTableName("ITEMS"));

		// the engine asks again for the second batch (after change row 10), as after a
		// crash
		List<String> log = new ArrayList<>();
		PlanVersion plan = SystemActor.call(() -> this.plans.latest("ledger"));
		BatchOutcome again = SystemActor
			.call(() -> this.apply.runBatch(context(applied, dryRun.id(), plan, log), "10"));

		assertThat(again.checkpoint()).isEqualTo("20");
		assertThat(again.counts().inserted()).isEqualTo(10);
		assertThat(again.finished()).isFalse();
		assertThat(log).singleElement()
			.satisfies(line -> assertThat(line).contains("had already been written", "not written again"));
		assertThat(count(h2, "SELECT count(*) FROM items")).isEqualTo(rowsBefore).isEqualTo(25);
		assertThat(count(h2, "SELECT count(*) FROM " + UndoLedger.undoTableName("ITEMS")))
			.as("no second before-image either")
			.isEqualTo(imagesBefore)
			.isEqualTo(25);
	}

	private static RunContext context(RunView applied, long dryRun, PlanVersion plan, List<String> log) {
		PhaseSpec phase = plan.spec().phase("import").orElseThrow();
		return new RunContext() {

			@Override
			public long runId() {
				return applied.id();
			}

			@Override
			public java.time.Instant requestedAt() {
				return applied.requestedAt();
			}

			@Override
			public java.util.Optional<Long> appliesRun() {
				return java.util.Optional.of(dryRun);
			}

			@Override
			public java.util.Optional<Long> rollsBack() {
				return java.util.Optional.empty();
			}

			@Override
			public RunMode mode() {
				return RunMode.APPLY;
			}

			@Override
			public PlanVersion plan() {
				return plan;
			}

			@Override
			public PhaseSpec phase() {
				return phase;
			}

			@Override
			public void log(String message) {
				log.add(message);
			}

			@Override
			public void putResult(String name, String json) {
				throw new AssertionError("a batch written before is not measured again");
			}

			@Override
			public void startOver(Long total, String why) {
				throw new AssertionError("an apply never starts over");
			}

			@Override
			public void recordChangeSet(String sha256) {
				throw new AssertionError("an apply records no change set");
			}
		};
	}

	private static long count(String url, String sql) throws Exception {
		try (Connection c = DriverManager.getConnection(url, "sa", "");
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery(sql)) {
			rs.next();
			return rs.getLong(1);
		}
	}

	private RunView finished(RunView run) {
		return Await.finished(this.runs, run);
	}

}
