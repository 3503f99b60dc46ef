package dev.ferry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The data directory and the store's files are the Ferry user's alone (issue 20, finding
 * 14).
 */
class PrivateFilesTests {

	@TempDir
	Path dir;

	@Test
	void theDataDirectoryIsMadeAndKeptPrivate() throws Exception {
		Path data = this.dir.resolve("data");
		Path store = Files.createDirectories(data.resolve("store"));
		Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
		Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("rwxr-xr-x"));
		Path file = Files.writeString(store.resolve("ferry.mv.db"), "");
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
		new PrivateFiles(data.toString()).afterSingletonsInstantiated();
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store))).isEqualTo("rwx------");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

		Path fresh = this.dir.resolve("fresh/data");
		new PrivateFiles(fresh.toString()).afterSingletonsInstantiated();
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh))).isEqualTo("rwx------");
	}

}
