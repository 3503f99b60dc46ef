package dev.ferry.run;

import dev.ferry.plan.spec.PhaseSpec;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A phase kind made for tests: the phases of plans named {@code ticker*} count to
 * {@link #BATCHES}, one number per batch, writing each number into the table
 * {@code ticks} of Ferry's store in the batch's transaction, with the name of the
 * instance that ran it ({@code ferry.test.instance}). The end state of an uninterrupted
 * run is exactly the numbers 0 to {@code BATCHES - 1}, once each. A ticker run does not
 * wait for anything: a test that needs it at a known batch holds it with
 * {@link dev.ferry.support.BatchHold} (which comes before this executor and decorates
 * it).
 */
@TestConfiguration(proxyBeanMethods = false)
public class TickerPhase {

	public static final int BATCHES = 12;

	public static final String PLAN = """
			plan: %s
			title: Counts to twelve
			source: cultivars
			target: app
			phases:
			  - id: tick
			    kind: preflight
			    count: [target.AhsListing]
			gates: []
			""";

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE + 1)
	PhaseExecutor tickerExecutor(JdbcClient store, @Value("${ferry.test.instance:main}") String instance) {
		store.sql("CREATE TABLE IF NOT EXISTS ticks (run_id BIGINT NOT NULL, n INT NOT NULL, instance VARCHAR(20))")
			.update();
		return new PhaseExecutor() {
			@Override
			public boolean supports(PhaseSpec phase, RunMode mode) {
				return phase.kind() == PhaseSpec.Kind.PREFLIGHT;
			}

			@Override
			public Long total(RunContext run) {
				return (long) BATCHES;
			}

			@Override
			public BatchOutcome runBatch(RunContext run, String checkpoint) {
				int n = checkpoint == null ? 0 : Integer.parseInt(checkpoint);
				store.sql("INSERT INTO ticks (run_id, n, instance) VALUES (?, ?, ?)")
					.params(run.runId(), n, instance)
					.update();
				run.log("tick " + n);
				return new BatchOutcome(String.valueOf(n + 1), 1, new RunCounts(1, 0, 0, 1, 0, 0, 0), n + 1 == BATCHES);
			}
		};
	}

}
