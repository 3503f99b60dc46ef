package dev.ferry.connection.internal;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class StoreGuardTests {

	@TempDir
	Path dir;

	@Test
	void everyFormOfTheStoresFileIsTheStore() throws Exception {
		Path store = Files.createDirectories(this.dir.resolve("data/store"));
		Files.writeString(store.resolve("ferry.mv.db"), "");
		Files.createSymbolicLink(this.dir.resolve("link"), this.dir.resolve("data"));
		String url = "jdbc:h2:file:" + store.resolve("ferry") + ";MODE=PostgreSQL;WRITE_DELAY=0";
		for (String other : new String[] { "jdbc:h2:file:" + store.resolve("ferry"),
				"jdbc:h2:" + store.resolve("ferry") + ";ACCESS_MODE_DATA=r",
				"JDBC:H2:FILE:" + store.resolve("../store/ferry"),
				"jdbc:h2:file:" + this.dir.resolve("link/store/ferry"),
				"jdbc:h2:file:" + store.resolve("ferry") + ";IFEXISTS=TRUE" }) {
			assertThat(StoreGuard.same(other, url)).as(other).isTrue();
		}
		assertThat(StoreGuard.same("jdbc:h2:file:" + store.resolve("other"), url)).isFalse();
		assertThat(StoreGuard.same("jdbc:h2:mem:ferry", url)).isFalse();
	}

	@Test
	void anInMemoryStoreIsItsName() {
		String url = "jdbc:h2:mem:ferry-1234;MODE=PostgreSQL;DB_CLOSE_DELAY=-1";
		assertThat(StoreGuard.same("jdbc:h2:mem:ferry-1234", url)).isTrue();
		assertThat(StoreGuard.same("jdbc:h2:mem:ferry-1234;IFEXISTS=TRUE", url)).isTrue();
		assertThat(StoreGuard.same("jdbc:h2:mem:ferry-5678", url)).isFalse();
	}

	@Test
	void aPostgresStoreIsItsHostPortAndDatabase() {
		String url = "jdbc:postgresql://localhost:5433/ferry?sslmode=disable";
		assertThat(StoreGuard.same("jdbc:postgresql://127.0.0.1:5433/ferry", url)).isTrue();
		assertThat(StoreGuard.same("jdbc:postgresql://LOCALHOST:5433/ferry?ApplicationName=x", url)).isTrue();
		assertThat(StoreGuard.same("jdbc:postgresql://[::1]:5433/ferry", url)).isTrue();
		assertThat(StoreGuard.same("jdbc:postgresql://localhost:5433/other", url)).isFalse();
		assertThat(StoreGuard.same("jdbc:postgresql://localhost:5432/ferry", url)).isFalse();
		assertThat(StoreGuard.same("jdbc:postgresql://db.example:5432/ferry", "jdbc:postgresql://db.example/ferry"))
			.isTrue();
	}

}
