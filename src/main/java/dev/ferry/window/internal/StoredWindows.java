package dev.ferry.window.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.ferry.lifecycle.Action;
import dev.ferry.lifecycle.PhaseLifecycle;
import dev.ferry.plan.PlanService;
import dev.ferry.plan.PlanVersion;
import dev.ferry.plan.spec.PhaseSpec;
import dev.ferry.plan.spec.SqlPhase;
import dev.ferry.plan.spec.WindowSpec;
import dev.ferry.problem.NotFoundException;
import dev.ferry.problem.RefusedException;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunView;
import dev.ferry.security.AccountService;
import dev.ferry.security.AccountView;
import dev.ferry.security.CurrentUser;
import dev.ferry.security.Role;
import dev.ferry.security.SystemActor;
import dev.ferry.window.ScheduledApply;
import dev.ferry.window.ScheduledApplyChanged;
import dev.ferry.window.WindowService;
import dev.ferry.window.WindowView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/** The apply windows and the scheduled applies, in Ferry's store. */
@Service
class StoredWindows implements WindowService {

	private static final Logger log = LoggerFactory.getLogger(StoredWindows.class);

	private static final String COLUMNS = "id, plan, phase, plan_version, requested_by, requested_at, starts_at, state, "
			+ "run_id, detail, ended_at";

	private final JdbcClient store;

	private final PlanService plans;

	private final PhaseLifecycle lifecycle;

	private final RunService runs;

	private final AccountService accounts;

	private final ApplyWindows windows;

	private final Clock clock;

	private final TransactionTemplate transactions;

	private final ApplicationEventPublisher events;

	StoredWindows(JdbcClient store, PlanService plans, PhaseLifecycle lifecycle, RunService runs,
			AccountService accounts, ApplyWindows windows, Clock clock, PlatformTransactionManager transactions,
			ApplicationEventPublisher events) {
		this.events = events;
		this.store = store;
		this.plans = plans;
		this.lifecycle = lifecycle;
		this.runs = runs;
		this.accounts = accounts;
		this.windows = windows;
		this.clock = clock;
		this.transactions = new TransactionTemplate(transactions);
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public Optional<WindowView> window(String plan) {
		WindowSpec window = this.plans.latest(plan).spec().window();
		if (window == null) {
			return Optional.empty();
		}
		Instant now = this.clock.instant();
		WindowSpec.State state = window.at(now);
		Instant next = state.open() ? state.closes() : state.opens();
		return Optional.of(new WindowView(window.text(), state.open(), state.closes(), state.opens(),
				next == null ? null : ApplyWindows.at(next, window.zone()),
				next == null ? null : ApplyWindows.in(now, next)));
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public List<String> scheduleLocks(String plan, String phaseId) {
		PlanVersion version = this.plans.latest(plan);
		PhaseSpec phase = phase(version, phaseId);
		List<String> reasons = new ArrayList<>();
		WindowSpec window = version.spec().window();
		if (window == null) {
			reasons.add("Plan " + plan + " has no window: apply it when it may.");
			return reasons;
		}
		Optional<String> closed = this.windows.refusal(version);
		if (closed.isEmpty()) {
			reasons.add("The window of plan " + plan + " is open now: apply it now.");
		}
		if (phase instanceof SqlPhase sql && sql.irreversible()) {
			reasons.add("Phase " + phaseId + " is irreversible: apply it by hand inside the window, confirming it.");
		}
		waiting(plan, phaseId).ifPresent(scheduled -> reasons.add("Phase " + phaseId + "'s apply is already scheduled "
				+ "for " + ApplyWindows.at(scheduled.startsAt(), window.zone()) + " (#" + scheduled.id() + ")."));
		for (String reason : this.lifecycle.refusals(plan, phaseId, Action.APPLY)) {
			if (closed.isEmpty() || !reason.equals(closed.get())) {
				reasons.add(reason);
			}
		}
		return reasons;
	}

	@Override
	@PreAuthorize("hasRole('OPERATOR')")
	@Transactional
	public ScheduledApply schedule(String plan, String phaseId) {
		phase(this.plans.latest(plan), phaseId);
		// one request at a time per phase (a double click schedules once): the phase's
		// lifecycle row, taken first as every transaction that changes a phase does
		this.lifecycle.hold(plan, phaseId);
		List<String> reasons = scheduleLocks(plan, phaseId);
		if (!reasons.isEmpty()) {
			throw new RefusedException("window.schedule.refused",
					"The apply of " + plan + "/" + phaseId + " cannot be scheduled: " + String.join(" ", reasons),
					reasons, plan, phaseId);
		}
		PlanVersion version = this.plans.latest(plan);
		Instant opens = version.spec().window().at(this.clock.instant()).opens();
		if (opens == null) {
			throw new RefusedException("window.schedule.never",
					"No window of plan " + plan + " opens in the next year: nothing to schedule for.", plan);
		}
		String by = CurrentUser.get().map(CurrentUser::username).orElseThrow();
		org.springframework.jdbc.support.GeneratedKeyHolder keys = new org.springframework.jdbc.support.GeneratedKeyHolder();
		this.store.sql(
				"INSERT INTO scheduled_applies (plan, phase, plan_version, requested_by, requested_at, starts_at, state) "
						+ "VALUES (?, ?, ?, ?, ?, ?, 'waiting')")
			.params(plan, phaseId, version.version(), by, Timestamp.from(this.clock.instant()), Timestamp.from(opens))
			.update(keys, "id");
		long id = keys.getKey().longValue();
		this.events.publishEvent(new ScheduledApplyChanged(id, plan, phaseId, "scheduled", by,
				"starts at " + ApplyWindows.at(opens, version.spec().window().zone()), this.clock.instant()));
		log.info("Apply of {}/{} scheduled by {} for {} (#{})", plan, phaseId, by, opens, id);
		return get(id);
	}

	@Override
	@PreAuthorize("hasRole('OPERATOR')")
	@Transactional
	public ScheduledApply cancel(long id) {
		ScheduledApply scheduled = get(id);
		String by = CurrentUser.get().map(CurrentUser::username).orElseThrow();
		int changed = this.store
			.sql("UPDATE scheduled_applies SET state = 'cancelled', detail = ?, ended_at = ? WHERE id = ? "
					+ "AND state = 'waiting'")
			.params("Cancelled by " + by + ".", Timestamp.from(this.clock.instant()), id)
			.update();
		if (changed == 0) {
			throw new RefusedException("window.cancel.ended", "Scheduled apply #" + id + " is " + scheduled.state()
					+ ", not waiting: there is nothing to cancel.", id, scheduled.state());
		}
		this.events.publishEvent(new ScheduledApplyChanged(id, scheduled.plan(), scheduled.phase(), "cancelled", by,
				null, this.clock.instant()));
		return get(id);
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public List<ScheduledApply> scheduled(String plan, int limit) {
		return this.store.sql("SELECT " + COLUMNS + " FROM scheduled_applies WHERE plan = ? ORDER BY id DESC LIMIT ?")
			.params(plan, Math.max(1, Math.min(limit, 100)))
			.query(StoredWindows::row)
			.list();
	}

	@Override
	@PreAuthorize("hasRole('ADMIN')")
	public int startDue() {
		List<Long> due = this.store
			.sql("SELECT id FROM scheduled_applies WHERE state = 'waiting' AND starts_at <= ? ORDER BY starts_at, id")
			.param(Timestamp.from(this.clock.instant()))
			.query(Long.class)
			.list();
		int started = 0;
		for (long id : due) {
			if (start(id)) {
				started++;
			}
		}
		return started;
	}

	/**
	 * Starts one due scheduled apply, as the operator who asked: the claim of the row and
	 * the apply's request commit together, so it starts once even with several instances;
	 * a refusal is kept with its reasons.
	 */
	private boolean start(long id) {
		ScheduledApply scheduled = get(id);
		try {
			AccountView account = this.accounts.get(scheduled.requestedBy());
			if (!account.enabled() || !account.hasRole(Role.OPERATOR) && !account.hasRole(Role.ADMIN)) {
				throw new RefusedException("window.start.account",
						scheduled.requestedBy()
								+ " may no longer apply: the account is disabled or has lost the operator role.",
						scheduled.requestedBy());
			}
			RunView run = this.transactions.execute(status -> {
				int claimed = this.store.sql(
						"UPDATE scheduled_applies SET state = 'started', ended_at = ? WHERE id = ? AND state = 'waiting'")
					.params(Timestamp.from(this.clock.instant()), id)
					.update();
				if (claimed == 0) {
					return null;
				}
				RunView apply = SystemActor.callOnBehalfOf(scheduled.requestedBy(), Role.OPERATOR,
						() -> this.runs.request(scheduled.plan(), scheduled.phase(), RunMode.APPLY));
				this.store.sql("UPDATE scheduled_applies SET run_id = ?, detail = ? WHERE id = ?")
					.params(apply.id(), "Started as apply #" + apply.id() + ".", id)
					.update();
				// the window opened with this apply: for notifications and the audit log
				this.events.publishEvent(new ScheduledApplyChanged(id, scheduled.plan(), scheduled.phase(), "started",
						scheduled.requestedBy(), "Started as apply #" + apply.id() + ".", this.clock.instant()));
				return apply;
			});
			if (run != null) {
				log.info("Scheduled apply #{} of {}/{} started as run #{}", id, scheduled.plan(), scheduled.phase(),
						run.id());
			}
			return run != null;
		}
		catch (RefusedException | NotFoundException ex) {
			String reasons = (ex instanceof RefusedException refused && !refused.getReasons().isEmpty())
					? String.join(" ", refused.getReasons()) : ex.getMessage();
			this.transactions.executeWithoutResult(status -> {
				int refused = this.store
					.sql("UPDATE scheduled_applies SET state = 'refused', detail = ?, ended_at = ? WHERE id = ? "
							+ "AND state = 'waiting'")
					.params(cut("The apply was refused when the window opened: " + reasons, 2000),
							Timestamp.from(this.clock.instant()), id)
					.update();
				if (refused > 0) {
					this.events.publishEvent(new ScheduledApplyChanged(id, scheduled.plan(), scheduled.phase(),
							"refused", SystemActor.NAME, cut(reasons, 1000), this.clock.instant()));
				}
			});
			log.warn("Scheduled apply #{} of {}/{} refused: {}", id, scheduled.plan(), scheduled.phase(), reasons);
			return false;
		}
	}

	private ScheduledApply get(long id) {
		return this.store.sql("SELECT " + COLUMNS + " FROM scheduled_applies WHERE id = ?")
			.param(id)
			.query(StoredWindows::row)
			.optional()
			.orElseThrow(() -> new NotFoundException("window.scheduled.notFound",
					"There is no scheduled apply #" + id + ".", id));
	}

	private Optional<ScheduledApply> waiting(String plan, String phase) {
		return this.store
			.sql("SELECT " + COLUMNS + " FROM scheduled_applies WHERE plan = ? AND phase = ? AND state = 'waiting'")
			.params(plan, phase)
			.query(StoredWindows::row)
			.optional();
	}

	private static PhaseSpec phase(PlanVersion version, String phaseId) {
		return version.spec()
			.phase(phaseId)
			.orElseThrow(() -> new NotFoundException("run.phaseNotFound",
					"Plan " + version.plan() + " has no phase " + phaseId + ".", version.plan(), phaseId));
	}

	private static ScheduledApply row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
		Long run = (rs.getObject(9) == null) ? null : rs.getLong(9);
		Timestamp ended = rs.getTimestamp(11);
		return new ScheduledApply(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5),
				rs.getTimestamp(6).toInstant(), rs.getTimestamp(7).toInstant(), rs.getString(8), run, rs.getString(10),
				ended == null ? null : ended.toInstant());
	}

	private static String cut(String text, int max) {
		return text.length() <= max ? text : text.substring(0, max - 1) + "…";
	}

}
