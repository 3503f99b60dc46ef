package dev.ferry.sql.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sql phase's ledger on a SQLite file and an H2 file: created once, a run found by
 * its id and request time only, so another store's run of the same number is not taken
 * for it, and a row of the same key that describes another run is told apart.
 */
class SqlLedgerTests {

	static final Instant RECORDED = Instant.parse("2026-12-04T05:15:22.345Z");

	@TempDir
	Path dir;

	@Test
	void onSqliteARunIsFoundByItsIdAndRequestTimeOnly() throws Exception {
		findsByIdAndRequestTime("jdbc:sqlite:" + this.dir.resolve("target.db").toAbsolutePath());
	}

	@Test
	void onH2ARunIsFoundByItsIdAndRequestTimeOnly() throws Exception {
		findsByIdAndRequestTime("jdbc:h2:file:" + this.dir.resolve("target").toAbsolutePath());
	}

	private static void findsByIdAndRequestTime(String url) throws Exception {
		SqlLedger.Entry apply = new SqlLedger.Entry(12, "2026-12-04T05:10:00.123Z", "plan", "schema", "apply", null, 3,
				"a".repeat(64), RECORDED);
		try (Connection c = DriverManager.getConnection(url)) {
			SqlLedger.ensure(c);
			SqlLedger.ensure(c);
			assertThat(SqlLedger.find(c, apply)).isEmpty();
			SqlLedger.record(c, apply);

			SqlLedger.Entry found = SqlLedger.find(c, apply).orElseThrow();
			assertThat(found).isEqualTo(apply);
			assertThat(found.recordedAt()).isEqualTo(RECORDED.truncatedTo(ChronoUnit.MILLIS));
			assertThat(apply.sameRun(found)).isTrue();

			SqlLedger.Entry otherStore = new SqlLedger.Entry(12, "2026-12-05T08:00:00Z", "plan", "schema", "apply",
					null, 3, "a".repeat(64), RECORDED);
			assertThat(SqlLedger.find(c, otherStore)).as("another store's run #12").isEmpty();
			SqlLedger.record(c, otherStore);
			assertThat(SqlLedger.find(c, otherStore)).contains(otherStore);

			SqlLedger.Entry rollback = new SqlLedger.Entry(12, apply.requestedAt(), "plan", "schema", "rollback", 7L, 1,
					"b".repeat(64), RECORDED);
			assertThat(rollback.sameRun(SqlLedger.find(c, rollback).orElseThrow())).as("a row of the same key, not it")
				.isFalse();
		}
	}

}
