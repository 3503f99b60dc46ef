package dev.ferry.runbook.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.ferry.runbook.Checklist;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The checklists of production runs and their ticks, in Ferry's store. */
@Component
class StoredChecklists {

	private final JdbcClient store;

	StoredChecklists(JdbcClient store) {
		this.store = store;
	}

	long start(String plan, int version, String by, Instant at) {
		org.springframework.jdbc.support.GeneratedKeyHolder keys = new org.springframework.jdbc.support.GeneratedKeyHolder();
		this.store
			.sql("INSERT INTO runbook_checklists (plan, plan_version, started_by, started_at) VALUES (?, ?, ?, ?)")
			.params(plan, version, by, Timestamp.from(at))
			.update(keys, "id");
		return keys.getKey().longValue();
	}

	Optional<Checklist> get(long id) {
		return this.store
			.sql("SELECT id, plan, plan_version, started_by, started_at FROM runbook_checklists WHERE id = ?")
			.param(id)
			.query((rs, n) -> new Header(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getString(4),
					rs.getTimestamp(5).toInstant()))
			.optional()
			.map(this::withTicks);
	}

	List<Checklist> ofPlan(String plan, int limit) {
		List<Header> headers = this.store
			.sql("SELECT id, plan, plan_version, started_by, started_at FROM runbook_checklists WHERE plan = ? "
					+ "ORDER BY id DESC LIMIT ?")
			.params(plan, limit)
			.query((rs, n) -> new Header(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getString(4),
					rs.getTimestamp(5).toInstant()))
			.list();
		List<Checklist> checklists = new ArrayList<>();
		for (Header header : headers) {
			checklists.add(withTicks(header));
		}
		return checklists;
	}

	/**
	 * Locks the checklist's row until the transaction ends, so two ticks of one item at
	 * the same moment (a double click) are one after the other: the second finds it
	 * ticked.
	 */
	void lock(long checklist) {
		this.store.sql("SELECT id FROM runbook_checklists WHERE id = ? FOR UPDATE")
			.param(checklist)
			.query(Long.class)
			.optional();
	}

	/** Ticks an item; false when it was ticked already. */
	boolean tick(long checklist, String item, String label, String by, Instant at) {
		boolean ticked = this.store.sql("SELECT count(*) FROM runbook_ticks WHERE checklist_id = ? AND item = ?")
			.params(checklist, item)
			.query(Long.class)
			.single() > 0;
		if (ticked) {
			return false;
		}
		this.store
			.sql("INSERT INTO runbook_ticks (checklist_id, item, label, ticked_by, ticked_at) VALUES (?, ?, ?, ?, ?)")
			.params(checklist, item, cut(label, 1000), by, Timestamp.from(at))
			.update();
		return true;
	}

	/** Unticks an item; false when it was not ticked. */
	boolean untick(long checklist, String item) {
		return this.store.sql("DELETE FROM runbook_ticks WHERE checklist_id = ? AND item = ?")
			.params(checklist, item)
			.update() > 0;
	}

	private Checklist withTicks(Header header) {
		List<Checklist.Tick> ticks = this.store.sql(
				"SELECT item, label, ticked_by, ticked_at FROM runbook_ticks WHERE checklist_id = ? ORDER BY ticked_at, item")
			.param(header.id())
			.query((rs, n) -> new Checklist.Tick(rs.getString(1), rs.getString(2), rs.getString(3),
					rs.getTimestamp(4).toInstant()))
			.list();
		return new Checklist(header.id(), header.plan(), header.version(), header.startedBy(), header.startedAt(),
				ticks);
	}

	private static String cut(String text, int max) {
		return text.length() <= max ? text : text.substring(0, max - 1) + "…";
	}

	private record Header(long id, String plan, int version, String startedBy, Instant startedAt) {
	}

}
