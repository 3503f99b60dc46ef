package dev.ferry.support;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Finds the Chromium and ChromeDriver the browser tests drive, and decides what happens
 * when they are missing.
 * <p>
 * Each is looked for at the path of its system property ({@code ferry.test.chromium},
 * {@code ferry.test.chromedriver}) when it is set, else on {@code PATH}
 * ({@code chromium}, {@code chromium-browser}; {@code chromedriver}), else at Debian's
 * {@code /usr/bin}. When one is missing, the browser tests are not run and
 * {@link NotRunReport} says so once at the end of the test run, loudly, and the build
 * passes, unless {@code ferry.test.browser=required} (as {@code .ci/run} sets): then
 * every browser test class fails with the same words, so CI never skips them silently.
 */
public final class Chromium implements ExecutionCondition {

	/** The words of a browser test not run (the start of its skip reason). */
	public static final String NOT_FOUND = "Chromium not found";

	static final String HOW = "apt-get install chromium chromium-driver, or set ferry.test.chromium "
			+ "and ferry.test.chromedriver";

	private static final Optional<Path> BROWSER = find("ferry.test.chromium", "chromium", "chromium-browser");

	private static final Optional<Path> DRIVER = find("ferry.test.chromedriver", "chromedriver");

	/** The browser's executable; only called by tests that were not skipped. */
	static Path browser() {
		return BROWSER.orElseThrow(() -> new IllegalStateException(missing()));
	}

	/** The driver's executable; only called by tests that were not skipped. */
	static Path driver() {
		return DRIVER.orElseThrow(() -> new IllegalStateException(missing()));
	}

	@Override
	public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
		if (BROWSER.isPresent() && DRIVER.isPresent()) {
			return ConditionEvaluationResult.enabled("Chromium " + BROWSER.get() + ", driver " + DRIVER.get());
		}
		if ("required".equals(System.getProperty("ferry.test.browser"))) {
			throw new IllegalStateException(missing() + " (ferry.test.browser=required)");
		}
		return ConditionEvaluationResult.disabled(missing());
	}

	/** "Chromium not found — …": what is missing and how to get it. */
	static String missing() {
		List<String> what = new ArrayList<>();
		if (BROWSER.isEmpty()) {
			what.add(describe("ferry.test.chromium", "chromium"));
		}
		if (DRIVER.isEmpty()) {
			what.add(describe("ferry.test.chromedriver", "chromedriver"));
		}
		return NOT_FOUND + " — " + HOW + " (" + String.join("; ", what) + ")";
	}

	private static String describe(String property, String command) {
		String configured = System.getProperty(property);
		return (configured != null && !configured.isBlank()) ? property + "=" + configured + " is not an executable"
				: "no " + command + " on PATH or in /usr/bin";
	}

	private static Optional<Path> find(String property, String... commands) {
		String configured = System.getProperty(property);
		if (configured != null && !configured.isBlank()) {
			Path path = Path.of(configured);
			return executable(path) ? Optional.of(path) : Optional.empty();
		}
		List<String> directories = new ArrayList<>();
		String pathVariable = System.getenv("PATH");
		if (pathVariable != null) {
			directories.addAll(List.of(pathVariable.split(File.pathSeparator)));
		}
		directories.add("/usr/bin");
		for (String command : commands) {
			for (String directory : directories) {
				if (directory.isEmpty()) {
					continue;
				}
				Path candidate = Path.of(directory, command);
				if (executable(candidate)) {
					return Optional.of(candidate);
				}
			}
		}
		return Optional.empty();
	}

	private static boolean executable(Path path) {
		return Files.isRegularFile(path) && Files.isExecutable(path);
	}

}
