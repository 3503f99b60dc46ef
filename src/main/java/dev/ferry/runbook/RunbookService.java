package dev.ferry.runbook;

import java.util.List;
import java.util.Optional;

/**
 * The runbook of a plan and the checklists of its production runs. Reading needs VIEWER;
 * starting a checklist and ticking its items need OPERATOR.
 */
public interface RunbookService {

	/** The runbook of the plan's latest version, with the figures as they are now. */
	Runbook runbook(String plan);

	/** The runbook as Markdown: the same content as the page, in the same order. */
	String markdown(String plan);

	/** The plan's newest checklist, if one was started. */
	Optional<Checklist> latestChecklist(String plan);

	/** The plan's checklists, newest first. */
	List<Checklist> checklists(String plan, int limit);

	/** Starts the checklist of a production run of the plan's latest version. */
	Checklist startChecklist(String plan);

	/**
	 * Ticks (or unticks) an item of a checklist of the plan: refused (409) for an item
	 * the checklist's plan version does not have, or a checklist that is not the plan's
	 * newest.
	 */
	Checklist tick(String plan, long checklistId, String item, boolean ticked);

}
