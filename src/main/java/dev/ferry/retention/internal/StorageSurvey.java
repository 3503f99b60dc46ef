package dev.ferry.retention.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.ferry.changeset.ChangeSet;
import dev.ferry.changeset.ChangeSetService;
import dev.ferry.changeset.ChangeSetStorage;
import dev.ferry.importing.UndoImages;
import dev.ferry.importing.UndoStorage;
import dev.ferry.lifecycle.PhaseLifecycle;
import dev.ferry.lifecycle.PhaseState;
import dev.ferry.lifecycle.PhaseStatus;
import dev.ferry.mapping.MappingService;
import dev.ferry.mapping.MappingStorage;
import dev.ferry.plan.PlanService;
import dev.ferry.plan.PlanSummary;
import dev.ferry.retention.StorageItem;
import dev.ferry.retention.StorageKind;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;

import org.springframework.stereotype.Component;

/**
 * Finds the storage runs keep and decides, for each, whether anything still needs it: the
 * one place of the retention rules (see {@link dev.ferry.retention.RetentionService}). It
 * reads the runs, each phase's lifecycle state and what each owning module says it keeps;
 * it deletes nothing.
 */
@Component
class StorageSurvey {

	static final String STORE = "Ferry's store";

	private static final String IMPORT = "import";

	private static final String MAPPING = "mapping";

	private static final int PAGE = 500;

	private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
		.withZone(ZoneOffset.UTC);

	private final PlanService plans;

	private final RunService runs;

	private final PhaseLifecycle lifecycle;

	private final ChangeSetService changeSets;

	private final MappingService mappings;

	private final UndoImages undo;

	private final StoragePurges purges;

	private final RetentionProperties settings;

	private final Clock clock;

	StorageSurvey(PlanService plans, RunService runs, PhaseLifecycle lifecycle, ChangeSetService changeSets,
			MappingService mappings, UndoImages undo, StoragePurges purges, RetentionProperties settings, Clock clock) {
		this.plans = plans;
		this.runs = runs;
		this.lifecycle = lifecycle;
		this.changeSets = changeSets;
		this.mappings = mappings;
		this.undo = undo;
		this.purges = purges;
		this.settings = settings;
		this.clock = clock;
	}

	/** The storage every run of every plan keeps, oldest run first. */
	List<StorageItem> all() {
		Set<Long> undone = this.purges.runs(StorageKind.UNDO_IMAGES);
		List<StorageItem> items = new ArrayList<>();
		for (PlanSummary plan : this.plans.list()) {
			Plan runs = new Plan(plan.plan());
			for (RunView run : runs.all) {
				for (StorageKind kind : StorageKind.values()) {
					if (kind != StorageKind.UNDO_IMAGES || !undone.contains(run.id())) {
						item(runs, run, kind).ifPresent(items::add);
					}
				}
			}
		}
		items.sort(Comparator.comparingLong(StorageItem::runId).thenComparing(StorageItem::kind));
		return items;
	}

	/**
	 * One run's storage of one kind as things are now; empty when the run keeps none of
	 * it (nothing of the kind, or already purged).
	 */
	Optional<StorageItem> item(RunView run, StorageKind kind) {
		if (kind == StorageKind.UNDO_IMAGES && this.purges.find(run.id(), kind).isPresent()) {
			return Optional.empty();
		}
		return item(new Plan(run.plan()), run, kind);
	}

	private Optional<StorageItem> item(Plan plan, RunView run, StorageKind kind) {
		return switch (kind) {
			case CHANGE_SET -> keepsChangeSet(run) ? changeSet(plan, run) : Optional.empty();
			case MAPPING_ITEMS -> (MAPPING.equals(run.kind()) && run.mode() == RunMode.DRY_RUN)
					? mappingItems(plan, run) : Optional.empty();
			case UNDO_IMAGES ->
				(run.mode() == RunMode.APPLY && (IMPORT.equals(run.kind()) || MAPPING.equals(run.kind())))
						? undoImages(plan, run) : Optional.empty();
		};
	}

	/**
	 * An import's dry run keeps a change set, and so does a mapping's apply (its own).
	 */
	private static boolean keepsChangeSet(RunView run) {
		return (IMPORT.equals(run.kind()) && run.mode() == RunMode.DRY_RUN)
				|| (MAPPING.equals(run.kind()) && run.mode() == RunMode.APPLY);
	}

	// --- change sets -------------------------------------------------------------

	private Optional<StorageItem> changeSet(Plan plan, RunView run) {
		ChangeSetStorage storage = this.changeSets.storage(run.id()).orElse(null);
		if (storage == null || storage.purged()
				|| (storage.rows() == 0 && storage.tableRows() == 0 && storage.fileBytes() == 0)) {
			return Optional.empty();
		}
		Verdict verdict = changeSetVerdict(plan, run);
		return Optional.of(new StorageItem(StorageKind.CHANGE_SET, run.plan(), run.phase(), run.id(), STORE,
				storage.rows(), storage.tableRows(), storage.fileBytes(), verdict.purgeable(), verdict.reason()));
	}

	private Verdict changeSetVerdict(Plan plan, RunView run) {
		String name = (run.mode() == RunMode.APPLY ? "Apply #" : "Dry run #") + run.id();
		Optional<Verdict> busy = busy(plan, run, name);
		if (busy.isPresent()) {
			return busy.get();
		}
		PhaseStatus status = plan.status(run.phase());
		if (status.reviewable() && status.dryRun() != null && status.dryRun() == run.id()) {
			return Verdict.keep("Dry run #" + run.id() + " is the one the review, approvals and next apply of phase "
					+ run.phase() + " use.");
		}
		Long standing = status.applyRun();
		if (standing != null && standing == run.id()) {
			return Verdict
				.keep("Apply #" + run.id() + " stands: the change set it wrote stays readable while it stands.");
		}
		if (standing != null) {
			RunView apply = plan.run(standing);
			if (apply != null && apply.appliesRun() != null && apply.appliesRun() == run.id()) {
				return Verdict
					.keep("Apply #" + standing + " of it stands: what it wrote stays readable while it stands.");
			}
		}
		Long newest = plan.newestChangeSet(run.phase());
		if (newest != null && newest > run.id()) {
			return Verdict
				.purge("Superseded: run #" + newest + " has a newer change set of phase " + run.phase() + ".");
		}
		if (aged(run)) {
			return Verdict.purge("Ended on " + WHEN.format(run.finishedAt()) + ", longer ago than the max-age of "
					+ words(this.settings.maxAge()) + "; nothing needs it.");
		}
		return Verdict.keep("The newest change set of phase " + run.phase() + ": kept until a newer one is sealed"
				+ until(run) + ".");
	}

	// --- mapping items -----------------------------------------------------------

	private Optional<StorageItem> mappingItems(Plan plan, RunView run) {
		MappingStorage storage = this.mappings.storage(run.id()).orElse(null);
		if (storage == null || storage.purged()
				|| (storage.items() == 0 && storage.tableRows() == 0 && storage.fileBytes() == 0)) {
			return Optional.empty();
		}
		Verdict verdict = mappingVerdict(plan, run);
		return Optional.of(new StorageItem(StorageKind.MAPPING_ITEMS, run.plan(), run.phase(), run.id(), STORE,
				storage.items(), storage.tableRows(), storage.fileBytes(), verdict.purgeable(), verdict.reason()));
	}

	private Verdict mappingVerdict(Plan plan, RunView run) {
		Optional<Verdict> busy = busy(plan, run, "Dry run #" + run.id());
		if (busy.isPresent()) {
			return busy.get();
		}
		Long latest = plan.latestMapping(run.phase());
		if (latest != null && latest == run.id()) {
			return Verdict.keep("The latest dry run of phase " + run.phase()
					+ ": its review queue, coverage, gates and approvals read these items.");
		}
		PhaseStatus status = plan.status(run.phase());
		if (status.reviewable() && status.dryRun() != null && status.dryRun() == run.id()) {
			return Verdict.keep("Dry run #" + run.id() + " is the one the review, approvals and next apply of phase "
					+ run.phase() + " use.");
		}
		if (latest != null && latest > run.id()) {
			return Verdict.purge("Superseded by dry run #" + latest + " of phase " + run.phase() + ".");
		}
		if (aged(run)) {
			return Verdict.purge("Ended on " + WHEN.format(run.finishedAt()) + ", longer ago than the max-age of "
					+ words(this.settings.maxAge()) + "; no review queue reads it.");
		}
		return Verdict
			.keep("No later dry run of phase " + run.phase() + " has finished: kept until one does" + until(run) + ".");
	}

	// --- before-images -----------------------------------------------------------

	private Optional<StorageItem> undoImages(Plan plan, RunView run) {
		String connection = this.plans.version(run.plan(), run.planVersion()).spec().target();
		UndoStorage held;
		try {
			Optional<UndoStorage> kept = this.undo.held(connection, run.id());
			if (kept.isEmpty()) {
				return Optional.empty();
			}
			held = kept.get();
		}
		catch (RuntimeException ex) {
			return Optional
				.of(new StorageItem(StorageKind.UNDO_IMAGES, run.plan(), run.phase(), run.id(), connection, 0, 0, 0,
						false, "Its target, connection " + connection + ", cannot be read now: " + ex.getMessage()));
		}
		Verdict verdict = undoVerdict(plan, run);
		return Optional.of(new StorageItem(StorageKind.UNDO_IMAGES, run.plan(), run.phase(), run.id(), held.place(),
				held.images(), held.tableRows(), 0, verdict.purgeable(), verdict.reason()));
	}

	private Verdict undoVerdict(Plan plan, RunView run) {
		Optional<Verdict> busy = busy(plan, run, "Apply #" + run.id());
		if (busy.isPresent()) {
			return busy.get();
		}
		PhaseStatus status = plan.status(run.phase());
		if (status.applyRun() != null && status.applyRun() == run.id()) {
			String stands = "Apply #" + run.id() + " stands and can still be rolled back";
			if (this.settings.maxAge() == null) {
				return Verdict.keep(stands + ".");
			}
			if (run.state() != RunState.SUCCEEDED) {
				return Verdict
					.keep(stands + " (it ended " + run.state().code() + " after committing part of its batches).");
			}
			if (status.state() != PhaseState.APPLIED && status.state() != PhaseState.VERIFIED) {
				return Verdict.keep(stands + ": phase " + run.phase() + " is " + status.code() + ".");
			}
			if (!aged(run)) {
				return Verdict.keep(stands + "; it becomes final on "
						+ WHEN.format(run.finishedAt().plus(this.settings.maxAge())) + ", when it has stood longer than"
						+ " the max-age of " + words(this.settings.maxAge()) + ".");
			}
			return Verdict.purge("Apply #" + run.id() + " has stood since " + WHEN.format(run.finishedAt())
					+ ", longer than the max-age of " + words(this.settings.maxAge())
					+ ": it is final, and can no longer be rolled back once its before-images are purged.");
		}
		if (run.state() == RunState.ROLLED_BACK) {
			Long rollback = plan.rollbackOf(run.id());
			return Verdict.purge("Apply #" + run.id() + " was rolled back"
					+ (rollback != null ? " by rollback #" + rollback : "") + ": nothing can roll it back again.");
		}
		return Verdict.purge("Apply #" + run.id() + " ended " + run.state().code()
				+ " and does not stand in the target: nothing can roll it back.");
	}

	// --- shared ------------------------------------------------------------------

	/** Kept while the run, or any run of its plan, is queued or running. */
	private static Optional<Verdict> busy(Plan plan, RunView run, String name) {
		if (run.state().active()) {
			return Optional.of(Verdict.keep(name + " is still running."));
		}
		if (plan.active != null) {
			return Optional.of(Verdict.keep("Run #" + plan.active.id() + " of plan " + run.plan()
					+ " is running: nothing of the plan is purged until it has ended."));
		}
		return Optional.empty();
	}

	private boolean aged(RunView run) {
		Duration maxAge = this.settings.maxAge();
		return maxAge != null && run.finishedAt() != null
				&& run.finishedAt().isBefore(this.clock.instant().minus(maxAge));
	}

	private String until(RunView run) {
		Duration maxAge = this.settings.maxAge();
		if (maxAge == null || run.finishedAt() == null) {
			return "";
		}
		return " or it is older than " + words(maxAge) + " (on " + WHEN.format(run.finishedAt().plus(maxAge)) + ")";
	}

	/** A duration as people say it: {@code 90 days}, else ISO-8601. */
	static String words(Duration duration) {
		if (duration.toSeconds() % 86_400 == 0) {
			long days = duration.toDays();
			return days + (days == 1 ? " day" : " days");
		}
		return duration.toString();
	}

	private record Verdict(boolean purgeable, String reason) {

		static Verdict keep(String reason) {
			return new Verdict(false, reason);
		}

		static Verdict purge(String reason) {
			return new Verdict(true, reason);
		}

	}

	/**
	 * A plan's runs, newest first, and what its phases are now (each read once, when
	 * first asked).
	 */
	private final class Plan {

		final List<RunView> all = new ArrayList<>();

		final Map<Long, RunView> byId = new HashMap<>();

		final RunView active;

		private final String plan;

		private final Map<String, PhaseStatus> statuses = new HashMap<>();

		private final Map<String, Optional<Long>> newestChangeSets = new HashMap<>();

		private final Map<String, Optional<Long>> latestMappings = new HashMap<>();

		Plan(String plan) {
			this.plan = plan;
			Long before = null;
			while (true) {
				List<RunView> page = StorageSurvey.this.runs.ofPlan(plan, before, PAGE);
				this.all.addAll(page);
				if (page.size() < PAGE) {
					break;
				}
				before = page.get(page.size() - 1).id();
			}
			RunView running = null;
			for (RunView run : this.all) {
				this.byId.put(run.id(), run);
				if (run.state().active()) {
					running = run;
				}
			}
			this.active = running;
		}

		RunView run(long id) {
			return this.byId.get(id);
		}

		PhaseStatus status(String phase) {
			return this.statuses.computeIfAbsent(phase, p -> StorageSurvey.this.lifecycle.status(this.plan, p));
		}

		Long newestChangeSet(String phase) {
			return this.newestChangeSets
				.computeIfAbsent(phase, p -> StorageSurvey.this.changeSets.latest(this.plan, p).map(ChangeSet::runId))
				.orElse(null);
		}

		Long latestMapping(String phase) {
			return this.latestMappings.computeIfAbsent(phase, p -> StorageSurvey.this.mappings.latestRun(this.plan, p))
				.orElse(null);
		}

		/** The rollback that undid an apply. */
		Long rollbackOf(long apply) {
			return this.all.stream()
				.filter(run -> run.rollsBack() != null && run.rollsBack() == apply && run.state() == RunState.SUCCEEDED)
				.map(RunView::id)
				.findFirst()
				.orElse(null);
		}

	}

}
