package dev.ferry.gate.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

import dev.ferry.gate.ReviewNote;
import dev.ferry.gate.ReviewNoted;
import dev.ferry.gate.ReviewService;
import dev.ferry.lifecycle.Action;
import dev.ferry.lifecycle.ActionCondition;
import dev.ferry.lifecycle.PhaseLifecycle;
import dev.ferry.lifecycle.PhaseState;
import dev.ferry.lifecycle.PhaseStatus;
import dev.ferry.plan.PlanService;
import dev.ferry.plan.PlanVersion;
import dev.ferry.plan.spec.PhaseSpec;
import dev.ferry.problem.InvalidException;
import dev.ferry.problem.NotFoundException;
import dev.ferry.problem.RefusedException;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunView;
import dev.ferry.security.CurrentUser;
import dev.ferry.security.Role;
import dev.ferry.security.SystemActor;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The conversation on dry runs in Ferry's store (table {@code review_notes}), and a
 * request for changes as an {@link ActionCondition}: while the phase's latest dry run has
 * one, approving it and applying it are refused with its author and reason, on the pages
 * as on a request.
 */
@Service
@Order(3)
class StoredReviews implements ReviewService, ActionCondition {

	static final int MAX_TEXT = 2000;

	static final int MAX_PAGE = 200;

	private static final String SELECT = "SELECT id, plan, phase, run_id, reviewed_sha256, kind, author, body, "
			+ "created_at FROM review_notes";

	private final JdbcClient store;

	private final PlanService plans;

	private final RunService runs;

	private final PhaseLifecycle lifecycle;

	private final StoredApprovals approvals;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	StoredReviews(JdbcClient store, PlanService plans, RunService runs, PhaseLifecycle lifecycle,
			StoredApprovals approvals, ApplicationEventPublisher events, Clock clock) {
		this.store = store;
		this.plans = plans;
		this.runs = runs;
		this.lifecycle = lifecycle;
		this.approvals = approvals;
		this.events = events;
		this.clock = clock;
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional
	public ReviewNote comment(String plan, String phase, long runId, String text) {
		return add(plan, phase, runId, ReviewNote.Kind.COMMENT, text);
	}

	@Override
	@PreAuthorize("hasAnyRole('OPERATOR', 'OWNER')")
	@Transactional
	public ReviewNote requestChanges(String plan, String phase, long runId, String reason) {
		String why = requestChangesRefusal(plan, phase, runId);
		if (why != null) {
			throw new RefusedException("review.refused", why, List.of(why), why);
		}
		PhaseStatus status = this.lifecycle.status(plan, phase);
		ReviewNote note = add(plan, phase, runId, ReviewNote.Kind.CHANGES_REQUESTED, reason);
		if (status.state() == PhaseState.APPROVED) {
			this.lifecycle.approvalsVoided(plan, phase,
					note.author() + " requested changes to dry run #" + runId + ": " + note.body());
		}
		return note;
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public boolean mayRequestChanges(String plan, String phase, long runId) {
		boolean approver = CurrentUser.get().map(user -> user.has(Role.OPERATOR) || user.has(Role.OWNER)).orElse(false);
		return approver && requestChangesRefusal(plan, phase, runId) == null;
	}

	/** Why changes cannot be requested on the dry run now, or null when they can. */
	private String requestChangesRefusal(String plan, String phase, long runId) {
		PhaseSpec spec = this.plans.latest(plan).spec().phase(phase).orElse(null);
		if (spec != null && !spec.kind().writes()) {
			return "A " + spec.kind().yamlName() + " phase has no apply, so there is nothing to request changes to:"
					+ " comment instead.";
		}
		PhaseStatus status = this.lifecycle.status(plan, phase);
		boolean open = status.dryRun() != null && status.dryRun() == runId
				&& (status.state() == PhaseState.DRY_RUN_READY || status.state() == PhaseState.APPROVED);
		if (!open) {
			return "Dry run #" + runId + " is not waiting for approval"
					+ ((status.dryRun() != null && status.dryRun() != runId)
							? " (dry run #" + status.dryRun() + " is the phase's latest)" : "")
					+ ": changes can be requested only on the dry run an apply would use.";
		}
		if (!changesRequested(runId).isEmpty()) {
			return "Changes to dry run #" + runId + " are already requested; a new dry run is the answer.";
		}
		return null;
	}

	private ReviewNote add(String plan, String phaseId, long runId, ReviewNote.Kind kind, String text) {
		CurrentUser user = CurrentUser.get().orElseThrow(() -> new AccessDeniedException("Sign in to write."));
		if (user.username().equals(SystemActor.NAME)) {
			throw new AccessDeniedException("Ferry does not review its own dry runs: a person does.");
		}
		String body = (text == null) ? "" : text.strip();
		if (body.isEmpty()) {
			throw new InvalidException("text", "review.text.required", (kind == ReviewNote.Kind.CHANGES_REQUESTED)
					? "Say what must change: a request for changes needs a reason." : "A comment needs words.");
		}
		if (body.length() > MAX_TEXT) {
			throw new InvalidException("text", "review.text.tooLong", String.format(Locale.ROOT,
					"A note has at most %,d characters; this one has %,d.", MAX_TEXT, body.length()));
		}
		PlanVersion version = this.plans.latest(plan);
		PhaseSpec phase = version.spec()
			.phase(phaseId)
			.orElseThrow(() -> new NotFoundException("run.phaseNotFound",
					"Plan " + plan + " has no phase " + phaseId + ".", plan, phaseId));
		RunView run = this.runs.get(runId);
		if (!run.plan().equals(plan) || !run.phase().equals(phaseId) || run.mode() != RunMode.DRY_RUN) {
			throw new NotFoundException("review.runNotFound",
					"Run #" + runId + " is not a dry run of phase " + phaseId + " of plan " + plan + ".", runId);
		}
		String reviewed = !phase.kind().writes() ? null : this.approvals.reviewed(version, phase, run);
		KeyHolder keys = new GeneratedKeyHolder();
		this.store.sql("""
				INSERT INTO review_notes (plan, phase, run_id, reviewed_sha256, kind, author, body, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)
				""")
			.params(plan, phaseId, runId, reviewed, kind.code(), user.username(), body,
					Timestamp.from(this.clock.instant()))
			.update(keys, "id");
		long id = keys.getKeyAs(Long.class);
		ReviewNote note = this.store.sql(SELECT + " WHERE id = ?").param(id).query(StoredReviews::note).single();
		this.events.publishEvent(new ReviewNoted(note));
		return note;
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public List<ReviewNote> ofRun(long runId) {
		return this.store.sql(SELECT + " WHERE run_id = ? ORDER BY id").param(runId).query(StoredReviews::note).list();
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public List<ReviewNote> changesRequested(Long beforeId, int limit) {
		return this.store.sql(SELECT + " WHERE kind = 'changes-requested' AND id < ? ORDER BY id DESC LIMIT ?")
			.params(beforeId == null ? Long.MAX_VALUE : beforeId, Math.max(1, Math.min(limit, MAX_PAGE)))
			.query(StoredReviews::note)
			.list();
	}

	@Override
	public List<String> refusals(PhaseStatus status, PlanVersion version, PhaseSpec phase, Action action,
			boolean measure) {
		if ((action != Action.APPLY && action != Action.APPROVE) || status.dryRun() == null) {
			return List.of();
		}
		return changesRequested(status.dryRun()).stream()
			.map(note -> note.author() + " requested changes to dry run #" + note.runId() + ": “" + note.body()
					+ "” Run a new dry run once they are made.")
			.toList();
	}

	private List<ReviewNote> changesRequested(long runId) {
		return this.store.sql(SELECT + " WHERE run_id = ? AND kind = 'changes-requested' ORDER BY id")
			.param(runId)
			.query(StoredReviews::note)
			.list();
	}

	private static ReviewNote note(ResultSet rs, int row) throws SQLException {
		return new ReviewNote(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5),
				ReviewNote.Kind.of(rs.getString(6)), rs.getString(7), rs.getString(8), rs.getTimestamp(9).toInstant());
	}

}
