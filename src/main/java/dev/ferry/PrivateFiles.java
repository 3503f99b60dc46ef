package dev.ferry;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Keeps Ferry's data directory to the user Ferry runs as: the directory and the store's
 * directory {@code rwx------}, the embedded store's files {@code rw-------} (they hold
 * the password hashes, the sealed connection passwords and the audit log). Done at start,
 * after the store has opened its files; on a file system without POSIX permissions it
 * says so and does nothing.
 */
@Component
class PrivateFiles implements SmartInitializingSingleton {

	private static final Logger log = LoggerFactory.getLogger(PrivateFiles.class);

	private final Path dataDir;

	PrivateFiles(@Value("${ferry.data-dir:./data}") String dataDir) {
		this.dataDir = Path.of(dataDir).toAbsolutePath().normalize();
	}

	@Override
	public void afterSingletonsInstantiated() {
		if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
			log.info("The file system has no POSIX permissions: keep {} private by other means", this.dataDir);
			return;
		}
		try {
			Files.createDirectories(this.dataDir);
			Files.setPosixFilePermissions(this.dataDir, PosixFilePermissions.fromString("rwx------"));
			Path store = this.dataDir.resolve("store");
			if (Files.isDirectory(store)) {
				Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("rwx------"));
				try (Stream<Path> files = Files.list(store)) {
					for (Path file : files.filter(Files::isRegularFile).toList()) {
						Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
					}
				}
			}
		}
		catch (IOException | UnsupportedOperationException | SecurityException ex) {
			log.warn("Could not make {} private to this user: {}", this.dataDir, ex.getMessage());
		}
	}

}
