package dev.ferry;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded H2 store keeps every committed transaction when its process is killed: a
 * child process commits rows one transaction at a time, says so after each commit, and is
 * killed (SIGKILL) right after the last; every row it reported is there when the store is
 * opened again. Without {@code WRITE_DELAY=0} H2 writes commits up to 500 ms later, and
 * this child lost them all (docs/performance.md, "The store's durability").
 */
@Tag("integration")
class StoreDurabilityTests {

	static final int COMMITS = 20;

	@TempDir
	Path dir;

	@Test
	void everyCommitReportedBeforeAKillIsThereAfterIt() throws Exception {
		String url = StoreConfiguration
			.durable("jdbc:h2:file:" + this.dir.resolve("store").toAbsolutePath() + ";MODE=PostgreSQL");
		assertThat(url).endsWith(";WRITE_DELAY=0");
		Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				System.getProperty("java.class.path"), Child.class.getName(), url)
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		int committed = 0;
		try (BufferedReader out = new BufferedReader(
				new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while (committed < COMMITS && (line = out.readLine()) != null) {
				committed = Integer.parseInt(line.substring("committed ".length()));
			}
		}
		finally {
			child.destroyForcibly();
			assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
		}
		assertThat(committed).isEqualTo(COMMITS);
		try (Connection c = DriverManager.getConnection(url, "ferry", "");
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery("SELECT count(*) FROM t")) {
			rs.next();
			assertThat(rs.getInt(1)).as("rows committed before the kill").isEqualTo(COMMITS);
		}
	}

	@Test
	void onlyH2FileUrlsWithoutAWriteDelayAreChanged() {
		assertThat(StoreConfiguration.durable("jdbc:h2:file:./data/store/ferry;MODE=PostgreSQL"))
			.isEqualTo("jdbc:h2:file:./data/store/ferry;MODE=PostgreSQL;WRITE_DELAY=0");
		assertThat(StoreConfiguration.durable("jdbc:h2:./data/store/ferry"))
			.isEqualTo("jdbc:h2:./data/store/ferry;WRITE_DELAY=0");
		assertThat(StoreConfiguration.durable("jdbc:h2:file:./x;write_delay=100"))
			.isEqualTo("jdbc:h2:file:./x;write_delay=100");
		assertThat(StoreConfiguration.durable("jdbc:h2:mem:ferry")).isEqualTo("jdbc:h2:mem:ferry");
		assertThat(StoreConfiguration.durable("jdbc:postgresql://db/ferry")).isEqualTo("jdbc:postgresql://db/ferry");
	}

	/** The child: commits {@link #COMMITS} rows one by one, then waits to be killed. */
	public static final class Child {

		public static void main(String[] args) throws Exception {
			try (Connection c = DriverManager.getConnection(args[0], "ferry", "")) {
				try (Statement s = c.createStatement()) {
					s.execute("CREATE TABLE t (id INT PRIMARY KEY)");
				}
				c.setAutoCommit(false);
				try (PreparedStatement insert = c.prepareStatement("INSERT INTO t VALUES (?)")) {
					for (int i = 1; i <= COMMITS; i++) {
						insert.setInt(1, i);
						insert.executeUpdate();
						c.commit();
						System.out.println("committed " + i);
						System.out.flush();
					}
				}
				Thread.sleep(TimeUnit.MINUTES.toMillis(1));
			}
		}

	}

}
