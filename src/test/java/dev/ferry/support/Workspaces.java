package dev.ferry.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A data directory of a test class's own, for tests that change the demo workspace (they
 * apply its phases) and so must not share it with the other tests.
 */
public final class Workspaces {

	private Workspaces() {
	}

	/** A new temporary folder, removed when the JVM exits if it is empty by then. */
	public static Path temporaryFolder(String prefix) {
		try {
			Path dir = Files.createTempDirectory(prefix);
			dir.toFile().deleteOnExit();
			return dir;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
