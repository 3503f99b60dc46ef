package dev.ferry.notify.internal;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import dev.ferry.gate.ApprovalGiven;
import dev.ferry.gate.DryRunChecked;
import dev.ferry.gate.ReviewNote;
import dev.ferry.gate.ReviewNoted;
import dev.ferry.gate.VerifyFailed;
import dev.ferry.notify.WebhookEvent;
import dev.ferry.run.RunEnded;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;
import dev.ferry.security.SystemActor;
import dev.ferry.window.ScheduledApplyChanged;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Turns what happens into deliveries. Each listener is an application module listener:
 * the event publication registry writes the event with it in the transaction that
 * publishes the event and completes it only when the deliveries are written, so an event
 * is not lost when Ferry stops in between (it is handed over again at the next start, and
 * a delivery already written is not written twice).
 */
@Component
class WebhookListeners {

	private final StoredWebhooks webhooks;

	private final RunService runs;

	WebhookListeners(StoredWebhooks webhooks, RunService runs) {
		this.webhooks = webhooks;
		this.runs = runs;
	}

	@ApplicationModuleListener
	void runEnded(RunEnded ended) {
		SystemActor.run(() -> {
			RunView run = this.runs.get(ended.runId());
			String what = what(run);
			Map<String, Object> details = details(run);
			if (ended.state() == RunState.FAILED) {
				this.webhooks.enqueue(WebhookEvent.RUN_FAILED, "run.failed:" + run.id(), run.plan(),
						what + " failed: " + run.error(), details);
			}
			else if (ended.state() == RunState.SUCCEEDED && ended.mode() == RunMode.APPLY) {
				this.webhooks.enqueue(WebhookEvent.APPLY_SUCCEEDED, "apply.succeeded:" + run.id(), run.plan(),
						what + " succeeded: " + counts(run) + ".", details);
			}
			else if (ended.state() == RunState.SUCCEEDED && ended.mode() == RunMode.ROLLBACK) {
				this.webhooks.enqueue(WebhookEvent.ROLLBACK_SUCCEEDED, "rollback.succeeded:" + run.id(), run.plan(),
						what + " undid apply #" + run.rollsBack() + ".", details);
			}
		});
	}

	@ApplicationModuleListener
	void dryRunChecked(DryRunChecked checked) {
		SystemActor.run(() -> {
			RunView run = this.runs.get(checked.runId());
			Map<String, Object> details = details(run);
			if (checked.failing().isEmpty()) {
				this.webhooks.enqueue(WebhookEvent.APPROVAL_NEEDED, "approval.needed:" + run.id(), run.plan(),
						what(run) + " is ready for review and approval: " + counts(run) + ".", details);
			}
			else {
				details.put("reasons", checked.failing());
				this.webhooks.enqueue(WebhookEvent.GATE_FAILED, "gate.failed:" + run.id(), run.plan(),
						what(run) + " cannot be approved: " + String.join(" ", checked.failing()), details);
			}
		});
	}

	@ApplicationModuleListener
	void approvalGiven(ApprovalGiven given) {
		var approval = given.approval();
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("phase", approval.phase());
		details.put("run", approval.runId());
		details.put("approvedBy", approval.approvedBy());
		details.put("comment", approval.comment());
		SystemActor.run(() -> this.webhooks.enqueue(WebhookEvent.APPROVAL_GIVEN, "approval.given:" + approval.id(),
				approval.plan(), approval.approvedBy() + " approved dry run #" + approval.runId() + " of "
						+ approval.plan() + " · " + approval.phase() + ".",
				details));
	}

	@ApplicationModuleListener
	void reviewNoted(ReviewNoted noted) {
		ReviewNote note = noted.note();
		if (note.kind() != ReviewNote.Kind.CHANGES_REQUESTED) {
			return;
		}
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("phase", note.phase());
		details.put("run", note.runId());
		details.put("by", note.author());
		details.put("note", note.body());
		SystemActor.run(() -> this.webhooks.enqueue(WebhookEvent.APPROVAL_REJECTED, "approval.rejected:" + note.id(),
				note.plan(), note.author() + " asked for changes to dry run #" + note.runId() + " of " + note.plan()
						+ " · " + note.phase() + ": " + note.body(),
				details));
	}

	@ApplicationModuleListener
	void verifyFailed(VerifyFailed failed) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("phase", failed.phase());
		details.put("afterApply", failed.afterApply());
		details.put("failed", failed.detail());
		details.put("rollsBack", failed.rollsBack());
		SystemActor
			.run(() -> this.webhooks.enqueue(
					WebhookEvent.VERIFY_FAILED, "verify.failed:" + failed.phase() + ":" + failed
						.afterApply(),
					failed.plan(),
					"Verify phase " + failed.phase() + " of " + failed.plan() + " failed after apply #"
							+ failed.afterApply() + ": " + failed.detail() + "." + (failed.rollsBack()
									? " Its on-fail rollback undoes the plan's applies, newest first." : ""),
					details));
	}

	@ApplicationModuleListener
	void scheduledApplyChanged(ScheduledApplyChanged changed) {
		if (!"started".equals(changed.change()) && !"refused".equals(changed.change())) {
			return;
		}
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("phase", changed.phase());
		details.put("scheduledApply", changed.id());
		details.put("outcome", changed.change());
		details.put("detail", changed.detail());
		SystemActor.run(() -> this.webhooks.enqueue(WebhookEvent.WINDOW_OPENED, "window.opened:" + changed.id(),
				changed.plan(),
				"The window of " + changed.plan() + " opened: the apply of " + changed.phase() + " scheduled by "
						+ changed.by() + (changed.change().equals("started") ? " started" : " was refused")
						+ ((changed.detail() != null) ? ": " + changed.detail() : "."),
				details));
	}

	/** {@code Apply #13 of ahs-v2 · import}. */
	private static String what(RunView run) {
		String mode = switch (run.mode()) {
			case DRY_RUN -> "Dry run";
			case APPLY -> "Apply";
			case ROLLBACK -> "Rollback";
		};
		return mode + " #" + run.id() + " of " + run.plan() + " · " + run.phase();
	}

	private static String counts(RunView run) {
		return String.format(Locale.ROOT, "%,d inserted, %,d updated, %,d deleted, %,d rejected",
				run.counts().inserted(), run.counts().updated(), run.counts().deleted(), run.counts().rejected());
	}

	private static Map<String, Object> details(RunView run) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("phase", run.phase());
		details.put("run", run.id());
		details.put("mode", run.mode().code());
		details.put("state", run.state().code());
		details.put("requestedBy", run.requestedBy());
		details.put("counts", run.counts());
		details.put("error", run.error());
		return details;
	}

}
