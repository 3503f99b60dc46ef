package dev.ferry.retention.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.ferry.retention.PurgeRecord;
import dev.ferry.retention.StorageItem;
import dev.ferry.retention.StorageKind;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The record of purges (table {@code storage_purges}). */
@Component
class StoragePurges {

	private static final String COLUMNS = "kind, plan, phase, run_id, place, rows_freed, table_rows_freed, "
			+ "file_bytes_freed, reason, purged_by, purged_at";

	private final JdbcClient store;

	StoragePurges(JdbcClient store) {
		this.store = store;
	}

	void record(StorageItem freed, String by, Instant at) {
		this.store.sql("INSERT INTO storage_purges (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
			.params(freed.kind().code(), freed.plan(), freed.phase(), freed.runId(), cut(freed.place(), 400),
					freed.rows(), freed.tableRows(), freed.fileBytes(), cut(freed.reason(), 1000), by,
					Timestamp.from(at))
			.update();
	}

	Optional<PurgeRecord> find(long runId, StorageKind kind) {
		return this.store.sql("SELECT " + COLUMNS + " FROM storage_purges WHERE run_id = ? AND kind = ?")
			.params(runId, kind.code())
			.query(StoragePurges::purge)
			.optional();
	}

	/** The runs whose storage of this kind was purged. */
	Set<Long> runs(StorageKind kind) {
		return new HashSet<>(this.store.sql("SELECT run_id FROM storage_purges WHERE kind = ?")
			.param(kind.code())
			.query(Long.class)
			.list());
	}

	List<PurgeRecord> latest(int limit) {
		return this.store.sql("SELECT " + COLUMNS + " FROM storage_purges ORDER BY id DESC LIMIT ?")
			.param(limit)
			.query(StoragePurges::purge)
			.list();
	}

	private static PurgeRecord purge(ResultSet rs, int row) throws SQLException {
		StorageItem item = new StorageItem(StorageKind.of(rs.getString(1)).orElseThrow(), rs.getString(2),
				rs.getString(3), rs.getLong(4), rs.getString(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), true,
				rs.getString(9));
		return new PurgeRecord(item, rs.getString(10), rs.getTimestamp(11).toInstant());
	}

	private static String cut(String text, int max) {
		return text.length() <= max ? text : text.substring(0, max - 3) + "...";
	}

}
