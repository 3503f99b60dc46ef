package dev.ferry.window;

import java.util.List;
import java.util.Optional;

/**
 * Apply windows and the applies scheduled for them. Reading needs VIEWER; scheduling and
 * cancelling OPERATOR.
 */
public interface WindowService {

	/** The plan's window now, when its latest version has one. */
	Optional<WindowView> window(String plan);

	/**
	 * Why the phase's apply may not be scheduled for the next window now, in words; empty
	 * when it may (the window is closed, and nothing but the window refuses the apply).
	 */
	List<String> scheduleLocks(String plan, String phase);

	/**
	 * Schedules the phase's apply for the next window; refused (409) with the reasons of
	 * {@link #scheduleLocks}.
	 */
	ScheduledApply schedule(String plan, String phase);

	/** Cancels a waiting scheduled apply; refused (409) once it started or ended. */
	ScheduledApply cancel(long id);

	/** The plan's scheduled applies, newest first. */
	List<ScheduledApply> scheduled(String plan, int limit);

	/**
	 * Starts the scheduled applies whose window is open now (the recurring task's work):
	 * each as the operator who asked, through the same checks as any apply.
	 * @return how many started
	 */
	int startDue();

}
