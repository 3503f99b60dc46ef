package dev.ferry.gate;

import java.util.List;

/**
 * Measures and keeps the gates of a plan's phases. Measuring needs OPERATOR (or the
 * system, which measures after dry runs and decisions); reading needs VIEWER.
 */
public interface GateService {

	/**
	 * Measures every gate of the phase now, on the plan's latest version, and keeps the
	 * evaluations. A gate that cannot be measured is kept as not measured (or failed,
	 * when its database refused the query), never an error of this call.
	 */
	List<GateResult> evaluate(String plan, String phase);

	/**
	 * The latest evaluation of each gate of the phase on the plan's latest version, in
	 * the phase's order; a gate never evaluated comes as not measured.
	 */
	List<GateResult> latest(String plan, String phase);

	/** The latest verdict of a verify phase, or empty before its first (VIEWER). */
	java.util.Optional<Verification> verification(String plan, String phase);

}
