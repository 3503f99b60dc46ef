package dev.ferry.gate.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.ferry.gate.VerifyFailed;
import dev.ferry.gate.GateResult;
import dev.ferry.gate.Verification;
import dev.ferry.lifecycle.Action;
import dev.ferry.lifecycle.PhaseLifecycle;
import dev.ferry.lifecycle.PhaseStatus;
import dev.ferry.plan.PlanService;
import dev.ferry.plan.PlanVersion;
import dev.ferry.plan.spec.PhaseSpec;
import dev.ferry.plan.spec.VerifyPhase;
import dev.ferry.run.RunEnded;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;

/**
 * Verify phases: after an apply succeeds, each verify phase right after the applied one
 * evaluates its gates and keeps its verdict (table {@code verifications}). When one fails
 * with {@code on-fail: rollback}, the plan's applies are rolled back newest first, one
 * rollback after the other (each starts when the one before it has succeeded); a rollback
 * that fails or is refused stops the chain, and the verdict says why.
 */
@Component
class Verifier {

	private static final Logger log = LoggerFactory.getLogger(Verifier.class);

	private final StoredGates gates;

	private final PlanService plans;

	private final RunService runs;

	private final JdbcClient store;

	private final Clock clock;

	private final PhaseLifecycle lifecycle;

	private final org.springframework.context.ApplicationEventPublisher events;

	Verifier(StoredGates gates, PlanService plans, RunService runs, JdbcClient store, Clock clock,
			PhaseLifecycle lifecycle, org.springframework.context.ApplicationEventPublisher events) {
		this.events = events;
		this.lifecycle = lifecycle;
		this.gates = gates;
		this.plans = plans;
		this.runs = runs;
		this.store = store;
		this.clock = clock;
	}

	/**
	 * After an apply succeeded: verifies with the verify phases that follow its phase.
	 */
	void afterApply(RunEnded apply) {
		// the verify phases and gates of the version that was applied
		PlanVersion version = this.plans.version(apply.plan(), apply.planVersion());
		List<PhaseSpec> phases = version.spec().phases();
		int applied = -1;
		for (int i = 0; i < phases.size(); i++) {
			if (phases.get(i).id().equals(apply.phase())) {
				applied = i;
			}
		}
		for (int i = applied + 1; applied >= 0 && i < phases.size() && phases.get(i) instanceof VerifyPhase; i++) {
			verify(version, (VerifyPhase) phases.get(i), apply.phase(), apply.runId());
		}
	}

	private void verify(PlanVersion version, VerifyPhase phase, String appliedPhase, long applyRun) {
		PhaseStatus applied = this.lifecycle.status(version.plan(), appliedPhase);
		if (applied.applyRun() == null || applied.applyRun() != applyRun) {
			log.info("Verify phase {} of {}: apply #{} no longer stands, nothing to verify", phase.id(), version.plan(),
					applyRun);
			return;
		}
		long made = this.store
			.sql("SELECT count(*) FROM verifications WHERE plan = ? AND phase = ? AND after_apply = ?")
			.params(version.plan(), phase.id(), applyRun)
			.query(Long.class)
			.single();
		if (made > 0) {
			// the event came again after a restart, but this verify was made and kept
			log.info("Verify phase {} of {} has verified apply #{} already", phase.id(), version.plan(), applyRun);
			return;
		}
		List<GateResult> results = this.gates.evaluate(version, phase.id(), gate -> true, applyRun);
		List<String> failed = new ArrayList<>();
		for (GateResult gate : results) {
			if (gate.blocks()) {
				failed.add(gate.id() + ": " + (gate.value() != null ? gate.value() : "not measured") + ", needs "
						+ gate.threshold() + (gate.detail() != null ? " (" + gate.detail() + ")" : ""));
			}
		}
		boolean passed = failed.isEmpty();
		boolean rollsBack = !passed && phase.onFail() == VerifyPhase.OnFail.ROLLBACK;
		String detail = passed ? null : StoredGates.cut(String.join("; ", failed), 4000);
		GeneratedKeyHolder keys = new GeneratedKeyHolder();
		this.store.sql("""
				INSERT INTO verifications (plan, plan_version, phase, after_apply, passed, on_fail, detail, verified_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)
				""")
			.params(version.plan(), version.version(), phase.id(), applyRun, passed, phase.onFail().yamlName(), detail,
					Timestamp.from(this.clock.instant()))
			.update(keys, "id");
		long id = keys.getKeyAs(Number.class).longValue();
		log.info("Verify phase {} of {} after apply #{}: {}", phase.id(), version.plan(), applyRun,
				passed ? "passed" : "failed: " + detail);
		this.lifecycle.verified(version.plan(), phase.id(), appliedPhase, applyRun, passed, detail);
		if (!passed) {
			this.events.publishEvent(new VerifyFailed(version.plan(), phase.id(), applyRun, detail, rollsBack));
		}
		if (rollsBack) {
			rollNext(id, version.plan());
		}
	}

	/** After a rollback ended: the next one of a verdict's chain, or its end. */
	void afterRollback(RunEnded rollback) {
		Optional<Long> verification = this.store.sql("SELECT id FROM verifications WHERE rollback_run = ?")
			.param(rollback.runId())
			.query(Long.class)
			.optional();
		if (verification.isEmpty()) {
			return;
		}
		if (rollback.state() != RunState.SUCCEEDED) {
			finish(verification.get(), "Rollback #" + rollback.runId() + " " + rollback.state().code()
					+ ": the applies before it were not rolled back.");
			return;
		}
		this.store.sql("UPDATE verifications SET rolled_back = rolled_back + 1, rollback_run = NULL WHERE id = ?")
			.param(verification.get())
			.update();
		rollNext(verification.get(), rollback.plan());
	}

	/**
	 * Starts the rollback of the plan's newest apply that stands, or ends the chain; in
	 * the caller's transaction, with the verdict's record of it, so the step and its
	 * record commit together.
	 */
	private void rollNext(long verification, String plan) {
		Optional<PhaseStatus> newest = this.lifecycle.newestStandingApply(plan);
		if (newest.isEmpty()) {
			finish(verification, "done");
			return;
		}
		long apply = newest.get().applyRun();
		// asked first: a refusal thrown inside this transaction would roll the verdict
		// back
		List<String> refusals = this.lifecycle.refusals(plan, newest.get().phase(), Action.ROLLBACK);
		if (!refusals.isEmpty()) {
			finish(verification, "The rollback of apply #" + apply + " was refused: " + String.join(" ", refusals));
			return;
		}
		RunView rollback = this.runs.rollback(apply);
		this.store.sql("UPDATE verifications SET rollback_run = ? WHERE id = ?")
			.params(rollback.id(), verification)
			.update();
	}

	private void finish(long verification, String outcome) {
		this.store.sql("UPDATE verifications SET rollback_outcome = ?, rollback_run = NULL WHERE id = ?")
			.params(StoredGates.cut(outcome, 1000), verification)
			.update();
	}

	Optional<Verification> latest(String plan, String phase) {
		return this.store.sql("""
				SELECT phase, after_apply, passed, on_fail, detail, rollback_run, rollback_outcome, rolled_back,
				verified_at FROM verifications WHERE plan = ? AND phase = ? ORDER BY id DESC LIMIT 1
				""")
			.params(plan, phase)
			.query((rs, row) -> new Verification(rs.getString(1), rs.getLong(2), rs.getBoolean(3),
					"rollback".equals(rs.getString(4)), rs.getString(5), (Long) rs.getObject(6), rs.getString(7),
					rs.getInt(8), rs.getTimestamp(9).toInstant()))
			.optional();
	}

}
