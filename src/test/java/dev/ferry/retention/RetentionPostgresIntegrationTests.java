package dev.ferry.retention;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import dev.ferry.connection.ConnectionCommand;
import dev.ferry.connection.ConnectionService;
import dev.ferry.gate.ApprovalService;
import dev.ferry.plan.PlanOrigin;
import dev.ferry.plan.PlanService;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;
import dev.ferry.security.Role;
import dev.ferry.security.SystemActor;
import dev.ferry.support.Actors;
import dev.ferry.support.Await;
import dev.ferry.support.PostgresIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention on PostgreSQL, as store and as target: an insert-only apply into an empty
 * table keeps one before-image per inserted row (its key); rolled back, those images and
 * its ledger rows are what the preview lists and what the purge deletes, and the standing
 * apply after it keeps every one of its own.
 */
class RetentionPostgresIntegrationTests extends PostgresIntegrationTest {

	@Autowired
	RunService runs;

	@Autowired
	ApprovalService approvals;

	@Autowired
	ConnectionService connections;

	@Autowired
	PlanService plans;

	@Autowired
	RetentionService retention;

	String url;

	@Test
	void aRolledBackInsertOnlyApplysImagesArePurgedAndTheStandingOnesKept() throws Exception {
		try (Connection c = postgres().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
			s.execute("CREATE DATABASE retention_target");
		}
		this.url = postgres().getJdbcUrl("postgres", "retention_target");
		try (Connection c = open(); Statement s = c.createStatement()) {
			s.execute("CREATE TABLE source_items (code INTEGER PRIMARY KEY, label VARCHAR(40))");
			s.execute("CREATE TABLE items (code INTEGER PRIMARY KEY, label VARCHAR(40) NOT NULL)");
			s.execute("INSERT INTO source_items SELECT x, 'Item ' || x FROM generate_series(1, 50) x");
		}
		SystemActor.run(() -> {
			this.connections.create(new ConnectionCommand("retention-pg", this.url, "postgres", null, false));
			this.plans.save(null, """
					plan: retention-pg
					source: retention-pg
					target: retention-pg
					phases:
					  - id: import
					    kind: import
					    query: SELECT code, label FROM source_items
					    table: items
					    key: [code]
					    columns:
					      code:  { type: integer }
					      label: { required: true }
					    batch-size: 10
					gates: []
					""".getBytes(StandardCharsets.UTF_8), PlanOrigin.API);
		});
		RunView first = Actors.succeeded(this.runs, this.approvals, "retention-pg", "import", RunMode.APPLY);
		RunView rollback = Await.finished(this.runs, SystemActor.call(() -> this.runs.rollback(first.id())));
		assertThat(rollback.state()).as(String.valueOf(rollback.error())).isEqualTo(RunState.SUCCEEDED);
		RunView standing = Actors.succeeded(this.runs, this.approvals, "retention-pg", "import", RunMode.APPLY);
		assertThat(count("SELECT COUNT(*) FROM items")).isEqualTo(50);
		assertThat(images(first.id())).as("one image (its key) per inserted row").isEqualTo(50);
		assertThat(images(standing.id())).isEqualTo(50);

		PurgePreview preview = Actors.as("admin", Role.ADMIN, this.retention::preview);
		StorageItem rolledBack = find(preview.purgeable(), StorageKind.UNDO_IMAGES, first.id());
		assertThat(rolledBack.rows()).isEqualTo(50);
		assertThat(rolledBack.tableRows()).as("the images, the 5 batches and the apply's row").isEqualTo(56);
		assertThat(rolledBack.place()).isEqualTo("retention-pg, " + undoTable());
		assertThat(find(preview.kept(), StorageKind.UNDO_IMAGES, standing.id()).reason())
			.isEqualTo("Apply #" + standing.id() + " stands and can still be rolled back.");

		PurgeResult result = Actors.as("admin", Role.ADMIN,
				() -> this.retention.purge(List.of(new PurgeTarget(StorageKind.UNDO_IMAGES, first.id()))));
		assertThat(result.purged()).containsExactly(rolledBack);
		assertThat(images(first.id())).isZero();
		assertThat(count("SELECT COUNT(*) FROM ferry_apply_batches WHERE run_id = " + first.id())).isZero();
		assertThat(count("SELECT COUNT(*) FROM ferry_applies WHERE run_id = " + first.id())).isZero();
		assertThat(images(standing.id())).isEqualTo(50);
		assertThat(count("SELECT COUNT(*) FROM ferry_apply_batches WHERE run_id = " + standing.id())).isEqualTo(5);

		// the standing apply still rolls back from its own images
		RunView undo = Await.finished(this.runs, SystemActor.call(() -> this.runs.rollback(standing.id())));
		assertThat(undo.state()).as(String.valueOf(undo.error())).isEqualTo(RunState.SUCCEEDED);
		assertThat(count("SELECT COUNT(*) FROM items")).isZero();
	}

	private static StorageItem find(List<StorageItem> items, StorageKind kind, long runId) {
		return items.stream()
			.filter(item -> item.kind() == kind && item.runId() == runId)
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + kind + " of run #" + runId + " in " + items));
	}

	private String undoTable() throws Exception {
		try (Connection c = open();
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery("SELECT DISTINCT undo_table FROM ferry_applies")) {
			assertThat(rs.next()).isTrue();
			return rs.getString(1);
		}
	}

	private long images(long applyRun) throws Exception {
		return count("SELECT COUNT(*) FROM " + undoTable() + " WHERE ferry_run_id = " + applyRun);
	}

	private long count(String sql) throws Exception {
		try (Connection c = open(); PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
			rs.next();
			return rs.getLong(1);
		}
	}

	private Connection open() throws Exception {
		return DriverManager.getConnection(this.url, "postgres", "");
	}

}
