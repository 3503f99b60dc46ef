package dev.ferry.gate.internal;

import java.util.Set;

import dev.ferry.gate.DryRunChecked;
import dev.ferry.mapping.DecisionsChanged;
import dev.ferry.plan.PlanService;
import dev.ferry.plan.spec.GateSpec;
import dev.ferry.plan.spec.PhaseSpec;
import dev.ferry.plan.spec.PreflightPhase;
import dev.ferry.plan.spec.SnapshotPhase;
import dev.ferry.run.RunEnded;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunState;
import dev.ferry.security.SystemActor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Evaluates gates when what they measure changes: every gate of a phase after its dry run
 * succeeds (after a preflight, also every {@code query-unchanged} gate of the plan, whose
 * baseline it took; after a snapshot, every {@code snapshot-fresh} gate), a mapping
 * phase's coverage and open-items gates after its decisions change, and the verify phases
 * after the apply before them (and goes on with a rollback chain they started when a
 * rollback ends). It runs after the commit, as the system, in a transaction of its own.
 * <p>
 * These are durable: Spring Modulith's event publication registry writes each event with
 * its listener into {@code event_publication} in the transaction that publishes it, and
 * marks it completed when the listener's transaction commits; a publication left
 * incomplete by a crash is published again when Ferry starts. So a verify runs after
 * every apply, and each step of a rollback chain follows the one before it, whenever
 * Ferry stops. The listeners are idempotent (a verify already made for an apply is not
 * made again). A failed gate evaluation after a dry run or a decision is logged and
 * leaves the gates as they were; a failed verify or rollback step stays incomplete and is
 * tried again at the next start.
 */
@Component
class GateTriggers {

	private static final Logger log = LoggerFactory.getLogger(GateTriggers.class);

	private static final Set<GateSpec.Check> DECISION_CHECKS = Set.of(GateSpec.Check.MAPPING_COVERAGE,
			GateSpec.Check.MAPPING_OPEN);

	private final StoredGates gates;

	private final PlanService plans;

	private final Verifier verifier;

	private final GateLocks locks;

	private final ApplicationEventPublisher events;

	GateTriggers(StoredGates gates, PlanService plans, Verifier verifier, GateLocks locks,
			ApplicationEventPublisher events) {
		this.gates = gates;
		this.plans = plans;
		this.verifier = verifier;
		this.locks = locks;
		this.events = events;
	}

	/**
	 * Verify after an apply, and the next step of a rollback chain after a rollback: on a
	 * worker thread of their own once the run's transaction has committed, in a
	 * transaction of their own, completed in the registry only when that commits.
	 */
	@ApplicationModuleListener
	void verifyAfterRun(RunEnded run) {
		if (run.mode() == RunMode.APPLY && run.state() == RunState.SUCCEEDED) {
			SystemActor.run(() -> this.verifier.afterApply(run));
		}
		else if (run.mode() == RunMode.ROLLBACK) {
			SystemActor.run(() -> this.verifier.afterRollback(run));
		}
	}

	/** The gates of a phase after its dry run, at once after the commit. */
	@TransactionalEventListener
	@Transactional(propagation = Propagation.REQUIRES_NEW)
	void runEnded(RunEnded run) {
		if (run.mode() != RunMode.DRY_RUN || run.state() != RunState.SUCCEEDED) {
			return;
		}
		safely(run.plan(), run.phase(), () -> {
			this.gates.evaluate(run.plan(), run.phase());
			PhaseSpec phase = this.plans.latest(run.plan()).spec().phase(run.phase()).orElse(null);
			GateSpec.Check follows = (phase instanceof PreflightPhase) ? GateSpec.Check.QUERY_UNCHANGED
					: (phase instanceof SnapshotPhase) ? GateSpec.Check.SNAPSHOT_FRESH : null;
			if (follows != null) {
				for (PhaseSpec other : this.plans.latest(run.plan()).spec().phases()) {
					if (!other.id().equals(run.phase())) {
						this.gates.evaluate(run.plan(), other.id(), gate -> gate.check() == follows);
					}
				}
			}
			if (phase != null && phase.kind().writes()) {
				// what the evaluation means for the dry run's approval, for notifications
				this.events.publishEvent(new DryRunChecked(run.plan(), run.phase(), run.runId(),
						this.locks.approvalRefusals(this.plans.latest(run.plan()), phase, false)));
			}
		});
	}

	@TransactionalEventListener
	@Transactional(propagation = Propagation.REQUIRES_NEW)
	void decisionsChanged(DecisionsChanged decisions) {
		safely(decisions.plan(), decisions.phase(), () -> this.gates.evaluate(decisions.plan(), decisions.phase(),
				gate -> DECISION_CHECKS.contains(gate.check())));
	}

	private static void safely(String plan, String phase, Runnable evaluation) {
		try {
			SystemActor.run(evaluation);
		}
		catch (RuntimeException ex) {
			log.warn("Evaluating the gates of {} phase {} failed: {}", plan, phase, ex.getMessage(), ex);
		}
	}

}
