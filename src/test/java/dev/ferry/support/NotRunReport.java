package dev.ferry.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Counts the browser tests that were not run because Chromium was not found
 * ({@link Chromium}), so that the build can say so once, at the end: a skipped browser
 * test class is otherwise one "Skipped" among a thousand passed tests. Registered through
 * {@code META-INF/services}, so every Surefire and Failsafe JVM uses it. Each JVM keeps
 * its running total in a file of its own under {@code target/browser-not-run/}, since
 * Failsafe runs two JVMs and hands them one class at a time; {@link NotRunSummary} adds
 * the files up after the Failsafe run and prints the one line.
 */
public class NotRunReport implements TestExecutionListener {

	static final Path DIRECTORY = Path.of("target", "browser-not-run");

	private static final AtomicInteger notRun = new AtomicInteger();

	private static final AtomicReference<String> reason = new AtomicReference<>();

	private final AtomicReference<TestPlan> plan = new AtomicReference<>();

	@Override
	public void testPlanExecutionStarted(TestPlan testPlan) {
		this.plan.set(testPlan);
	}

	@Override
	public void executionSkipped(TestIdentifier identifier, String skipReason) {
		if (skipReason == null || !skipReason.startsWith(Chromium.NOT_FOUND)) {
			return;
		}
		reason.compareAndSet(null, skipReason);
		// a test method, or a class (or a parameterized test) whose tests are all skipped
		if (identifier.isTest()) {
			notRun.incrementAndGet();
		}
		else {
			notRun.addAndGet((int) this.plan.get()
				.getDescendants(identifier)
				.stream()
				.filter(d -> d.isTest() || this.plan.get().getChildren(d).isEmpty())
				.count());
		}
	}

	@Override
	public void testPlanExecutionFinished(TestPlan testPlan) {
		int count = notRun.get();
		if (count == 0) {
			return;
		}
		try {
			Files.createDirectories(DIRECTORY);
			Files.writeString(DIRECTORY.resolve(ProcessHandle.current().pid() + ".txt"),
					count + "\n" + reason.get() + "\n", StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not keep the count of browser tests not run", ex);
		}
	}

}
