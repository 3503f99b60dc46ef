package dev.ferry.gate.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import dev.ferry.gate.Approval;
import dev.ferry.gate.ApprovalGiven;
import dev.ferry.gate.ApprovalService;
import dev.ferry.gate.SelfApprovalException;
import dev.ferry.lifecycle.Action;
import dev.ferry.lifecycle.ActionCondition;
import dev.ferry.lifecycle.PhaseLifecycle;
import dev.ferry.lifecycle.PhaseState;
import dev.ferry.lifecycle.PhaseStatus;
import dev.ferry.mapping.MappingService;
import dev.ferry.plan.PlanService;
import dev.ferry.plan.PlanVersion;
import dev.ferry.plan.SaveEffects;
import dev.ferry.plan.spec.ApprovalsSpec;
import dev.ferry.plan.spec.ImportPhase;
import dev.ferry.plan.spec.MappingPhase;
import dev.ferry.plan.spec.PhaseSpec;
import dev.ferry.problem.NotFoundException;
import dev.ferry.problem.RefusedException;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;
import dev.ferry.security.AccountChanged;
import dev.ferry.security.AccountService;
import dev.ferry.security.CurrentUser;
import dev.ferry.security.Role;
import dev.ferry.security.SystemActor;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Approvals in Ferry's store (table {@code approvals}), and promise 3's approval part as
 * an {@link ActionCondition}: an apply needs the plan's number of distinct operators'
 * approvals (and an owner's sign-off when asked) of the dry run it applies, each naming
 * what an apply would use now. Whether an approval still counts is worked out when it is
 * read, never stored: a newer dry run or a changed decision voids it at once.
 */
@Service
@Order(2) // what a plan edit voids is told as: dry runs, approvals, gate results
class StoredApprovals implements ApprovalService, ActionCondition, SaveEffects.Counter {

	static final int MAX_PAGE = 200;

	private final JdbcClient store;

	private final PlanService plans;

	private final RunService runs;

	private final MappingService mappings;

	private final GateLocks gates;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	private final PhaseLifecycle lifecycle;

	/** Whether an approver still holds the role their approval counts for. */
	private final AccountService accounts;

	StoredApprovals(JdbcClient store, PlanService plans, RunService runs, MappingService mappings, GateLocks gates,
			Clock clock, ApplicationEventPublisher events, PhaseLifecycle lifecycle, AccountService accounts) {
		this.accounts = accounts;
		this.lifecycle = lifecycle;
		this.events = events;
		this.store = store;
		this.plans = plans;
		this.runs = runs;
		this.mappings = mappings;
		this.gates = gates;
		this.clock = clock;
	}

	@Override
	@PreAuthorize("hasAnyRole('OPERATOR', 'OWNER')")
	@Transactional
	public Approval approve(String plan, String phaseId, long runId, String comment) {
		CurrentUser user = CurrentUser.get().orElseThrow(() -> new AccessDeniedException("Sign in to approve."));
		if (user.username().equals(SystemActor.NAME)) {
			throw new SelfApprovalException("Ferry does not approve dry runs itself: a person does.");
		}
		PlanVersion version = this.plans.latest(plan);
		PhaseSpec phase = phase(version, phaseId);
		if (!phase.kind().writes()) {
			throw refused("A " + phase.kind().yamlName() + " phase has no apply, so there is nothing to approve.");
		}
		RunView run = this.runs.get(runId);
		if (!run.plan().equals(plan) || !run.phase().equals(phaseId) || run.mode() != RunMode.DRY_RUN) {
			throw refused("Run #" + runId + " is not a dry run of phase " + phaseId + " of plan " + plan + ".");
		}
		if (run.state() == RunState.SUCCEEDED && this.store.sql("""
				SELECT count(*) FROM approvals WHERE run_id = ? AND reviewed_sha256 = ? AND approved_by = ?
				""").params(runId, reviewed(version, phase, run), user.username()).query(Long.class).single() > 0) {
			throw refused("You have already approved dry run #" + runId + " as it is now.");
		}
		// the lifecycle says whether the phase waits for approvals at all
		this.lifecycle.require(plan, phaseId, Action.APPROVE);
		PhaseStatus status = this.lifecycle.status(plan, phaseId);
		if (status.dryRun() == null || status.dryRun() != runId) {
			throw refused((status.dryRun() != null)
					? "Dry run #" + runId + " is not the latest of phase " + phaseId + " (#" + status.dryRun()
							+ " is): only the latest can be approved."
					: "Dry run #" + runId + " cannot be approved: phase " + phaseId
							+ " has no dry run waiting for approval.");
		}
		if (run.requestedBy().equals(user.username())) {
			throw new SelfApprovalException(
					"You requested dry run #" + runId + ": its approval must come from another operator.");
		}
		List<String> gates = this.gates.approvalRefusals(version, phase);
		if (!gates.isEmpty()) {
			throw new RefusedException("approval.refused",
					"Dry run #" + runId + " cannot be approved while its gates fail: " + String.join(" ", gates), gates,
					String.join(" ", gates));
		}
		String reviewed = reviewed(version, phase, run);
		boolean asOperator = user.has(Role.OPERATOR);
		boolean asOwner = user.has(Role.OWNER);
		long already = this.store.sql("""
				SELECT count(*) FROM approvals WHERE run_id = ? AND reviewed_sha256 = ? AND approved_by = ?
				""").params(runId, reviewed, user.username()).query(Long.class).single();
		if (already > 0) {
			throw refused("You have already approved dry run #" + runId + " as it is now.");
		}
		String text = (comment == null || comment.isBlank()) ? null : comment.strip();
		if (text != null && text.length() > 2000) {
			throw refused("A comment has at most 2,000 characters; this one has "
					+ String.format(Locale.ROOT, "%,d", text.length()) + ".");
		}
		this.store.sql("""
				INSERT INTO approvals (plan, phase, run_id, reviewed_sha256, approved_by, as_operator, as_owner,
				comment, approved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
				""")
			.params(plan, phaseId, runId, reviewed, user.username(), asOperator, asOwner, text,
					Timestamp.from(this.clock.instant()))
			.update();
		Approval approval = ofPhase(plan, phaseId, 1).get(0);
		this.events.publishEvent(new ApprovalGiven(approval));
		if (missing(version, phase, run).isEmpty()) {
			this.lifecycle.approvalsComplete(plan, phaseId, runId, reviewed);
		}
		return approval;
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public Optional<Long> awaitingMyApproval(String plan, String phaseId) {
		CurrentUser user = CurrentUser.get().orElse(null);
		if (user == null || user.username().equals(SystemActor.NAME)
				|| !(user.has(Role.OPERATOR) || user.has(Role.OWNER))) {
			return Optional.empty();
		}
		PlanVersion version = this.plans.latest(plan);
		PhaseSpec phase = phase(version, phaseId);
		ApprovalsSpec needs = (version.spec().approvals() != null) ? version.spec().approvals() : ApprovalsSpec.DEFAULT;
		if (!user.has(Role.OPERATOR) && !needs.ownerSignoff()) {
			// an owner's approval counts only where the plan asks for a sign-off
			return Optional.empty();
		}
		PhaseStatus status = this.lifecycle.status(plan, phaseId);
		if (status.state() != PhaseState.DRY_RUN_READY || status.dryRun() == null
				|| !this.lifecycle.refusals(plan, phaseId, Action.APPROVE).isEmpty()) {
			return Optional.empty();
		}
		Optional<RunView> dryRun = Optional.of(this.runs.get(status.dryRun()))
			.filter(run -> !run.requestedBy().equals(user.username()));
		if (dryRun.isEmpty() || missing(version, phase, dryRun.get()).isEmpty()) {
			return Optional.empty();
		}
		long mine = this.store
			.sql("SELECT count(*) FROM approvals WHERE run_id = ? AND reviewed_sha256 = ? AND approved_by = ?")
			.params(dryRun.get().id(), reviewed(version, phase, dryRun.get()), user.username())
			.query(Long.class)
			.single();
		return (mine == 0) ? Optional.of(dryRun.get().id()) : Optional.empty();
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public List<Approval> ofPhase(String plan, String phaseId, int limit) {
		return ofPhase(plan, phaseId, null, limit);
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public List<Approval> ofPhase(String plan, String phaseId, Long beforeId, int limit) {
		PlanVersion version = this.plans.latest(plan);
		PhaseSpec phase = phase(version, phaseId);
		Current current = current(version, phase);
		return this.store.sql(SELECT + " WHERE plan = ? AND phase = ? AND id < ? ORDER BY id DESC LIMIT ?")
			.params(plan, phaseId, beforeId == null ? Long.MAX_VALUE : beforeId, Math.max(1, Math.min(limit, MAX_PAGE)))
			.query((rs, row) -> approval(rs, current))
			.list();
	}

	/**
	 * After an account changed (disabled, deleted, other roles): a phase that counted as
	 * approved with that person's approval is approved no longer when the approvals that
	 * still count fall short, so the console offers approving again; and one whose
	 * approvals count in full again (the account enabled again) is approved again. Its
	 * own transaction after the account's commit; if it were lost, the apply would still
	 * be refused with the reasons, only the phase's word would lag.
	 */
	@TransactionalEventListener
	@Transactional(propagation = Propagation.REQUIRES_NEW)
	void accountChanged(AccountChanged changed) {
		SystemActor.run(() -> {
			for (String[] phase : this.store.sql("SELECT DISTINCT plan, phase FROM approvals WHERE approved_by = ?")
				.param(changed.username())
				.query((rs, row) -> new String[] { rs.getString(1), rs.getString(2) })
				.list()) {
				PhaseStatus status = this.lifecycle.status(phase[0], phase[1]);
				boolean approved = status.state() == PhaseState.APPROVED;
				if ((!approved && status.state() != PhaseState.DRY_RUN_READY) || status.dryRun() == null) {
					continue;
				}
				PlanVersion version = this.plans.latest(phase[0]);
				PhaseSpec spec = version.spec().phase(phase[1]).orElse(null);
				if (spec == null) {
					continue;
				}
				RunView dryRun = this.runs.get(status.dryRun());
				boolean complete = missing(version, spec, dryRun).isEmpty();
				if (approved && !complete) {
					this.lifecycle.approvalsVoided(phase[0], phase[1],
							"the approval by " + changed.username() + " no longer counts (" + changed.change() + ")");
				}
				else if (!approved && complete) {
					// enabled again, or given the role back: what was given counts again
					this.lifecycle.approvalsComplete(phase[0], phase[1], dryRun.id(), reviewed(version, spec, dryRun));
				}
			}
		});
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public List<Approval> recent(Long beforeId, int limit) {
		List<Approval> stored = this.store.sql(SELECT + " WHERE id < ? ORDER BY id DESC LIMIT ?")
			.params(beforeId == null ? Long.MAX_VALUE : beforeId, Math.max(1, Math.min(limit, MAX_PAGE)))
			.query((rs, row) -> approval(rs, null))
			.list();
		// whether each counts, with each phase's current state worked out once
		java.util.Map<String, Current> currents = new java.util.HashMap<>();
		List<Approval> approvals = new ArrayList<>();
		for (Approval approval : stored) {
			Current current = currents.computeIfAbsent(approval.plan() + "\u0000" + approval.phase(), key -> {
				PlanVersion version = this.plans.latest(approval.plan());
				return version.spec().phase(approval.phase()).map(phase -> current(version, phase)).orElse(null);
			});
			approvals.add(withVoid(approval, current));
		}
		return approvals;
	}

	@Override
	public List<String> refusals(PhaseStatus status, PlanVersion version, PhaseSpec phase, Action action,
			boolean measure) {
		if (action != Action.APPLY || status.dryRun() == null) {
			// no dry run to approve: the lifecycle says so
			return List.of();
		}
		return missing(version, phase, this.runs.get(status.dryRun()));
	}

	/**
	 * What the approvals of a dry run still lack for an apply, in words; empty when they
	 * are complete.
	 */
	private List<String> missing(PlanVersion version, PhaseSpec phase, RunView dryRun) {
		if (!phase.kind().writes()) {
			return List.of();
		}
		ApprovalsSpec needs = (version.spec().approvals() != null) ? version.spec().approvals() : ApprovalsSpec.DEFAULT;
		String reviewed = reviewed(version, phase, dryRun);
		Set<String> operators = new LinkedHashSet<>();
		Set<String> owners = new LinkedHashSet<>();
		java.util.Map<String, String> voided = new java.util.LinkedHashMap<>();
		java.util.Map<String, String> lapsed = new java.util.LinkedHashMap<>();
		for (Approval approval : this.store.sql(SELECT + " WHERE run_id = ? ORDER BY id")
			.param(dryRun.id())
			.query((rs, row) -> approval(rs, null))
			.list()) {
			if (!approval.reviewedSha256().equals(reviewed)) {
				voided.put(approval.approvedBy(), "The approval by " + approval.approvedBy() + " is void: "
						+ voidReason(phase, dryRun.id()) + ".");
				continue;
			}
			// an approval counts for the roles its approver holds now, enabled
			String by = approval.approvedBy();
			if (approval.asOperator() && !by.equals(dryRun.requestedBy())) {
				if (this.accounts.holdsNow(by, Role.OPERATOR)) {
					operators.add(by);
				}
				else {
					lapsed.put(by, "The approval by " + by + " no longer counts: " + by
							+ " is disabled, deleted or no longer an operator.");
				}
			}
			if (approval.asOwner()) {
				if (this.accounts.holdsNow(by, Role.OWNER)) {
					owners.add(by);
				}
				else if (!approval.asOperator()) {
					lapsed.put(by, "The sign-off by " + by + " no longer counts: " + by
							+ " is disabled, deleted or no longer an owner.");
				}
			}
		}
		// a void approval is worth a line only while its approver has not approved again
		operators.forEach(voided::remove);
		owners.forEach(voided::remove);
		List<String> refusals = new ArrayList<>();
		if (operators.size() < needs.operators()) {
			refusals.add(String.format(Locale.ROOT,
					"Dry run #%d needs %d operator approval(s) from someone other than %s, who requested it; it has %d.",
					dryRun.id(), needs.operators(), dryRun.requestedBy(), operators.size()));
		}
		else if (needs.ownerSignoff() && !owners.isEmpty() && !signOffBesides(operators, owners, needs.operators())) {
			// one person counts once: an admin's approval is an operator's or an owner's
			refusals.add(String.format(Locale.ROOT,
					"Dry run #%d needs an owner's sign-off from someone other than the %d operator(s) it counts (%s): "
							+ "one person's approval counts once.",
					dryRun.id(), needs.operators(), String.join(", ", operators)));
		}
		if (needs.ownerSignoff() && owners.isEmpty()) {
			refusals.add("Dry run #" + dryRun.id() + " needs an owner's sign-off.");
		}
		if (!refusals.isEmpty()) {
			refusals.addAll(voided.values());
			refusals.addAll(lapsed.values());
		}
		return refusals;
	}

	/**
	 * Whether some owner can sign off while {@code needed} other people count as
	 * operators.
	 */
	static boolean signOffBesides(Set<String> operators, Set<String> owners, int needed) {
		for (String owner : owners) {
			int others = operators.contains(owner) ? operators.size() - 1 : operators.size();
			if (others >= needed) {
				return true;
			}
		}
		return false;
	}

	private static final String SELECT = "SELECT id, plan, phase, run_id, reviewed_sha256, approved_by, as_operator, "
			+ "as_owner, comment, approved_at FROM approvals";

	private static Approval approval(java.sql.ResultSet rs, Current current) throws java.sql.SQLException {
		Approval approval = new Approval(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4),
				rs.getString(5), rs.getString(6), rs.getBoolean(7), rs.getBoolean(8), rs.getString(9),
				rs.getTimestamp(10).toInstant(), null);
		return (current == null) ? approval : withVoid(approval, current);
	}

	private static Approval withVoid(Approval approval, Current current) {
		String reason;
		if (current == null) {
			reason = "the phase is no longer in the plan";
		}
		else if (current.dryRun() == null || current.dryRun() != approval.runId()) {
			PhaseStatus status = current.status();
			if (status.dryRun() != null && status.dryRun() == approval.runId()) {
				reason = "it was spent: an approval authorizes one apply"
						+ (status.spentBy() != null ? " (apply #" + status.spentBy() + ")" : "");
			}
			else if (status.dryRun() != null && status.dryRun() > approval.runId()) {
				reason = "dry run #" + status.dryRun() + " is newer";
			}
			else {
				reason = "the phase is " + status.state().code().replace('-', ' ') + " now";
			}
		}
		else if (!approval.reviewedSha256().equals(current.reviewed())) {
			reason = current.changedSince();
		}
		else {
			return approval;
		}
		return new Approval(approval.id(), approval.plan(), approval.phase(), approval.runId(),
				approval.reviewedSha256(), approval.approvedBy(), approval.asOperator(), approval.asOwner(),
				approval.comment(), approval.approvedAt(), reason);
	}

	/**
	 * What an apply of the phase would use now: its latest succeeded dry run on the
	 * current version and the sha256 an approval must name.
	 */
	private record Current(Long dryRun, String reviewed, String changedSince, PhaseStatus status) {
	}

	private Current current(PlanVersion version, PhaseSpec phase) {
		PhaseStatus status = this.lifecycle.status(version.plan(), phase.id());
		if (!status.reviewable() || !phase.kind().writes()) {
			return new Current(null, null, null, status);
		}
		RunView dryRun = this.runs.get(status.dryRun());
		return new Current(dryRun.id(), reviewed(version, phase, dryRun), voidReason(phase, dryRun.id()), status);
	}

	/** What an approval of this dry run names. */
	String reviewed(PlanVersion version, PhaseSpec phase, RunView dryRun) {
		if (phase instanceof ImportPhase) {
			return dryRun.changeSetSha256();
		}
		if (phase instanceof MappingPhase) {
			return this.mappings.decisionsSha256(version.plan(), phase.id());
		}
		// a sql phase: its statements, as the plan's version has them
		return version.sha256();
	}

	private static String voidReason(PhaseSpec phase, long dryRun) {
		return (phase instanceof MappingPhase) ? "the decisions changed after it"
				: "dry run #" + dryRun + " is not what it approved";
	}

	@Override
	public void count(PlanVersion current, List<String> phases, SaveEffects.Tally tally) {
		int valid = 0;
		for (String phase : phases) {
			PhaseSpec spec = current.spec().phase(phase).orElse(null);
			if (spec == null) {
				continue;
			}
			Current now = current(current, spec);
			if (now.dryRun() != null) {
				valid += (int) this.store.sql(SELECT + " WHERE run_id = ? ORDER BY id")
					.param(now.dryRun())
					.query((rs, row) -> approval(rs, now))
					.list()
					.stream()
					.filter(Approval::valid)
					.count();
			}
		}
		tally.add("approval", "approvals", valid);
	}

	private static PhaseSpec phase(PlanVersion version, String phase) {
		return version.spec()
			.phase(phase)
			.orElseThrow(() -> new NotFoundException("run.phaseNotFound",
					"Plan " + version.plan() + " has no phase " + phase + ".", version.plan(), phase));
	}

	private static RefusedException refused(String reason) {
		return new RefusedException("approval.refused", reason, List.of(reason), reason);
	}

}
