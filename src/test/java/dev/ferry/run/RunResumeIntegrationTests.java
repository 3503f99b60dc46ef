package dev.ferry.run;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import dev.ferry.support.Await;
import dev.ferry.FerryApplication;
import dev.ferry.plan.PlanOrigin;
import dev.ferry.plan.PlanService;
import dev.ferry.problem.RefusedException;
import dev.ferry.security.SystemActor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Promise 5: Ferry stops in the middle of a multi-batch run (its application context is
 * closed), starts again on the same store, and the run resumes and finishes with the same
 * end state as an uninterrupted run; no batch ran twice.
 */
class RunResumeIntegrationTests {

	/** A file store, as Ferry's default: it outlives the first application context. */
	@TempDir
	Path dir;

	@Test
	void aRunInterruptedByAShutdownResumesAfterTheRestartAndNoBatchRunsTwice() throws Exception {
		long runId;
		try (ConfigurableApplicationContext first = start(this.dir)) {
			saveTickerPlan(first, "ticker");
			RunService runs = first.getBean(RunService.class);
			runId = SystemActor.call(() -> runs.request("ticker", "tick", RunMode.DRY_RUN)).id();

			assertThatExceptionOfType(RefusedException.class)
				.isThrownBy(() -> SystemActor.call(() -> runs.request("ticker", "tick", RunMode.DRY_RUN)))
				.withMessageContaining("Run #" + runId + " of plan ticker is still active");

			JdbcClient store = first.getBean(JdbcClient.class);
			Await.until(() -> batches(store, runId) >= 3, "three batches before the shutdown");
		}

		try (ConfigurableApplicationContext second = start(this.dir)) {
			JdbcClient store = second.getBean(JdbcClient.class);
			long committedBeforeRestart = batches(store, runId);
			assertThat(committedBeforeRestart).as("the run was interrupted mid-way")
				.isBetween(3L, (long) TickerPhase.BATCHES - 1);
			RunService runs = second.getBean(RunService.class);
			Await.until(() -> SystemActor.call(() -> runs.get(runId)).state() == RunState.SUCCEEDED,
					"the run to succeed");

			RunView run = SystemActor.call(() -> runs.get(runId));
			assertThat(run.done()).isEqualTo(TickerPhase.BATCHES);
			assertThat(run.counts().read()).isEqualTo(TickerPhase.BATCHES);
			assertThat(store.sql("SELECT n FROM ticks WHERE run_id = ? ORDER BY n")
				.param(runId)
				.query(Integer.class)
				.list()).as("the end state of an uninterrupted run")
				.containsExactlyElementsOf(java.util.stream.IntStream.range(0, TickerPhase.BATCHES).boxed().toList());
			List<Integer> ledger = store.sql("SELECT batch_no FROM run_batches WHERE run_id = ? ORDER BY batch_no")
				.param(runId)
				.query(Integer.class)
				.list();
			assertThat(ledger).as("every batch once in the ledger")
				.containsExactlyElementsOf(
						java.util.stream.IntStream.rangeClosed(1, TickerPhase.BATCHES).boxed().toList());
			assertThat(SystemActor.call(() -> runs.log(runId))).extracting(RunLogLine::message)
				.anySatisfy(line -> assertThat(line).startsWith("Resumed after"))
				.last()
				.asString()
				.startsWith("Succeeded");
			assertThat(store.sql("SELECT count(*) FROM plan_run_locks").query(Long.class).single())
				.as("the plan is free again")
				.isZero();
			long next = SystemActor.call(() -> runs.request("ticker", "tick", RunMode.DRY_RUN)).id();
			Await.until(() -> SystemActor.call(() -> runs.get(next)).state() == RunState.SUCCEEDED, "a second run");
		}
	}

	@Test
	void cancelStopsAtABatchBoundary() throws Exception {
		try (ConfigurableApplicationContext context = start(this.dir)) {
			saveTickerPlan(context, "ticker-cancel");
			RunService runs = context.getBean(RunService.class);
			JdbcClient store = context.getBean(JdbcClient.class);
			long runId = SystemActor.call(() -> runs.request("ticker-cancel", "tick", RunMode.DRY_RUN)).id();
			Await.until(() -> batches(store, runId) >= 2, "two batches");
			SystemActor.run(() -> runs.cancel(runId));
			Await.until(() -> SystemActor.call(() -> runs.get(runId)).state() == RunState.CANCELLED, "the cancel");
			long ticks = store.sql("SELECT count(*) FROM ticks WHERE run_id = ?")
				.param(runId)
				.query(Long.class)
				.single();
			assertThat(ticks).isEqualTo(batches(store, runId)).isLessThan(TickerPhase.BATCHES);
			assertThatExceptionOfType(RefusedException.class)
				.isThrownBy(() -> SystemActor.run(() -> runs.cancel(runId)))
				.withMessageContaining("has already ended");
		}
	}

	private static ConfigurableApplicationContext start(Path dir) {
		String store = "jdbc:h2:file:" + dir.resolve("store").toAbsolutePath()
				+ ";MODE=PostgreSQL;DEFAULT_NULL_ORDERING=HIGH";
		// command-line arguments, so they win over the test profile's own settings
		return new SpringApplicationBuilder(FerryApplication.class, TickerPhase.class).profiles("test")
			.run("--spring.datasource.url=" + store, "--server.port=0", "--db-scheduler.polling-interval=200ms",
					"--db-scheduler.heartbeat-interval=1s");
	}

	private static void saveTickerPlan(ConfigurableApplicationContext context, String name) {
		PlanService plans = context.getBean(PlanService.class);
		SystemActor.run(() -> plans.save(null, TickerPhase.PLAN.formatted(name).getBytes(StandardCharsets.UTF_8),
				PlanOrigin.API));
	}

	private static long batches(JdbcClient store, long runId) {
		return store.sql("SELECT count(*) FROM run_batches WHERE run_id = ?").param(runId).query(Long.class).single();
	}

}
