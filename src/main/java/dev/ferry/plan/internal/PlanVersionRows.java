package dev.ferry.plan.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.ferry.plan.PlanOrigin;
import dev.ferry.plan.PlanSummary;
import dev.ferry.plan.PlanVersionInfo;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The {@code plan_versions} table: appended to, never updated. */
@Component
class PlanVersionRows {

	private static final String INFO = "plan, version, title, sha256, saved_by, saved_at, origin";

	private final JdbcClient jdbc;

	PlanVersionRows(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	List<PlanSummary> latestOfEach() {
		return this.jdbc.sql("""
				SELECT v.plan, v.title, v.version, v.saved_at, v.saved_by FROM plan_versions v
				WHERE v.version = (SELECT max(l.version) FROM plan_versions l WHERE l.plan = v.plan)
				ORDER BY v.plan
				""")
			.query((rs, row) -> new PlanSummary(rs.getString(1), rs.getString(2), rs.getInt(3), instant(rs, 4),
					rs.getString(5)))
			.list();
	}

	Optional<Integer> latestVersion(String plan) {
		return Optional.ofNullable(this.jdbc.sql("SELECT max(version) FROM plan_versions WHERE plan = ?")
			.param(plan)
			.query(Integer.class)
			.optional()
			.orElse(null));
	}

	Optional<Row> find(String plan, int version) {
		return this.jdbc.sql("SELECT " + INFO + ", yaml FROM plan_versions WHERE plan = ? AND version = ?")
			.param(plan)
			.param(version)
			.query((rs, row) -> new Row(info(rs), rs.getString(8)))
			.optional();
	}

	List<PlanVersionInfo> history(String plan) {
		return this.jdbc.sql("SELECT " + INFO + " FROM plan_versions WHERE plan = ? ORDER BY version DESC")
			.param(plan)
			.query((rs, row) -> info(rs))
			.list();
	}

	void insert(PlanVersionInfo info, String yaml) {
		this.jdbc.sql("""
				INSERT INTO plan_versions (plan, version, title, yaml, sha256, saved_by, saved_at, origin)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)
				""")
			.params(info.plan(), info.version(), info.title(), yaml, info.sha256(), info.savedBy(),
					OffsetDateTime.ofInstant(info.savedAt(), java.time.ZoneOffset.UTC), info.origin().code())
			.update();
	}

	private static PlanVersionInfo info(ResultSet rs) throws SQLException {
		return new PlanVersionInfo(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5),
				instant(rs, 6), PlanOrigin.valueOf(rs.getString(7).toUpperCase(Locale.ROOT)));
	}

	private static Instant instant(ResultSet rs, int column) throws SQLException {
		return rs.getObject(column, OffsetDateTime.class).toInstant();
	}

	record Row(PlanVersionInfo info, String yaml) {
	}

}
