package dev.ferry.audit.internal;

import dev.ferry.connection.ConnectionChanged;
import dev.ferry.gate.Approval;
import dev.ferry.gate.ApprovalGiven;
import dev.ferry.gate.ReviewNote;
import dev.ferry.gate.ReviewNoted;
import dev.ferry.lifecycle.PhaseTransitioned;
import dev.ferry.mapping.DecisionsChanged;
import dev.ferry.plan.PlanSaved;
import dev.ferry.retention.StorageItem;
import dev.ferry.retention.StoragePurged;
import dev.ferry.run.RunEnded;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunRequested;
import dev.ferry.run.RunStarted;
import dev.ferry.security.AccountChanged;
import dev.ferry.security.SignInFailed;
import dev.ferry.security.CurrentUser;
import dev.ferry.security.SystemActor;

import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.InteractiveAuthenticationSuccessEvent;
import org.springframework.stereotype.Component;

/**
 * Turns the modules' events into audit entries, in the transaction that published them
 * (the listeners run synchronously, before the commit), so an action and its entry are
 * kept or lost together.
 */
@Component
class AuditListeners {

	private final AuditLog log;

	AuditListeners(AuditLog log) {
		this.log = log;
	}

	@EventListener
	void signedIn(InteractiveAuthenticationSuccessEvent event) {
		this.log.append(event.getAuthentication().getName(), "user.signed-in", event.getAuthentication().getName(),
				null);
	}

	@EventListener
	void signInFailed(SignInFailed failed) {
		this.log.append("anonymous", "user.sign-in-failed", failed.username(),
				"from " + failed.address() + " (" + failed.via() + "), " + failed.failures() + " in a row"
						+ (failed.lockedUntil() != null ? "; refused until " + failed.lockedUntil() : ""));
	}

	@EventListener
	void planSaved(PlanSaved saved) {
		this.log.append(saved.savedBy(), "plan.saved", saved.plan() + " version " + saved.version(),
				"sha256 " + saved.sha256() + ", from " + saved.origin().name().toLowerCase(java.util.Locale.ROOT));
	}

	@EventListener
	void runRequested(RunRequested run) {
		this.log.append(run.requestedBy(), "run.requested", subject(run.plan(), run.phase(), run.runId()),
				mode(run.mode()) + " of version " + run.planVersion()
						+ (run.rollsBack() != null ? ", rolling back apply #" + run.rollsBack() : ""));
	}

	@EventListener
	void runStarted(RunStarted run) {
		this.log.append(SystemActor.NAME, "run.started", subject(run.plan(), run.phase(), run.runId()),
				mode(run.mode()));
	}

	@EventListener
	void runEnded(RunEnded run) {
		this.log.append(SystemActor.NAME, "run." + run.state().code(), subject(run.plan(), run.phase(), run.runId()),
				mode(run.mode()));
	}

	@EventListener
	void approved(ApprovalGiven given) {
		Approval approval = given.approval();
		this.log.append(approval.approvedBy(), "approval.given",
				subject(approval.plan(), approval.phase(), approval.runId()),
				(approval.asOperator() ? "as operator" : "")
						+ (approval.asOperator() && approval.asOwner() ? " and " : "")
						+ (approval.asOwner() ? "as owner" : "") + ", sha256 " + approval.reviewedSha256()
						+ (approval.comment() != null ? ": " + approval.comment() : ""));
	}

	@EventListener
	void noted(ReviewNoted noted) {
		ReviewNote note = noted.note();
		this.log.append(note.author(), "review." + note.kind().code(), subject(note.plan(), note.phase(), note.runId()),
				(note.reviewedSha256() != null ? "sha256 " + note.reviewedSha256() + ": " : "") + note.body());
	}

	@EventListener
	void decisions(DecisionsChanged changed) {
		String actor = CurrentUser.get().map(CurrentUser::username).orElse(SystemActor.NAME);
		String subject = changed.plan() + "/" + changed.phase()
				+ (changed.oldKey() != null ? " old record " + changed.oldKey() : "");
		String details = (changed.oldKey() == null ? changed.items() + " item(s)" : "")
				+ (changed.detail() != null ? (changed.oldKey() == null ? ": " : "") + changed.detail() : "");
		this.log.append(actor, "mapping." + changed.change(), subject, details.isEmpty() ? null : details);
	}

	@EventListener
	void phaseTransitioned(PhaseTransitioned transition) {
		this.log.append(transition.actor(), "phase." + transition.event(),
				transition.plan() + "/" + transition.phase()
						+ (transition.runId() != null ? " run #" + transition.runId() : ""),
				transition.from().code() + " -> " + transition.to().code()
						+ (transition.detail() != null ? ": " + transition.detail() : ""));
	}

	@EventListener
	void storagePurged(StoragePurged purged) {
		StorageItem item = purged.item();
		String what = switch (item.kind()) {
			case CHANGE_SET -> "change set rows";
			case MAPPING_ITEMS -> "mapping items";
			case UNDO_IMAGES -> "before-images";
		};
		this.log.append(purged.purgedBy(), "storage.purged", subject(item.plan(), item.phase(), item.runId()),
				String.format(java.util.Locale.ROOT,
						"%s: freed %,d row(s), %,d table row(s) and %,d byte(s) of report files in %s. %s", what,
						item.rows(), item.tableRows(), item.fileBytes(), item.place(), item.reason()));
	}

	@EventListener
	void scheduledApplyChanged(dev.ferry.window.ScheduledApplyChanged changed) {
		this.log.append(changed.by(), "apply." + changed.change(),
				changed.plan() + "/" + changed.phase() + " scheduled apply #" + changed.id(), changed.detail());
	}

	@EventListener
	void checklistChanged(dev.ferry.runbook.ChecklistChanged changed) {
		String subject = changed.plan() + " version " + changed.version() + " checklist #" + changed.checklistId();
		String detail = (changed.item() == null) ? "the checklist of a production run"
				: changed.item() + ": " + changed.label();
		this.log.append(changed.by(), "runbook." + changed.change().code(), subject, detail);
	}

	@EventListener
	void webhookChanged(dev.ferry.notify.WebhookChanged changed) {
		this.log.append(changed.by(), "webhook." + changed.change(), "webhook " + changed.name(), null);
	}

	@EventListener
	void snapshotExpired(dev.ferry.snapshot.SnapshotExpired expired) {
		this.log.append(dev.ferry.security.SystemActor.NAME, "snapshot.expired", "snapshot #" + expired.runId(),
				"retention deleted its files");
	}

	@EventListener
	void connectionChanged(ConnectionChanged changed) {
		this.log.append(changed.by(), "connection." + changed.change(), changed.name(), null);
	}

	@EventListener
	void accountChanged(AccountChanged changed) {
		this.log.append(changed.by(), "user.changed", changed.username(), changed.change());
	}

	private static String subject(String plan, String phase, long run) {
		return plan + "/" + phase + " run #" + run;
	}

	private static String mode(RunMode mode) {
		return mode.code();
	}

}
