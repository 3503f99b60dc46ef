package dev.ferry.support;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Says once, at the end of a test run, how many browser tests were not run because
 * Chromium was not found ({@link Chromium}), and how to get it: a skipped browser test
 * class is otherwise one "Skipped" among a thousand passed tests. Registered through
 * {@code META-INF/services}, so both Surefire and Failsafe runs use it.
 */
public class NotRunReport implements TestExecutionListener {

	private final AtomicReference<TestPlan> plan = new AtomicReference<>();

	private final AtomicInteger notRun = new AtomicInteger();

	private final AtomicReference<String> reason = new AtomicReference<>();

	@Override
	public void testPlanExecutionStarted(TestPlan testPlan) {
		this.plan.set(testPlan);
		this.notRun.set(0);
	}

	@Override
	public void executionSkipped(TestIdentifier identifier, String skipReason) {
		if (skipReason == null || !skipReason.startsWith(Chromium.NOT_FOUND)) {
			return;
		}
		this.reason.compareAndSet(null, skipReason);
		// a test method, or a class (or a parameterized test) whose tests are all skipped
		if (identifier.isTest()) {
			this.notRun.incrementAndGet();
		}
		else {
			this.notRun.addAndGet((int) this.plan.get()
				.getDescendants(identifier)
				.stream()
				.filter(d -> d.isTest() || this.plan.get().getChildren(d).isEmpty())
				.count());
		}
	}

	@Override
	public void testPlanExecutionFinished(TestPlan testPlan) {
		int count = this.notRun.get();
		if (count == 0) {
			return;
		}
		String line = count + " browser test" + (count == 1 ? "" : "s") + " not run: " + this.reason.get();
		PrintStream out = System.out;
		String rule = "!".repeat(Math.min(line.length(), 100));
		out.println();
		out.println(rule);
		out.println("!! " + line);
		out.println(rule);
		out.println();
		out.flush();
	}

}
