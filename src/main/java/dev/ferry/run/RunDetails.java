package dev.ferry.run;

import java.util.Map;

/**
 * What a phase kind adds to the run page ({@code templates/run/show.html}) for a run of
 * its kind: a module's executors plug in as {@link PhaseExecutor}s, and its part of the
 * page as one of these, so the engine's page needs no phase module.
 */
public interface RunDetails {

	/**
	 * The model attributes of this kind's part of the page (refreshed with the live
	 * progress); empty for a run of another kind.
	 */
	Map<String, Object> of(RunView run);

}
