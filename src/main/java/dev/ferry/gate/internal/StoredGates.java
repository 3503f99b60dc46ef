package dev.ferry.gate.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import dev.ferry.gate.GateResult;
import dev.ferry.gate.GateService;
import dev.ferry.gate.Verification;
import dev.ferry.lifecycle.PhaseLifecycle;
import dev.ferry.lifecycle.PhaseStatus;
import dev.ferry.plan.PlanService;
import dev.ferry.plan.PlanVersion;
import dev.ferry.plan.SaveEffects;
import dev.ferry.plan.spec.GateSpec;
import dev.ferry.plan.spec.PhaseSpec;
import dev.ferry.plan.spec.VerifyPhase;
import dev.ferry.problem.NotFoundException;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Gate evaluations in Ferry's store (table {@code gate_evaluations}). Each evaluation is
 * its own transaction (it may follow a run's or a decision's commit), and values longer
 * than their columns are cut, never refused.
 */
@Service
@Order(3) // what a plan edit voids is told as: dry runs, approvals, gate results
class StoredGates implements GateService, SaveEffects.Counter {

	private final JdbcClient store;

	private final PlanService plans;

	private final GateChecks checks;

	private final Clock clock;

	/**
	 * The verify phases' verdicts (the verifier evaluates gates through this service).
	 */
	private final ObjectProvider<Verifier> verifications;

	private final PhaseLifecycle lifecycle;

	StoredGates(JdbcClient store, PlanService plans, GateChecks checks, Clock clock,
			ObjectProvider<Verifier> verifications, PhaseLifecycle lifecycle) {
		this.verifications = verifications;
		this.lifecycle = lifecycle;
		this.store = store;
		this.plans = plans;
		this.checks = checks;
		this.clock = clock;
	}

	@Override
	@PreAuthorize("hasRole('OPERATOR')")
	@Transactional(propagation = Propagation.REQUIRES_NEW)
	public List<GateResult> evaluate(String plan, String phase) {
		return evaluate(plan, phase, gate -> true);
	}

	/** Measures the phase's gates that {@code which} accepts; the others are left. */
	@PreAuthorize("hasRole('OPERATOR')")
	@Transactional(propagation = Propagation.REQUIRES_NEW)
	public List<GateResult> evaluate(String plan, String phase, Predicate<GateSpec> which) {
		return evaluate(this.plans.latest(plan), phase, which);
	}

	/**
	 * Measures the gates of a phase as a given version of the plan defines them (a verify
	 * phase checks an apply against the version that was applied).
	 */
	@PreAuthorize("hasRole('OPERATOR')")
	@Transactional(propagation = Propagation.REQUIRES_NEW)
	public List<GateResult> evaluate(PlanVersion version, String phase, Predicate<GateSpec> which) {
		return evaluate(version, phase, which, null);
	}

	/**
	 * Measures a verify phase's gates right after apply {@code afterApply}: a value the
	 * check does not take from a run of its own is recorded as measured after that apply,
	 * and stops counting once the apply no longer stands (see {@link #latest}).
	 */
	@PreAuthorize("hasRole('OPERATOR')")
	@Transactional(propagation = Propagation.REQUIRES_NEW)
	public List<GateResult> evaluate(PlanVersion version, String phase, Predicate<GateSpec> which, Long afterApply) {
		String plan = version.plan();
		PhaseSpec spec = phase(version, phase);
		List<GateResult> results = new ArrayList<>();
		for (String id : spec.gates()) {
			GateSpec gate = version.spec().gate(id).orElseThrow();
			if (!which.test(gate)) {
				continue;
			}
			GateChecks.Measured measured = this.checks.measure(version, spec, gate);
			Instant now = this.clock.instant();
			this.store.sql("""
					INSERT INTO gate_evaluations (plan, plan_version, phase, gate, check_name, level, measured,
					threshold, passed, detail, run_id, after_apply, measured_at)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
					""")
				.params(plan, version.version(), phase, id, gate.check().yamlName(), gate.level().yamlName(),
						cut(measured.value(), 2000), cut(measured.threshold(), 1000), measured.passed(),
						cut(measured.detail(), 4000), measured.runId(), afterApply, Timestamp.from(now))
				.update();
			results.add(new GateResult(id, gate.check().yamlName(), gate.level(), measured.value(),
					measured.threshold(), measured.passed(), measured.detail(), measured.runId(), now));
		}
		return results;
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public List<GateResult> latest(String plan, String phase) {
		PlanVersion version = this.plans.latest(plan);
		PhaseSpec spec = phase(version, phase);
		// what was measured since the phase (with its gates) is defined as it is now
		int since = Math.min(version.version(), this.lifecycle.status(plan, phase).definedIn());
		if (since <= 0) {
			since = version.version();
		}
		// a verify phase's results count while the apply they were measured after stands
		Set<Long> standing = (spec instanceof VerifyPhase) ? this.lifecycle.ofPlan(plan)
			.stream()
			.map(PhaseStatus::applyRun)
			.filter(Objects::nonNull)
			.collect(Collectors.toSet()) : null;
		List<GateResult> results = new ArrayList<>();
		for (String id : spec.gates()) {
			GateSpec gate = version.spec().gate(id).orElseThrow();
			results.add(this.store.sql("""
					SELECT measured, threshold, passed, detail, run_id, measured_at, after_apply FROM gate_evaluations
					WHERE plan = ? AND phase = ? AND gate = ? AND plan_version >= ? ORDER BY id DESC LIMIT 1
					""").params(plan, phase, id, since).query((rs, row) -> {
				GateResult result = new GateResult(id, gate.check().yamlName(), gate.level(), rs.getString(1),
						rs.getString(2), (Boolean) rs.getObject(3), rs.getString(4), (Long) rs.getObject(5),
						rs.getTimestamp(6).toInstant());
				Long afterApply = (Long) rs.getObject(7);
				return (standing == null || afterApply == null || standing.contains(afterApply)) ? result
						: voided(result, afterApply);
			})
				.optional()
				.orElseGet(() -> new GateResult(id, gate.check().yamlName(), gate.level(), null,
						GateThresholds.threshold(gate), null, null, null, null)));
		}
		return results;
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public Optional<Verification> verification(String plan, String phase) {
		return this.verifications.getObject().latest(plan, phase);
	}

	@Override
	public void count(PlanVersion current, List<String> phases, SaveEffects.Tally tally) {
		int measured = 0;
		for (String phase : phases) {
			if (current.spec().phase(phase).isPresent()) {
				measured += (int) latest(current.plan(), phase).stream().filter(gate -> gate.passed() != null).count();
			}
		}
		tally.add("gate result", "gate results", measured);
	}

	/**
	 * A verify gate's result measured after an apply that no longer stands (rolled back,
	 * or its rollback under way): not a measurement of the table as it is now.
	 */
	private static GateResult voided(GateResult result, long afterApply) {
		return new GateResult(result.id(), result.check(), result.level(), null, result.threshold(), null,
				(result.value() == null ? "Measured" : "Measured " + result.value()) + " after apply #" + afterApply
						+ ", which no longer stands; the next apply is verified anew.",
				result.measuredOnRun(), result.measuredAt());
	}

	private static PhaseSpec phase(PlanVersion version, String phase) {
		return version.spec()
			.phase(phase)
			.orElseThrow(() -> new NotFoundException("run.phaseNotFound",
					"Plan " + version.plan() + " has no phase " + phase + ".", version.plan(), phase));
	}

	/** Text cut to a column's length, marked with an ellipsis. */
	static String cut(String text, int length) {
		return (text == null || text.length() <= length) ? text : text.substring(0, length - 1) + "…";
	}

}
