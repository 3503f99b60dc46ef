package dev.ferry.lifecycle.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.ferry.lifecycle.Action;
import dev.ferry.lifecycle.ActionCondition;
import dev.ferry.lifecycle.Outcome;
import dev.ferry.lifecycle.PhaseLifecycle;
import dev.ferry.lifecycle.PhaseState;
import dev.ferry.lifecycle.PhaseStatus;
import dev.ferry.lifecycle.PhaseTransitioned;
import dev.ferry.lifecycle.Step;
import dev.ferry.plan.PlanSaved;
import dev.ferry.plan.PlanService;
import dev.ferry.plan.PlanVersion;
import dev.ferry.plan.SaveEffects;
import dev.ferry.plan.spec.PhaseSpec;
import dev.ferry.problem.NotFoundException;
import dev.ferry.problem.RefusedException;
import dev.ferry.security.CurrentUser;
import dev.ferry.security.SystemActor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The lifecycle in Ferry's store (tables {@code phase_states},
 * {@code phase_transitions}). A transition locks its phase's row
 * ({@code SELECT ... FOR UPDATE}), checks the action with {@link Rules} and the
 * {@link ActionCondition}s, writes the new state and its history row and publishes
 * {@link PhaseTransitioned} (which the audit log records), all in the caller's
 * transaction.
 */
@Service
@Order(1) // what a plan edit voids is told as: dry runs, approvals, gate results
class StoredLifecycle implements PhaseLifecycle, SaveEffects.Counter {

	private static final Logger log = LoggerFactory.getLogger(StoredLifecycle.class);

	private static final String COLUMNS = "plan, phase, state, failed_step, defined_in, dry_run, approved_sha256, apply_run, "
			+ "active_run, last_run, verified_apply, detail, changed_at";

	private final JdbcClient store;

	private final PlanService plans;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	/**
	 * Looked up when asked: the conditions' modules (runs, gates, approvals) depend on
	 * this one.
	 */
	private final ObjectProvider<ActionCondition> conditions;

	StoredLifecycle(JdbcClient store, PlanService plans, Clock clock, ApplicationEventPublisher events,
			ObjectProvider<ActionCondition> conditions) {
		this.store = store;
		this.plans = plans;
		this.clock = clock;
		this.events = events;
		this.conditions = conditions;
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public PhaseStatus status(String plan, String phase) {
		return read(plan, phase, false);
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public List<PhaseStatus> ofPlan(String plan) {
		PlanVersion version = this.plans.latest(plan);
		List<PhaseStatus> all = new ArrayList<>();
		for (PhaseSpec phase : version.spec().phases()) {
			all.add(read(plan, phase.id(), false));
		}
		return all;
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public List<String> refusals(String plan, String phase, Action action) {
		PlanVersion version = this.plans.latest(plan);
		return reasons(version, spec(version, phase), read(plan, phase, false), action, false);
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public Optional<PhaseStatus> newestStandingApply(String plan) {
		return newest(plan);
	}

	@Override
	@Transactional
	public void require(String plan, String phase, Action action) {
		PlanVersion version = this.plans.latest(plan);
		PhaseSpec spec = spec(version, phase);
		refuseUnless(reasons(version, spec, read(plan, phase, true), action, true), phase, action);
	}

	@Override
	@Transactional
	public void hold(String plan, String phase) {
		read(plan, phase, true);
	}

	@Override
	@Transactional
	public void dryRunRequested(String plan, String phase, int version, long runId) {
		PlanVersion latest = this.plans.latest(plan);
		PhaseStatus status = read(plan, phase, true);
		refuseUnless(reasons(latest, spec(latest, phase), status, Action.DRY_RUN, true), phase, Action.DRY_RUN);
		write(status, PhaseState.DRY_RUNNING, null, status.definedIn(), null, status.applyRun(), runId, runId,
				status.verifiedApply(), "Dry run #" + runId + " requested.", "dry-run-requested", runId);
	}

	@Override
	@Transactional
	public void applyRequested(String plan, String phase, long runId) {
		PlanVersion latest = this.plans.latest(plan);
		PhaseStatus status = read(plan, phase, true);
		refuseUnless(reasons(latest, spec(latest, phase), status, Action.APPLY, true), phase, Action.APPLY);
		write(status, PhaseState.APPLYING, null, status.definedIn(), status.dryRun(), null, runId, runId, null,
				"Apply #" + runId + " requested; it spends the approval of dry run #" + status.dryRun() + ".",
				"apply-requested", runId);
	}

	@Override
	@Transactional
	public void rollbackRequested(String plan, String phase, long runId, long applyRun) {
		PlanVersion latest = this.plans.latest(plan);
		PhaseStatus status = read(plan, phase, true);
		List<String> reasons = new ArrayList<>();
		if (status.applyRun() == null || status.applyRun() != applyRun) {
			reasons.add("Run #" + applyRun + " is not an apply of phase " + phase + " that stands"
					+ (status.applyRun() != null ? " (apply #" + status.applyRun() + " is)" : "")
					+ ", so there is nothing of it to roll back.");
		}
		else {
			PhaseSpec spec = latest.spec().phase(phase).orElse(null);
			reasons.addAll((spec == null) ? Rules.rollback(status, newest(plan).orElse(null), null)
					: reasons(latest, spec, status, Action.ROLLBACK, true));
		}
		refuseUnless(reasons, phase, Action.ROLLBACK);
		write(status, PhaseState.ROLLING_BACK, null, status.definedIn(), status.dryRun(), status.applyRun(), runId,
				runId, null, "Rollback #" + runId + " of apply #" + applyRun + " requested.", "rollback-requested",
				runId);
	}

	@Override
	@Transactional
	public void runEnded(String plan, String phase, long runId, int version, Step step, Outcome outcome, boolean wrote,
			String detail) {
		PhaseStatus status = read(plan, phase, true);
		if (status.activeRun() == null || status.activeRun() != runId) {
			log.warn("Run #{} of {}/{} ended {}, but the phase's active run is {}: its state stays {}", runId, plan,
					phase, outcome, status.activeRun(), status.code());
			return;
		}
		String event = step.code() + "-" + outcome.name().toLowerCase(java.util.Locale.ROOT);
		switch (step) {
			case DRY_RUN -> {
				if (outcome == Outcome.SUCCEEDED && version >= status.definedIn()) {
					write(status, PhaseState.DRY_RUN_READY, null, status.definedIn(), runId, status.applyRun(), null,
							runId, null, "Dry run #" + runId + " succeeded: " + nextStep(plan, phase), event, runId);
				}
				else if (outcome == Outcome.SUCCEEDED) {
					write(status, PhaseState.NOT_RUN, null, status.definedIn(), null, status.applyRun(), null, runId,
							null, "Dry run #" + runId + " ran on version " + version + "; version " + status.definedIn()
									+ " changed the phase since: run a new one.",
							event, runId);
				}
				else if (outcome == Outcome.FAILED) {
					write(status, PhaseState.FAILED, Step.DRY_RUN, status.definedIn(), null, status.applyRun(), null,
							runId, null, "Dry run #" + runId + " failed" + (detail != null ? ": " + detail : "."),
							event, runId);
				}
				else {
					write(status, PhaseState.NOT_RUN, null, status.definedIn(), null, status.applyRun(), null, runId,
							null, "Dry run #" + runId + " was cancelled.", event, runId);
				}
			}
			case APPLY -> {
				if (outcome == Outcome.SUCCEEDED) {
					List<String> verifiers = verifiers(plan, phase);
					write(status, verifiers.isEmpty() ? PhaseState.APPLIED : PhaseState.VERIFYING, null,
							status.definedIn(), status.dryRun(), runId, null, runId, null,
							"Apply #" + runId + " succeeded"
									+ (verifiers.isEmpty() ? "." : "; " + String.join(", ", verifiers) + " verify it."),
							event, runId);
					for (String verifier : verifiers) {
						PhaseStatus verify = read(plan, verifier, true);
						write(verify, PhaseState.VERIFYING, null, verify.definedIn(), null, null, null,
								verify.lastRun(), runId, "Verifying apply #" + runId + " of phase " + phase + ".",
								"verify-pending", runId);
					}
				}
				else {
					String what = (outcome == Outcome.CANCELLED) ? "was cancelled" : "failed";
					write(status, PhaseState.FAILED, Step.APPLY, status.definedIn(), status.dryRun(),
							wrote ? Long.valueOf(runId) : null, null, runId, null,
							"Apply #" + runId + " " + what
									+ (wrote ? " after committing part of its batches, which stand: roll it back."
											: " and wrote nothing.")
									+ (detail != null ? " " + detail : ""),
							event, runId);
				}
			}
			case ROLLBACK -> {
				if (outcome == Outcome.SUCCEEDED) {
					Long undone = status.applyRun();
					write(status, PhaseState.ROLLED_BACK, null, status.definedIn(), status.dryRun(), null, null, runId,
							null, "Rollback #" + runId + " undid apply #" + undone + ".", event, runId);
					voidVerdicts(plan, undone, runId);
				}
				else {
					write(status, PhaseState.FAILED, Step.ROLLBACK, status.definedIn(), status.dryRun(),
							status.applyRun(), null, runId, null,
							"Rollback #" + runId + " " + (outcome == Outcome.CANCELLED ? "was cancelled" : "failed")
									+ "; apply #" + status.applyRun() + " still stands"
									+ (detail != null ? ": " + detail : "."),
							event, runId);
				}
			}
			default -> throw new IllegalArgumentException("A run does not " + step.code());
		}
	}

	/** After a rollback: the verdicts on the undone apply no longer hold. */
	private void voidVerdicts(String plan, Long undone, long rollback) {
		if (undone == null) {
			return;
		}
		List<String> verifiers = this.store
			.sql("SELECT phase FROM phase_states WHERE plan = ? AND verified_apply = ? ORDER BY phase")
			.params(plan, undone)
			.query(String.class)
			.list();
		for (String verifier : verifiers) {
			PhaseStatus verify = read(plan, verifier, true);
			write(verify, PhaseState.NOT_RUN, null, verify.definedIn(), null, null, null, verify.lastRun(), null,
					"The verdict on apply #" + undone + " is void: rollback #" + rollback + " undid it.",
					"verdict-voided", rollback);
		}
	}

	@Override
	@Transactional
	public void approvalsComplete(String plan, String phase, long dryRun, String sha256) {
		PhaseStatus status = read(plan, phase, true);
		if (status.state() == PhaseState.DRY_RUN_READY && status.dryRun() != null && status.dryRun() == dryRun) {
			write(status, PhaseState.APPROVED, null, status.definedIn(), dryRun, status.applyRun(), null,
					status.lastRun(), null, "Dry run #" + dryRun + " has every approval it needs.", "approved", dryRun);
			this.store.sql("UPDATE phase_states SET approved_sha256 = ? WHERE plan = ? AND phase = ?")
				.params(sha256, plan, phase)
				.update();
		}
	}

	@Override
	@Transactional
	public void approvalsVoided(String plan, String phase, String why) {
		PhaseStatus status = read(plan, phase, true);
		if (status.state() == PhaseState.APPROVED) {
			write(status, PhaseState.DRY_RUN_READY, null, status.definedIn(), status.dryRun(), status.applyRun(), null,
					status.lastRun(), null, "The approvals of dry run #" + status.dryRun() + " are void: " + why + ".",
					"approvals-voided", status.dryRun());
		}
	}

	@Override
	@Transactional
	public void verified(String plan, String verifyPhase, String appliedPhase, long applyRun, boolean passed,
			String detail) {
		PhaseStatus applied = read(plan, appliedPhase, true);
		if (applied.applyRun() == null || applied.applyRun() != applyRun) {
			log.info("Verify phase {} of {}: apply #{} no longer stands; its verdict is not kept", verifyPhase, plan,
					applyRun);
			return;
		}
		PhaseStatus verify = read(plan, verifyPhase, true);
		write(verify, passed ? PhaseState.VERIFIED : PhaseState.VERIFY_FAILED, null, verify.definedIn(), null, null,
				null, verify.lastRun(), applyRun,
				(passed ? "Apply #" + applyRun + " passed." : "Apply #" + applyRun + " failed: " + detail),
				passed ? "verify-passed" : "verify-failed", applyRun);
		PhaseState overall = PhaseState.VERIFIED;
		for (String verifier : verifiers(plan, appliedPhase)) {
			PhaseStatus other = read(plan, verifier, false);
			boolean onThis = other.verifiedApply() != null && other.verifiedApply() == applyRun;
			if (onThis && other.state() == PhaseState.VERIFY_FAILED) {
				overall = PhaseState.VERIFY_FAILED;
				break;
			}
			if (!onThis || other.state() != PhaseState.VERIFIED) {
				overall = PhaseState.VERIFYING;
			}
		}
		if (overall != applied.state()) {
			write(applied, overall, null, applied.definedIn(), applied.dryRun(), applied.applyRun(),
					applied.activeRun(), applied.lastRun(), null,
					(overall == PhaseState.VERIFIED) ? "Apply #" + applyRun + " passed its verification."
							: (overall == PhaseState.VERIFY_FAILED)
									? "Apply #" + applyRun + " failed verify phase " + verifyPhase + "."
									: applied.detail(),
					(overall == PhaseState.VERIFIED) ? "apply-verified"
							: (overall == PhaseState.VERIFY_FAILED) ? "apply-verify-failed" : "verify-pending",
					applyRun);
		}
	}

	@Override
	@Transactional(readOnly = true)
	public List<String> verifiersOf(String plan, String phase) {
		return verifiers(plan, phase);
	}

	private List<String> verifiers(String plan, String phase) {
		List<PhaseSpec> phases = this.plans.latest(plan).spec().phases();
		List<String> verifiers = new ArrayList<>();
		for (int i = 0; i < phases.size(); i++) {
			if (phases.get(i).id().equals(phase)) {
				for (int j = i + 1; j < phases.size() && phases.get(j).kind() == PhaseSpec.Kind.VERIFY; j++) {
					verifiers.add(phases.get(j).id());
				}
			}
		}
		return verifiers;
	}

	/**
	 * A new version: the phases it changes (with those after them) lose their dry runs,
	 * approvals, gate results and verdicts; an apply that stands keeps standing. The
	 * other phases keep their state.
	 */
	@EventListener
	@Order(Ordered.HIGHEST_PRECEDENCE) // the phases' rows before the audit log's head
	void planSaved(PlanSaved saved) {
		for (String phase : saved.changedPhases()) {
			PhaseStatus status = read(saved.plan(), phase, true);
			boolean verdict = status.verifiedApply() != null
					&& (status.state() == PhaseState.VERIFIED || status.state() == PhaseState.VERIFY_FAILED);
			boolean voids = status.reviewable() || verdict
					|| (status.state() == PhaseState.FAILED && status.failedStep() == Step.DRY_RUN);
			String detail = voids ? "Version " + saved.version() + " changed the phase: " + (status.dryRun() != null
					? "dry run #" + status.dryRun() + " and its approvals are void." : "what was measured is void.")
					: status.detail();
			write(status, voids ? PhaseState.NOT_RUN : status.state(), voids ? null : status.failedStep(),
					saved.version(), voids ? null : status.dryRun(), status.applyRun(), status.activeRun(),
					status.lastRun(), voids ? null : status.verifiedApply(), detail, "plan-changed", null);
		}
	}

	@Override
	public void count(PlanVersion current, List<String> phases, SaveEffects.Tally tally) {
		int dryRuns = 0;
		int verdicts = 0;
		for (String phase : phases) {
			PhaseStatus status = read(current.plan(), phase, false);
			if (status.reviewable()) {
				dryRuns++;
			}
			if (status.verifiedApply() != null
					&& (status.state() == PhaseState.VERIFIED || status.state() == PhaseState.VERIFY_FAILED)) {
				verdicts++;
			}
		}
		tally.add("dry run", "dry runs", dryRuns);
		tally.add("verdict", "verdicts", verdicts);
	}

	private List<String> reasons(PlanVersion version, PhaseSpec phase, PhaseStatus status, Action action,
			boolean measure) {
		List<String> reasons = switch (action) {
			case DRY_RUN -> Rules.dryRun(status, phase, version, (id) -> read(version.plan(), id, false));
			case APPROVE -> Rules.approve(status, phase);
			case APPLY -> Rules.apply(status, phase, version, (id) -> read(version.plan(), id, false));
			case ROLLBACK -> Rules.rollback(status, newest(version.plan()).orElse(null), phase);
			case DECIDE -> Rules.decide(status);
		};
		if (!reasons.isEmpty()) {
			return reasons;
		}
		List<String> all = new ArrayList<>();
		for (ActionCondition condition : this.conditions.orderedStream().toList()) {
			all.addAll(condition.refusals(status, version, phase, action, measure));
		}
		return List.copyOf(all);
	}

	private static void refuseUnless(List<String> reasons, String phase, Action action) {
		if (reasons.isEmpty()) {
			return;
		}
		String all = String.join(" ", reasons);
		if (action == Action.APPLY) {
			throw new RefusedException("run.applyLocked", "Apply of phase " + phase + " is locked: " + all, reasons,
					phase, all);
		}
		throw new RefusedException("lifecycle.refused", all, reasons, all);
	}

	private Optional<PhaseStatus> newest(String plan) {
		return this.store
			.sql("SELECT " + COLUMNS + " FROM phase_states WHERE plan = ? AND apply_run IS NOT NULL"
					+ " ORDER BY apply_run DESC LIMIT 1")
			.param(plan)
			.query(StoredLifecycle::status)
			.optional();
	}

	/**
	 * The phase's row; with {@code lock}, locked for the rest of the transaction, and
	 * made first when there is none.
	 */
	private PhaseStatus read(String plan, String phase, boolean lock) {
		String sql = "SELECT " + COLUMNS + " FROM phase_states WHERE plan = ? AND phase = ?"
				+ (lock ? " FOR UPDATE" : "");
		Optional<PhaseStatus> row = this.store.sql(sql).params(plan, phase).query(StoredLifecycle::status).optional();
		if (row.isPresent() || !lock) {
			return row.orElseGet(() -> new PhaseStatus(plan, phase, PhaseState.NOT_RUN, null, 0, null, null, null, null,
					null, null, null, null));
		}
		// made at the same moment by another transaction: that one's row is locked
		// instead
		// (a failed insert would abort the whole transaction on PostgreSQL)
		this.store
			.sql("INSERT INTO phase_states (plan, phase, state, defined_in, changed_at) VALUES (?, ?, ?, ?, ?)"
					+ " ON CONFLICT DO NOTHING")
			.params(plan, phase, PhaseState.NOT_RUN.code(), 0, Timestamp.from(this.clock.instant()))
			.update();
		return this.store.sql(sql).params(plan, phase).query(StoredLifecycle::status).single();
	}

	private static PhaseStatus status(ResultSet rs, int row) throws SQLException {
		Timestamp changed = rs.getTimestamp(13);
		return new PhaseStatus(rs.getString(1), rs.getString(2), PhaseState.of(rs.getString(3)),
				rs.getString(4) == null ? null : Step.of(rs.getString(4)), rs.getInt(5), (Long) rs.getObject(6),
				rs.getString(7), (Long) rs.getObject(8), (Long) rs.getObject(9), (Long) rs.getObject(10),
				(Long) rs.getObject(11), rs.getString(12), changed == null ? null : changed.toInstant());
	}

	private void write(PhaseStatus from, PhaseState to, Step failedStep, int definedIn, Long dryRun, Long applyRun,
			Long activeRun, Long lastRun, Long verifiedApply, String detail, String event, Long runId) {
		if (!Transitions.allowed(from.state(), event, to)) {
			throw new IllegalStateException("Phase " + from.plan() + "/" + from.phase() + ": " + from.code() + " -> "
					+ to.code() + " on " + event + " is not a transition of the lifecycle.");
		}
		Instant now = this.clock.instant();
		String text = cut(detail, 1000);
		// what the approvals named stays with the dry run they approved, until it is
		// applied
		String approved = (to == PhaseState.APPROVED || to == PhaseState.APPLYING) ? from.approvedSha256() : null;
		this.store.sql("""
				UPDATE phase_states SET state = ?, failed_step = ?, defined_in = ?, dry_run = ?, approved_sha256 = ?,
				apply_run = ?, active_run = ?, last_run = ?, verified_apply = ?, detail = ?, changed_at = ?
				WHERE plan = ? AND phase = ?
				""")
			.params(to.code(), failedStep == null ? null : failedStep.code(), definedIn, dryRun, approved, applyRun,
					activeRun, lastRun, verifiedApply, text, Timestamp.from(now), from.plan(), from.phase())
			.update();
		String actor = CurrentUser.get().map(CurrentUser::username).orElse(SystemActor.NAME);
		this.store.sql("""
				INSERT INTO phase_transitions (plan, phase, from_state, to_state, event, run_id, actor, detail, at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
				""")
			.params(from.plan(), from.phase(), from.state().code(), to.code(), event, runId, actor, text,
					Timestamp.from(now))
			.update();
		log.info("Phase {}/{}: {} -> {} ({}{})", from.plan(), from.phase(), from.code(), to.code(), event,
				runId != null ? " #" + runId : "");
		this.events.publishEvent(
				new PhaseTransitioned(from.plan(), from.phase(), from.state(), to, event, runId, actor, text));
	}

	private static String cut(String text, int length) {
		return (text == null || text.length() <= length) ? text : text.substring(0, length - 1) + "…";
	}

	/**
	 * What a succeeded dry run asks for next: a review and an approval, unless the phase
	 * has no apply (a preflight only measures).
	 */
	private String nextStep(String plan, String phase) {
		PhaseSpec spec = this.plans.latest(plan).spec().phase(phase).orElse(null);
		if (spec != null && spec.kind() == PhaseSpec.Kind.SNAPSHOT) {
			return "its copies are kept in Ferry's data directory, each equal to its live table.";
		}
		return (spec != null && spec.kind() == PhaseSpec.Kind.PREFLIGHT)
				? "its measurements are the baseline the gates compare with." : "review it, then approve it.";
	}

	private static PhaseSpec spec(PlanVersion version, String phase) {
		return version.spec()
			.phase(phase)
			.orElseThrow(() -> new NotFoundException("run.phaseNotFound",
					"Plan " + version.plan() + " has no phase " + phase + ".", version.plan(), phase));
	}

}
