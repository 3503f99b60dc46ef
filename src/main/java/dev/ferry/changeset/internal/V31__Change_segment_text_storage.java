package dev.ferry.changeset.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.ResultSet;
import java.sql.Statement;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import org.springframework.stereotype.Component;

/**
 * Migration V31, on a PostgreSQL store only: how the text of a change segment
 * ({@code change_segment_rows.body}, tens of KB) is kept. PostgreSQL compresses such a
 * value with pglz by default, which cost a dry run of a million inserts about 2.5 s of
 * the store's time to write (and each page its decompression): the text is compressed
 * with lz4 where the server has it (PostgreSQL 14 and later, built with lz4, as most
 * distributions' are), else kept out of line uncompressed ({@code STORAGE EXTERNAL}):
 * about four times the disk (docs/performance.md, section 10) for writes and pages at
 * H2's pace. An H2 store is left as it is. A Flyway migration in Java because the
 * statement depends on the database; it is a Spring bean so that Spring Boot hands it to
 * Flyway.
 */
@Component
class V31__Change_segment_text_storage extends BaseJavaMigration {

	@Override
	public void migrate(Context context) throws SQLException {
		Connection connection = context.getConnection();
		if (!connection.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT)
			.contains("postgres")) {
			return;
		}
		try (Statement statement = connection.createStatement()) {
			// lz4 is among the setting's values only in a server built with it (and from
			// PostgreSQL 14, which has the setting); asked, not tried: a failed ALTER would
			// make the pool drop the connection (SQLState 0A000)
			boolean lz4;
			try (ResultSet rs = statement.executeQuery(
					"SELECT 'lz4' = ANY (enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")) {
				lz4 = rs.next() && rs.getBoolean(1);
			}
			statement.execute(lz4 ? "ALTER TABLE change_segment_rows ALTER COLUMN body SET COMPRESSION lz4"
					: "ALTER TABLE change_segment_rows ALTER COLUMN body SET STORAGE EXTERNAL");
		}
	}

}
