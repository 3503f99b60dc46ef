package dev.ferry.gate.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import dev.ferry.gate.GateResult;
import dev.ferry.gate.GateService;
import dev.ferry.gate.Verification;
import dev.ferry.lifecycle.PhaseLifecycle;
import dev.ferry.plan.PlanService;
import dev.ferry.plan.PlanVersion;
import dev.ferry.plan.SaveEffects;
import dev.ferry.plan.spec.GateSpec;
import dev.ferry.plan.spec.PhaseSpec;
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
					threshold, passed, detail, run_id, measured_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
					""")
				.params(plan, version.version(), phase, id, gate.check().yamlName(), gate.level().yamlName(),
						cut(measured.value(), 2000), cut(measured.threshold(), 1000), measured.passed(),
						cut(measured.detail(), 4000), measured.runId(), Timestamp.from(now))
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
		List<GateResult> results = new ArrayList<>();
		for (String id : spec.gates()) {
			GateSpec gate = version.spec().gate(id).orElseThrow();
			results.add(this.store.sql("""
					SELECT measured, threshold, passed, detail, run_id, measured_at FROM gate_evaluations
					WHERE plan = ? AND phase = ? AND gate = ? AND plan_version >= ? ORDER BY id DESC LIMIT 1
					""")
				.params(plan, phase, id, since)
				.query((rs, row) -> new GateResult(id, gate.check().yamlName(), gate.level(), rs.getString(1),
						rs.getString(2), (Boolean) rs.getObject(3), rs.getString(4), (Long) rs.getObject(5),
						rs.getTimestamp(6).toInstant()))
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
