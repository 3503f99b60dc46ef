package dev.ferry.run;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.stream.IntStream;

import dev.ferry.support.Await;
import dev.ferry.FerryApplication;
import dev.ferry.plan.PlanOrigin;
import dev.ferry.plan.PlanService;
import dev.ferry.problem.RefusedException;
import dev.ferry.security.SystemActor;
import dev.ferry.support.BatchHold;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Promise 5: Ferry stops in the middle of a multi-batch run (its application context is
 * closed), starts again on the same store, and the run resumes and finishes with the same
 * end state as an uninterrupted run; no batch ran twice. The run is held between two
 * batches ({@link BatchHold}), so the test knows exactly which batch was the last to
 * commit when the context closes.
 */
@Tag("integration")
class RunResumeIntegrationTests {

	/** Batches committed when the first context closes. */
	static final int BEFORE_SHUTDOWN = 5;

	/** A file store, as Ferry's default: it outlives the first application context. */
	@TempDir
	Path dir;

	@AfterEach
	void disarm() {
		BatchHold.disarm();
	}

	@Test
	void aRunInterruptedByAShutdownResumesAfterTheRestartAndNoBatchRunsTwice() throws Exception {
		long runId;
		BatchHold.Hold held = BatchHold.afterBatches("ticker", "tick", RunMode.DRY_RUN, BEFORE_SHUTDOWN);
		try (ConfigurableApplicationContext first = start(this.dir, "first")) {
			saveTickerPlan(first, "ticker");
			RunService runs = first.getBean(RunService.class);
			runId = SystemActor.call(() -> runs.request("ticker", "tick", RunMode.DRY_RUN)).id();

			assertThatExceptionOfType(RefusedException.class)
				.isThrownBy(() -> SystemActor.call(() -> runs.request("ticker", "tick", RunMode.DRY_RUN)))
				.withMessageContaining("Run #" + runId + " of plan ticker is still active");

			assertThat(held.awaitHeld()).isEqualTo(runId);
			JdbcClient store = first.getBean(JdbcClient.class);
			assertThat(ledger(store, runId)).as("batches 1 to 5 committed, each with its checkpoint")
				.containsExactlyElementsOf(ledgerUpTo(BEFORE_SHUTDOWN));
			assertThat(ticks(store, runId)).containsExactlyElementsOf(numbers(0, BEFORE_SHUTDOWN));
			RunView mid = SystemActor.call(() -> runs.get(runId));
			assertThat(mid.state()).isEqualTo(RunState.RUNNING);
			assertThat(mid.done()).isEqualTo(BEFORE_SHUTDOWN);
		}
		assertThat(held.awaitOver()).as("the held run was handed back when the scheduler shut down").isTrue();

		// the store as the shutdown left it, before any instance could resume the run
		// the store's password is generated into the data directory (StorePassword)
		try (Connection c = DriverManager.getConnection(storeUrl(this.dir), "ferry",
				Files.readString(this.dir.resolve("data/store.password")).strip())) {
			JdbcClient store = JdbcClient.create(new SingleConnectionDataSource(c, true));
			assertThat(ledger(store, runId)).as("the batch held at the shutdown did not commit")
				.containsExactlyElementsOf(ledgerUpTo(BEFORE_SHUTDOWN));
			assertThat(ticks(store, runId)).containsExactlyElementsOf(numbers(0, BEFORE_SHUTDOWN));
			assertThat(store.sql("SELECT picked FROM scheduled_tasks WHERE task_instance = ?")
				.param(String.valueOf(runId))
				.query(Boolean.class)
				.single()).as("the task was handed back, due again, not left for dead").isFalse();
		}

		// caught again at its first batch after the restart: it resumes from exactly
		// there
		BatchHold.Hold resumed = BatchHold.afterBatches("ticker", "tick", RunMode.DRY_RUN, BEFORE_SHUTDOWN);
		try (ConfigurableApplicationContext second = start(this.dir, "second")) {
			JdbcClient store = second.getBean(JdbcClient.class);
			RunService runs = second.getBean(RunService.class);
			assertThat(resumed.awaitHeld()).as("the run resumes after its last committed batch").isEqualTo(runId);
			assertThat(resumed.instance()).isEqualTo("second");
			resumed.release();
			Await.until(() -> SystemActor.call(() -> runs.get(runId)).state() == RunState.SUCCEEDED,
					"the run to succeed");

			RunView run = SystemActor.call(() -> runs.get(runId));
			assertThat(run.done()).isEqualTo(TickerPhase.BATCHES);
			assertThat(run.counts().read()).as("counted once, not once per start").isEqualTo(TickerPhase.BATCHES);
			assertThat(ticks(store, runId)).as("the end state of an uninterrupted run")
				.containsExactlyElementsOf(numbers(0, TickerPhase.BATCHES));
			assertThat(store.sql("SELECT n FROM ticks WHERE run_id = ? AND instance = 'first' ORDER BY n")
				.param(runId)
				.query(Integer.class)
				.list()).as("before the shutdown").containsExactlyElementsOf(numbers(0, BEFORE_SHUTDOWN));
			assertThat(store.sql("SELECT n FROM ticks WHERE run_id = ? AND instance = 'second' ORDER BY n")
				.param(runId)
				.query(Integer.class)
				.list()).as("from the checkpoint on, after the restart")
				.containsExactlyElementsOf(numbers(BEFORE_SHUTDOWN, TickerPhase.BATCHES));
			assertThat(ledger(store, runId)).as("every batch once in the ledger")
				.containsExactlyElementsOf(ledgerUpTo(TickerPhase.BATCHES));
			List<String> log = SystemActor.call(() -> runs.log(runId)).stream().map(RunLogLine::message).toList();
			assertThat(log).filteredOn(line -> line.startsWith("Resumed after"))
				.containsExactly("Resumed after " + BEFORE_SHUTDOWN + " committed batch(es).");
			assertThat(log).filteredOn(line -> line.startsWith("Started")).hasSize(1);
			assertThat(log).filteredOn(line -> line.startsWith("tick "))
				.containsExactlyElementsOf(numbers(0, TickerPhase.BATCHES).stream().map(n -> "tick " + n).toList());
			assertThat(log).last().asString().isEqualTo("Succeeded after " + TickerPhase.BATCHES + " batch(es).");
			assertThat(store.sql("SELECT count(*) FROM plan_run_locks").query(Long.class).single())
				.as("the plan is free again")
				.isZero();
			long next = SystemActor.call(() -> runs.request("ticker", "tick", RunMode.DRY_RUN)).id();
			Await.until(() -> SystemActor.call(() -> runs.get(next)).state() == RunState.SUCCEEDED, "a second run");
		}
	}

	@Test
	void cancelStopsAtABatchBoundary() throws Exception {
		BatchHold.Hold held = BatchHold.afterBatches("ticker-cancel", "tick", RunMode.DRY_RUN, 2);
		try (ConfigurableApplicationContext context = start(this.dir, "main")) {
			saveTickerPlan(context, "ticker-cancel");
			RunService runs = context.getBean(RunService.class);
			JdbcClient store = context.getBean(JdbcClient.class);
			long runId = SystemActor.call(() -> runs.request("ticker-cancel", "tick", RunMode.DRY_RUN)).id();
			assertThat(held.awaitHeld()).isEqualTo(runId);
			// asked for while batch 3 is under way: batch 3 finishes, then the run stops
			SystemActor.run(() -> runs.cancel(runId));
			held.release();
			Await.until(() -> SystemActor.call(() -> runs.get(runId)).state() == RunState.CANCELLED, "the cancel");
			assertThat(held.awaitOver()).isFalse();
			assertThat(ticks(store, runId)).containsExactly(0, 1, 2);
			assertThat(ledger(store, runId)).containsExactlyElementsOf(ledgerUpTo(3));
			assertThat(SystemActor.call(() -> runs.get(runId)).done()).isEqualTo(3);
			assertThat(SystemActor.call(() -> runs.log(runId))).extracting(RunLogLine::message)
				.last()
				.asString()
				.isEqualTo("Cancelled at a batch boundary, as requested.");
			assertThatExceptionOfType(RefusedException.class)
				.isThrownBy(() -> SystemActor.run(() -> runs.cancel(runId)))
				.withMessageContaining("has already ended");
		}
	}

	private static String storeUrl(Path dir) {
		return "jdbc:h2:file:" + dir.resolve("store").toAbsolutePath() + ";MODE=PostgreSQL;DEFAULT_NULL_ORDERING=HIGH";
	}

	private static ConfigurableApplicationContext start(Path dir, String instance) {
		// command-line arguments, so they win over the test profile's own settings
		return new SpringApplicationBuilder(FerryApplication.class, TickerPhase.class, BatchHold.class).profiles("test")
			.run("--spring.datasource.url=" + storeUrl(dir), "--server.port=0",
					"--ferry.data-dir=" + dir.resolve("data").toAbsolutePath(), "--ferry.test.instance=" + instance,
					"--db-scheduler.polling-interval=200ms", "--db-scheduler.heartbeat-interval=1s");
	}

	private static void saveTickerPlan(ConfigurableApplicationContext context, String name) {
		PlanService plans = context.getBean(PlanService.class);
		SystemActor.run(() -> plans.save(null, TickerPhase.PLAN.formatted(name).getBytes(StandardCharsets.UTF_8),
				PlanOrigin.API));
	}

	/** The run's batch ledger: number and checkpoint of each committed batch. */
	private static List<String> ledger(JdbcClient store, long runId) {
		return store.sql("SELECT batch_no, checkpoint FROM run_batches WHERE run_id = ? ORDER BY batch_no")
			.param(runId)
			.query((rs, row) -> rs.getInt(1) + ":" + rs.getString(2))
			.list();
	}

	/** The ledger of an uninterrupted ticker run after {@code batches} batches. */
	private static List<String> ledgerUpTo(int batches) {
		return IntStream.rangeClosed(1, batches).mapToObj(n -> n + ":" + n).toList();
	}

	private static List<Integer> ticks(JdbcClient store, long runId) {
		return store.sql("SELECT n FROM ticks WHERE run_id = ? ORDER BY n").param(runId).query(Integer.class).list();
	}

	/** from (inclusive) to to (exclusive). */
	private static List<Integer> numbers(int from, int to) {
		return IntStream.range(from, to).boxed().toList();
	}

}
