package dev.ferry.runbook.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import dev.ferry.gate.Approval;
import dev.ferry.gate.ApprovalService;
import dev.ferry.gate.GateResult;
import dev.ferry.gate.GateService;
import dev.ferry.gate.Verification;
import dev.ferry.lifecycle.PhaseLifecycle;
import dev.ferry.lifecycle.PhaseStatus;
import dev.ferry.plan.PlanService;
import dev.ferry.plan.PlanVersion;
import dev.ferry.plan.spec.ApprovalsSpec;
import dev.ferry.plan.spec.ColumnRule;
import dev.ferry.plan.spec.ImportPhase;
import dev.ferry.plan.spec.MappingPhase;
import dev.ferry.plan.spec.Normalization;
import dev.ferry.plan.spec.PhaseSpec;
import dev.ferry.plan.spec.PlanSpec;
import dev.ferry.plan.spec.PreflightPhase;
import dev.ferry.plan.spec.SnapshotPhase;
import dev.ferry.plan.spec.SqlPhase;
import dev.ferry.plan.spec.TableRef;
import dev.ferry.plan.spec.VerifyPhase;
import dev.ferry.problem.NotFoundException;
import dev.ferry.problem.RefusedException;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;
import dev.ferry.runbook.Checklist;
import dev.ferry.runbook.ChecklistChanged;
import dev.ferry.runbook.Estimate;
import dev.ferry.runbook.Runbook;
import dev.ferry.runbook.RunbookService;
import dev.ferry.security.CurrentUser;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Builds the runbook of a plan's latest version from the plan, the phases' lifecycle,
 * their measured runs, gates and approvals, and keeps the checklists of production runs.
 */
@Service
class RunbookBuilder implements RunbookService {

	/**
	 * The result a sql phase's dry run keeps of whether it executed its statements (the
	 * sql module's {@code SqlExecutor.DRY_RUN_RESULT}).
	 */
	static final String SQL_DRY_RUN_RESULT = "sql-dry-run";

	private final PlanService plans;

	private final RunService runs;

	private final GateService gates;

	private final ApprovalService approvals;

	private final PhaseLifecycle lifecycle;

	private final StoredChecklists checklists;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	private final RunbookMarkdown markdown;

	RunbookBuilder(PlanService plans, RunService runs, GateService gates, ApprovalService approvals,
			PhaseLifecycle lifecycle, StoredChecklists checklists, ApplicationEventPublisher events, Clock clock,
			RunbookMarkdown markdown) {
		this.markdown = markdown;
		this.plans = plans;
		this.runs = runs;
		this.gates = gates;
		this.approvals = approvals;
		this.lifecycle = lifecycle;
		this.checklists = checklists;
		this.events = events;
		this.clock = clock;
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public Runbook runbook(String plan) {
		PlanVersion version = this.plans.latest(plan);
		PlanSpec spec = version.spec();
		List<Runbook.Step> steps = new ArrayList<>();
		List<Runbook.VerifyCheck> verifyChecks = new ArrayList<>();
		int number = 0;
		for (PhaseSpec phase : spec.phases()) {
			number++;
			PhaseStatus status = this.lifecycle.status(plan, phase.id());
			Estimates.Measured measured = measured(plan, phase, status);
			Estimate apply = Estimates.apply(phase.kind(), measured);
			Estimate rollback = Estimates.rollback(phase.kind(), measured, apply);
			List<Runbook.Gate> gates = this.gates.latest(plan, phase.id()).stream().map(RunbookBuilder::gate).toList();
			boolean writes = phase.kind().writes();
			List<Runbook.Given> given = writes ? given(plan, phase.id(), status) : List.of();
			Description description = describe(spec, phase);
			steps.add(new Runbook.Step(number, phase.id(), phase.kind().yamlName(), status.code(),
					description.summary(), description.facts(), description.code(), description.table(), gates,
					writes ? needed(spec.approvals()) : null, given, apply, rollback));
			if (phase instanceof VerifyPhase verify) {
				for (Runbook.Gate gate : gates) {
					verifyChecks.add(new Runbook.VerifyCheck(verify.id(), verify.onFail().yamlName(), gate));
				}
			}
		}
		Runbook.Downtime downtime = downtime(steps);
		List<Runbook.RollbackStep> path = rollbackPath(spec, steps);
		return new Runbook(plan, version.version(), version.sha256(), spec.title(), spec.description(), spec.source(),
				spec.target(), needed(spec.approvals()), (spec.window() == null) ? null : spec.window().text(), steps,
				downtime, path, verifyChecks, checklistItems(spec, steps, downtime), this.clock.instant());
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public String markdown(String plan) {
		return this.markdown.write(runbook(plan));
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public Optional<Checklist> latestChecklist(String plan) {
		return this.checklists.ofPlan(plan, 1).stream().findFirst();
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public List<Checklist> checklists(String plan, int limit) {
		return this.checklists.ofPlan(plan, Math.max(1, Math.min(limit, 100)));
	}

	@Override
	@PreAuthorize("hasRole('OPERATOR')")
	@Transactional
	public Checklist startChecklist(String plan) {
		PlanVersion version = this.plans.latest(plan);
		String by = user();
		Instant at = this.clock.instant();
		long id = this.checklists.start(plan, version.version(), by, at);
		this.events.publishEvent(
				new ChecklistChanged(plan, version.version(), id, null, null, ChecklistChanged.Change.STARTED, by, at));
		return this.checklists.get(id).orElseThrow();
	}

	@Override
	@PreAuthorize("hasRole('OPERATOR')")
	@Transactional
	public Checklist tick(String plan, long checklistId, String item, boolean ticked) {
		Checklist checklist = this.checklists.get(checklistId)
			.filter(found -> found.plan().equals(plan))
			.orElseThrow(() -> new NotFoundException("runbook.checklist.notFound",
					"Plan " + plan + " has no checklist #" + checklistId + ".", plan, checklistId));
		long newest = latestChecklist(plan).map(Checklist::id).orElse(checklistId);
		if (newest != checklistId) {
			throw new RefusedException("runbook.checklist.notNewest", "Checklist #" + checklistId
					+ " is not the newest of plan " + plan + ": tick the items of checklist #" + newest + ".",
					checklistId, plan, newest);
		}
		PlanVersion version = this.plans.version(plan, checklist.version());
		Runbook.ChecklistItem found = itemsOf(plan, version).stream()
			.filter(candidate -> candidate.key().equals(item))
			.findFirst()
			.orElseThrow(() -> new RefusedException("runbook.checklist.noItem",
					"The checklist of plan " + plan + " version " + checklist.version() + " has no item " + item + ".",
					plan, checklist.version(), item));
		String by = user();
		Instant at = this.clock.instant();
		this.checklists.lock(checklistId);
		boolean changed = ticked ? this.checklists.tick(checklistId, item, found.label(), by, at)
				: this.checklists.untick(checklistId, item);
		if (changed) {
			this.events.publishEvent(new ChecklistChanged(plan, checklist.version(), checklistId, item, found.label(),
					ticked ? ChecklistChanged.Change.TICKED : ChecklistChanged.Change.UNTICKED, by, at));
		}
		return this.checklists.get(checklistId).orElseThrow();
	}

	/**
	 * The checklist items of a plan version: those of its runbook when it is the latest
	 * version, else its phases' (with no estimates).
	 */
	private List<Runbook.ChecklistItem> itemsOf(String plan, PlanVersion version) {
		PlanVersion latest = this.plans.latest(plan);
		if (latest.version() == version.version()) {
			return runbook(plan).checklist();
		}
		return checklistItems(version.spec(), List.of(), null);
	}

	private static String user() {
		return CurrentUser.get().map(CurrentUser::username).orElse("ferry-system");
	}

	private Estimates.Measured measured(String plan, PhaseSpec phase, PhaseStatus status) {
		// the dry run an apply would write: the phase's current one, else its latest
		Optional<RunView> dryRun = Optional.ofNullable(status.dryRun())
			.map(this.runs::get)
			.filter(run -> run.state() == RunState.SUCCEEDED)
			.or(() -> this.runs.latestSucceeded(plan, phase.id(), RunMode.DRY_RUN));
		Estimates.Figures dry = dryRun.map(RunbookBuilder::figures).orElse(null);
		Optional<RunView> apply = this.runs.latestSucceeded(plan, phase.id(), RunMode.APPLY);
		Estimates.Figures applied = apply.map(RunbookBuilder::figures).orElse(null);
		Estimates.Figures rolledBack = this.runs.latestSucceeded(plan, phase.id(), RunMode.ROLLBACK)
			.map(RunbookBuilder::figures)
			.orElse(null);
		Boolean executed = null;
		if (phase.kind() == PhaseSpec.Kind.SQL && dry != null) {
			executed = this.runs.result(dry.runId(), SQL_DRY_RUN_RESULT)
				.map(json -> json.replace(" ", "").contains("\"executed\":true"))
				.orElse(null);
		}
		Double verifySeconds = null;
		if (phase.kind() == PhaseSpec.Kind.VERIFY) {
			verifySeconds = this.gates.verification(plan, phase.id())
				.flatMap(verdict -> verifiedAfter(verdict))
				.orElse(null);
		}
		boolean irreversible = phase instanceof SqlPhase sql && sql.irreversible();
		return new Estimates.Measured(dry, applied, rolledBack, executed, verifySeconds, irreversible);
	}

	/** How long after its apply ended a verdict came. */
	private Optional<Double> verifiedAfter(Verification verdict) {
		RunView apply = this.runs.get(verdict.afterApply());
		if (apply.finishedAt() == null || verdict.verifiedAt().isBefore(apply.finishedAt())) {
			return Optional.empty();
		}
		return Optional.of(Duration.between(apply.finishedAt(), verdict.verifiedAt()).toMillis() / 1000.0);
	}

	private static Estimates.Figures figures(RunView run) {
		if (run.startedAt() == null || run.finishedAt() == null) {
			return null;
		}
		return new Estimates.Figures(run.id(), Duration.between(run.startedAt(), run.finishedAt()).toMillis() / 1000.0,
				run.counts());
	}

	private static Runbook.Gate gate(GateResult result) {
		return new Runbook.Gate(result.id(), result.check(), result.level().yamlName(), result.threshold(),
				result.value(), result.state().code(),
				result.measuredOnRun() == null ? null : "run #" + result.measuredOnRun());
	}

	/**
	 * The approvals of the phase's current dry run that count, or that its apply spent
	 * (who approved what was applied belongs in the runbook too).
	 */
	private List<Runbook.Given> given(String plan, String phase, PhaseStatus status) {
		if (status.dryRun() == null) {
			return List.of();
		}
		return this.approvals.ofPhase(plan, phase, 50)
			.stream()
			.filter(approval -> approval.runId() == status.dryRun()
					&& (approval.valid() || approval.voidReason().startsWith("it was spent")))
			.map(approval -> new Runbook.Given(approval.approvedBy(), as(approval), approval.approvedAt(),
					approval.comment(), approval.voidReason()))
			.toList();
	}

	private static String as(Approval approval) {
		if (approval.asOperator() && approval.asOwner()) {
			return "operator and owner";
		}
		return approval.asOwner() ? "owner" : "operator";
	}

	static String needed(ApprovalsSpec spec) {
		ApprovalsSpec approvals = (spec == null) ? ApprovalsSpec.DEFAULT : spec;
		String operators = approvals.operators() + " operator approval" + (approvals.operators() == 1 ? "" : "s")
				+ " of its dry run, never the requester's own";
		return approvals.ownerSignoff() ? operators + ", and an owner's sign-off" : operators;
	}

	static Runbook.Downtime downtime(List<Runbook.Step> steps) {
		List<Runbook.DowntimeRow> rows = new ArrayList<>();
		double at = 0;
		int notMeasured = 0;
		for (Runbook.Step step : steps) {
			Estimate estimate = step.apply();
			String starts = Estimate.offset(at);
			String ends = null;
			if (estimate.measured()) {
				at += estimate.seconds();
				ends = Estimate.offset(at);
			}
			else {
				notMeasured++;
			}
			rows.add(new Runbook.DowntimeRow(step.number(), step.phase(), step.kind(), estimate, starts, ends));
		}
		return new Runbook.Downtime(rows, Estimate.of(at, "the sum of the measured phases"), notMeasured);
	}

	private static List<Runbook.RollbackStep> rollbackPath(PlanSpec spec, List<Runbook.Step> steps) {
		List<Runbook.RollbackStep> path = new ArrayList<>();
		int order = 0;
		for (int i = steps.size() - 1; i >= 0; i--) {
			Runbook.Step step = steps.get(i);
			PhaseSpec phase = spec.phases().get(i);
			if (!phase.kind().writes()) {
				continue;
			}
			order++;
			String how = "";
			if (phase instanceof SqlPhase sql) {
				how = sql.irreversible()
						? "Irreversible: it has no rollback. Restore the target from a backup taken before the apply."
						: "Runs its rollback statements on " + sql.connection() + " in one transaction.";
			}
			else if (phase instanceof ImportPhase in) {
				how = "Undoes each batch of the apply from the before-images in the target's undo table, newest "
						+ "batch first, then checks that " + in.table()
						+ "'s checksum is the one taken right before the apply.";
			}
			else if (phase instanceof MappingPhase map) {
				how = "Undoes the map written into " + map.into().table()
						+ " from its before-images, newest batch first, then checks its checksum.";
			}
			path.add(new Runbook.RollbackStep(order, step.phase(), step.kind(), how, step.rollback()));
		}
		return path;
	}

	static List<Runbook.ChecklistItem> checklistItems(PlanSpec spec, List<Runbook.Step> steps,
			Runbook.Downtime downtime) {
		List<Runbook.ChecklistItem> items = new ArrayList<>();
		String expected = (downtime == null) ? "" : "; expected downtime " + downtime.totalText();
		String window = (spec.window() == null) ? "" : " (applies start only in " + spec.window().text() + ")";
		items.add(new Runbook.ChecklistItem("announce", "Announce the maintenance window" + window
				+ " to the people who use " + spec.target() + expected + "."));
		items.add(new Runbook.ChecklistItem("ready",
				"Every phase that writes has a fresh dry run, its gates pass and its approvals are given."));
		List<String> snapshots = spec.phases()
			.stream()
			.filter(SnapshotPhase.class::isInstance)
			.map(PhaseSpec::id)
			.toList();
		items.add(new Runbook.ChecklistItem("backup",
				snapshots.isEmpty()
						? "A backup of " + spec.target() + " is taken, and where it is kept is written down."
						: "A backup of " + spec.target() + " is taken, beside the snapshots of phase "
								+ String.join(", ", snapshots) + ", and where it is kept is written down."));
		int index = 0;
		for (PhaseSpec phase : spec.phases()) {
			Estimate estimate = (index < steps.size()) ? steps.get(index).apply() : null;
			String about = (estimate == null || !estimate.measured()) ? "" : " (about " + estimate.text() + ")";
			String label = switch (phase.kind()) {
				case PREFLIGHT ->
					"Phase " + phase.id() + ": run it" + about + "; the counts and checksums are recorded.";
				case SNAPSHOT -> "Phase " + phase.id() + ": take the snapshot" + about
						+ "; every table's copy matches the live table.";
				case VERIFY -> "Phase " + phase.id() + ": its checks passed after the applies" + about + ".";
				default -> "Phase " + phase.id() + ": apply it" + about + ", then check its gates and row counts.";
			};
			items.add(new Runbook.ChecklistItem("phase:" + phase.id(), label));
			index++;
		}
		items.add(new Runbook.ChecklistItem("done",
				"Announce the end of the maintenance window, with the row counts of the dashboard."));
		return items;
	}

	private record Description(String summary, List<Runbook.Fact> facts, List<Runbook.Code> code, Runbook.Table table) {
	}

	private static Description describe(PlanSpec spec, PhaseSpec phase) {
		List<Runbook.Fact> facts = new ArrayList<>();
		List<Runbook.Code> code = new ArrayList<>();
		if (phase instanceof PreflightPhase preflight) {
			facts.add(new Runbook.Fact("Connection", preflight.connection()));
			if (!preflight.count().isEmpty()) {
				facts.add(new Runbook.Fact("Row counts", tables(preflight.count())));
			}
			if (!preflight.checksum().isEmpty()) {
				facts.add(new Runbook.Fact("Checksums", tables(preflight.checksum())));
			}
			if (!preflight.snapshot().isEmpty()) {
				facts.add(new Runbook.Fact("Snapshots", tables(preflight.snapshot())));
			}
			return new Description("Measures the target before anything changes: row counts, checksums, and the "
					+ "baselines of the query-unchanged gates. It writes nothing.", facts, code, null);
		}
		if (phase instanceof SnapshotPhase snapshot) {
			facts.add(new Runbook.Fact("Connection", snapshot.connection()));
			facts.add(new Runbook.Fact("Tables", tables(snapshot.tables())));
			return new Description("Copies the tables into Ferry's data directory and checks each copy's rows and "
					+ "checksum against the live table. It writes nothing on the database; a table is restored from "
					+ "its snapshot by an import with its own dry run and approval.", facts, code, null);
		}
		if (phase instanceof SqlPhase sql) {
			facts.add(new Runbook.Fact("Connection", sql.connection()));
			code.add(new Runbook.Code("Apply", sql.apply().strip()));
			if (sql.irreversible()) {
				facts.add(new Runbook.Fact("Rollback", "none: the phase is irreversible"));
			}
			else if (sql.rollback() != null) {
				code.add(new Runbook.Code("Rollback", sql.rollback().strip()));
			}
			return new Description("Runs its statements on " + sql.connection() + " in one transaction"
					+ (sql.irreversible() ? "; it cannot be rolled back." : "; its rollback statements undo them."),
					facts, code, null);
		}
		if (phase instanceof ImportPhase in) {
			facts.add(new Runbook.Fact("Reads from", in.connection()));
			facts.add(new Runbook.Fact("Writes", spec.target() + "." + in.table()));
			facts.add(new Runbook.Fact("Key", String.join(", ", in.key())));
			facts.add(new Runbook.Fact("Rows missing from the source", in.deleteMissing() ? "deleted" : "kept"));
			facts.add(new Runbook.Fact("Batch size", String.format(Locale.ROOT, "%,d rows", in.batchSize())));
			code.add(new Runbook.Code("Query", in.query().strip()));
			List<List<String>> rows = new ArrayList<>();
			for (Map.Entry<String, ColumnRule> column : in.columns().entrySet()) {
				ColumnRule rule = column.getValue();
				rows.add(List.of(column.getKey(), rule.from() == null ? column.getKey() : rule.from(),
						rule.type().yamlName() + (rule.format() == null ? "" : " (" + rule.format() + ")"),
						normalizations(rule.normalize()), quoted(rule.nullIf()), rule.required() ? "yes" : "no",
						rule.defaultValue() == null ? "" : rule.defaultValue()));
			}
			Runbook.Table table = new Runbook.Table("Column rules",
					List.of("Column", "From", "Type", "Normalize", "Null if", "Required", "Default"), rows);
			return new Description(
					"Reads the query on " + in.connection() + " and writes " + in.table() + " by its key ("
							+ String.join(", ", in.key()) + "): new rows inserted, changed rows updated"
							+ (in.deleteMissing() ? ", rows missing from the source deleted" : "") + ", in batches of "
							+ String.format(Locale.ROOT, "%,d", in.batchSize()) + " rows, each undoable.",
					facts, code, table);
		}
		if (phase instanceof MappingPhase map) {
			facts.add(new Runbook.Fact("Old records",
					map.oldSide().connection() + "." + map.oldSide().table() + " by " + map.oldSide().key()));
			facts.add(new Runbook.Fact("New records",
					map.newSide().connection() + "." + map.newSide().table() + " by " + map.newSide().key()));
			facts.add(new Runbook.Fact("Block", map.block().oldColumn() + " = " + map.block().newColumn()
					+ (map.block().normalize().isEmpty() ? "" : ", " + normalizations(map.block().normalize()))));
			facts.add(new Runbook.Fact("Accepted automatically",
					String.format(Locale.ROOT, "best score at least %s and ahead of the second by at least %s",
							number(map.accept().minScore()), number(map.accept().minMargin()))));
			facts.add(new Runbook.Fact("A new record mapped once", map.uniqueNew() ? "yes" : "no"));
			facts.add(new Runbook.Fact("Map written into",
					map.into().table() + " (" + map.into().oldColumn() + ", " + map.into().newColumn()
							+ (map.into().statusColumn() == null ? "" : ", " + map.into().statusColumn())
							+ (map.into().confidenceColumn() == null ? "" : ", " + map.into().confidenceColumn())
							+ ")"));
			Runbook.Table table = null;
			if (!map.tieBreakers().isEmpty()) {
				List<List<String>> rows = new ArrayList<>();
				for (MappingPhase.TieBreaker tie : map.tieBreakers()) {
					rows.add(List.of(tie.oldColumn(), tie.newColumn(), number(tie.weight()), tie.compare().yamlName(),
							normalizations(tie.normalize())));
				}
				table = new Runbook.Table("Tie-breakers", List.of("Old", "New", "Weight", "Compare", "Normalize"),
						rows);
			}
			return new Description("Maps each old record of " + map.oldSide().table() + " to a record of "
					+ map.newSide().table() + " with the same block value, scores the candidates by the "
					+ "tie-breakers, and writes the map, reviewed where it was ambiguous, into " + map.into().table()
					+ ".", facts, code, table);
		}
		VerifyPhase verify = (VerifyPhase) phase;
		{
			facts.add(new Runbook.Fact("When a check fails",
					verify.onFail() == VerifyPhase.OnFail.ROLLBACK
							? "every apply of the plan is rolled back, newest first"
							: "the failure is shown; nothing is undone"));
			return new Description("After the applies, checks " + verify.gates().size() + " gate"
					+ (verify.gates().size() == 1 ? "" : "s") + " against the target.", facts, code, null);
		}
	}

	private static String tables(List<TableRef> tables) {
		return tables.stream().map(TableRef::toString).collect(Collectors.joining(", "));
	}

	private static String normalizations(List<Normalization> normalize) {
		Set<String> names = new LinkedHashSet<>();
		normalize.forEach(n -> names.add(n.yamlName()));
		return String.join(", ", names);
	}

	private static String quoted(List<String> values) {
		return values.stream().map(value -> "\"" + value + "\"").collect(Collectors.joining(", "));
	}

	private static String number(double value) {
		return (value == Math.rint(value)) ? String.valueOf((long) value) : String.valueOf(value);
	}

}
