package dev.ferry.web.internal;

import java.util.Optional;

import dev.ferry.run.RunMode;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;

/** Where a phase stands, in the words of the pipeline and of the plan API. */
final class PhaseStates {

	private PhaseStates() {
	}

	/**
	 * The state of a phase from its latest dry run and apply: {@code not-run},
	 * {@code running}, {@code failed}, {@code rolled-back}, {@code applied},
	 * {@code dry-run-ready}, or the latest run's state.
	 */
	/**
	 * A verify phase's state is its latest verdict's ({@code verified} or
	 * {@code failed}), once it has one.
	 */
	static String of(Optional<RunView> dryRun, Optional<RunView> apply, dev.ferry.gate.Verification verification) {
		if (verification != null) {
			return verification.passed() ? "verified" : "failed";
		}
		return of(dryRun, apply);
	}

	static String of(Optional<RunView> dryRun, Optional<RunView> apply) {
		RunView latest = apply.filter(a -> dryRun.isEmpty() || a.id() > dryRun.get().id()).orElse(dryRun.orElse(null));
		if (latest == null) {
			return "not-run";
		}
		if (latest.state().active()) {
			return "running";
		}
		if (latest.state() == RunState.FAILED) {
			return "failed";
		}
		if (latest.state() == RunState.ROLLED_BACK) {
			return "rolled-back";
		}
		if (latest.mode() == RunMode.APPLY && latest.state() == RunState.SUCCEEDED) {
			return "applied";
		}
		if (latest.mode() == RunMode.DRY_RUN && latest.state() == RunState.SUCCEEDED) {
			return "dry-run-ready";
		}
		return latest.state().code();
	}

}
