package dev.ferry.run.internal;

import java.util.List;

import dev.ferry.lifecycle.Action;
import dev.ferry.lifecycle.ActionCondition;
import dev.ferry.lifecycle.PhaseStatus;
import dev.ferry.plan.PlanVersion;
import dev.ferry.plan.spec.PhaseSpec;
import dev.ferry.run.PhaseExecutor;
import dev.ferry.run.RunMode;

import org.springframework.stereotype.Component;

/**
 * The run engine's part of each run's lifecycle check: a phase executor must exist for
 * the phase and mode, and (shown on pages; a request is refused by the plan's lock
 * itself) no other run of the plan may be active.
 */
@Component
class RunConditions implements ActionCondition {

	private final RunRows rows;

	private final List<PhaseExecutor> executors;

	RunConditions(RunRows rows, List<PhaseExecutor> executors) {
		this.rows = rows;
		this.executors = executors;
	}

	@Override
	public List<String> refusals(PhaseStatus status, PlanVersion version, PhaseSpec phase, Action action,
			boolean measure) {
		RunMode mode = switch (action) {
			case DRY_RUN -> RunMode.DRY_RUN;
			case APPLY -> RunMode.APPLY;
			case ROLLBACK -> RunMode.ROLLBACK;
			default -> null;
		};
		if (mode == null) {
			return List.of();
		}
		if (this.executors.stream().noneMatch(executor -> executor.supports(phase, mode))) {
			return List.of("Ferry cannot " + (mode == RunMode.ROLLBACK ? "roll back" : mode.code()) + " a "
					+ phase.kind().yamlName() + " phase.");
		}
		if (!measure) {
			return this.rows.lockHolder(version.plan())
				.map(active -> List.of("Run #" + active + " of plan " + version.plan()
						+ " is active; wait for it to end or cancel it."))
				.orElse(List.of());
		}
		return List.of();
	}

}
