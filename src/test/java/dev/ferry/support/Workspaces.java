package dev.ferry.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A data directory of a test class's own, for tests that change the demo workspace (they
 * apply its phases) and so must not share it with the other tests.
 */
public final class Workspaces {

	private Workspaces() {
	}

	/**
	 * A new temporary folder, removed with everything in it when the test JVM exits (the
	 * databases and report files the tests wrote there would otherwise stay in the
	 * system's temporary directory after every build).
	 */
	public static Path temporaryFolder(String prefix) {
		try {
			Path dir = Files.createTempDirectory(prefix);
			Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir), "delete-" + dir.getFileName()));
			return dir;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Removes a folder and what it holds, as far as it can: a file still held open by a
	 * database that is closing at the same moment is removed by the system once closed.
	 */
	public static void deleteTree(Path dir) {
		if (!Files.exists(dir)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(dir)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> {
				try {
					Files.deleteIfExists(path);
				}
				catch (IOException ex) {
					// left for the system's cleaning of its temporary directory
				}
			});
		}
		catch (IOException | UncheckedIOException ex) {
			// a file vanished while walking: nothing more to do
		}
	}

}
