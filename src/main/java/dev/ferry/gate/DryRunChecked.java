package dev.ferry.gate;

import java.util.List;

/**
 * The gates of a phase that writes were measured after its dry run succeeded.
 *
 * @param plan the plan
 * @param phase the phase
 * @param runId the dry run
 * @param failing why the dry run cannot be approved, one reason per blocking gate that
 * fails or is not measured (the gates an approval checks); empty when it waits for its
 * approvals
 */
public record DryRunChecked(String plan, String phase, long runId, List<String> failing) {

	public DryRunChecked {
		failing = List.copyOf(failing);
	}

}
