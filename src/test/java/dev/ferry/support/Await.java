package dev.ferry.support;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

import dev.ferry.run.RunService;
import dev.ferry.run.RunView;
import dev.ferry.security.SystemActor;

/**
 * Waits for a condition of a background run or task, checking it every 100 ms, and fails
 * with what it waited for after a generous deadline; it never asserts how long anything
 * took.
 */
public final class Await {

	private static final Duration DEADLINE = Duration.ofSeconds(60);

	private Await() {
	}

	public static void until(BooleanSupplier condition, String what) {
		Instant deadline = Instant.now().plus(DEADLINE);
		while (!condition.getAsBoolean()) {
			if (Instant.now().isAfter(deadline)) {
				throw new AssertionError("Timed out after " + DEADLINE.toSeconds() + " s waiting for " + what);
			}
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError("Interrupted while waiting for " + what, ex);
			}
		}
	}

	/** Waits until the run has ended, and answers it as it ended. */
	public static RunView finished(RunService runs, RunView run) {
		until(() -> !SystemActor.call(() -> runs.get(run.id())).state().active(), "run #" + run.id());
		return SystemActor.call(() -> runs.get(run.id()));
	}

}
