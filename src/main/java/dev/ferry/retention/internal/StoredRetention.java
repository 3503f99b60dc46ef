package dev.ferry.retention.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

import dev.ferry.changeset.ChangeSetService;
import dev.ferry.changeset.ChangeSetStorage;
import dev.ferry.importing.UndoImages;
import dev.ferry.importing.UndoStorage;
import dev.ferry.lifecycle.PhaseLifecycle;
import dev.ferry.mapping.MappingService;
import dev.ferry.mapping.MappingStorage;
import dev.ferry.plan.PlanService;
import dev.ferry.problem.InvalidException;
import dev.ferry.problem.RefusedException;
import dev.ferry.retention.PurgePreview;
import dev.ferry.retention.PurgeRecord;
import dev.ferry.retention.PurgeResult;
import dev.ferry.retention.PurgeTarget;
import dev.ferry.retention.RetentionService;
import dev.ferry.retention.StorageItem;
import dev.ferry.retention.StoragePurged;
import dev.ferry.retention.StorageTotals;
import dev.ferry.run.RunService;
import dev.ferry.run.RunView;
import dev.ferry.security.CurrentUser;
import dev.ferry.security.SystemActor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@link RetentionService}: the preview is the survey's answer; a purge checks every
 * storage asked for first (all or nothing), then purges each in a store transaction of
 * its own that holds its phase (so no run of it starts meanwhile), asks the survey again,
 * deletes through the owning module, records the purge and publishes it for the audit
 * log. Before-images live in the target: their delete commits there first, then the
 * store's record.
 */
@Service
class StoredRetention implements RetentionService {

	static final int MAX_HISTORY = 200;

	private static final Logger log = LoggerFactory.getLogger(StoredRetention.class);

	private final StorageSurvey survey;

	private final StoragePurges purges;

	private final RunService runs;

	private final PlanService plans;

	private final PhaseLifecycle lifecycle;

	private final ChangeSetService changeSets;

	private final MappingService mappings;

	private final UndoImages undo;

	private final RetentionProperties settings;

	private final ApplicationEventPublisher events;

	private final TransactionTemplate transactions;

	private final Clock clock;

	StoredRetention(StorageSurvey survey, StoragePurges purges, RunService runs, PlanService plans,
			PhaseLifecycle lifecycle, ChangeSetService changeSets, MappingService mappings, UndoImages undo,
			RetentionProperties settings, ApplicationEventPublisher events, PlatformTransactionManager transactions,
			Clock clock) {
		this.survey = survey;
		this.purges = purges;
		this.runs = runs;
		this.plans = plans;
		this.lifecycle = lifecycle;
		this.changeSets = changeSets;
		this.mappings = mappings;
		this.undo = undo;
		this.settings = settings;
		this.events = events;
		this.transactions = new TransactionTemplate(transactions);
		this.clock = clock;
	}

	@Override
	@PreAuthorize("hasRole('ADMIN')")
	public PurgePreview preview() {
		List<StorageItem> purgeable = new ArrayList<>();
		List<StorageItem> kept = new ArrayList<>();
		for (StorageItem item : this.survey.all()) {
			(item.purgeable() ? purgeable : kept).add(item);
		}
		return new PurgePreview(this.clock.instant(), this.settings.maxAge(), this.settings.schedule(), purgeable, kept,
				StorageTotals.of(purgeable));
	}

	@Override
	@PreAuthorize("hasRole('ADMIN')")
	public PurgeResult purge(List<PurgeTarget> targets) {
		if (targets == null || targets.isEmpty()) {
			throw new InvalidException("items", "retention.nothingNamed",
					"Name the storage to purge: at least one {kind, runId}.");
		}
		List<PurgeTarget> asked = List.copyOf(new LinkedHashSet<>(targets));
		List<String> refusals = new ArrayList<>();
		List<Asked> checked = new ArrayList<>();
		for (PurgeTarget target : asked) {
			RunView run = this.runs.get(target.runId());
			Optional<StorageItem> item = this.survey.item(run, target.kind());
			if (item.isEmpty()) {
				refusals.add("Run #" + run.id() + " keeps no " + words(target) + " (none, or purged already).");
			}
			else if (!item.get().purgeable()) {
				refusals.add("The " + words(target) + " of run #" + run.id() + " (" + run.plan() + " · " + run.phase()
						+ ") are kept: " + item.get().reason());
			}
			checked.add(new Asked(target, run));
		}
		if (!refusals.isEmpty()) {
			throw new RefusedException("retention.refused", "Nothing was purged: " + String.join(" ", refusals),
					refusals, String.join(" ", refusals));
		}
		return purgeEach(checked);
	}

	@Override
	@PreAuthorize("hasRole('ADMIN')")
	public PurgeResult purgeAll() {
		List<Asked> all = new ArrayList<>();
		for (StorageItem item : this.survey.all()) {
			if (item.purgeable()) {
				all.add(new Asked(item.target(), this.runs.get(item.runId())));
			}
		}
		return purgeEach(all);
	}

	@Override
	@PreAuthorize("hasRole('ADMIN')")
	public List<PurgeRecord> history(int limit) {
		return this.purges.latest(Math.max(1, Math.min(limit, MAX_HISTORY)));
	}

	private PurgeResult purgeEach(List<Asked> asked) {
		List<StorageItem> purged = new ArrayList<>();
		List<PurgeResult.Failure> failed = new ArrayList<>();
		for (Asked one : asked) {
			try {
				StorageItem freed = this.transactions.execute(status -> purgeOne(one));
				if (freed != null) {
					purged.add(freed);
				}
			}
			catch (RuntimeException ex) {
				String reason = (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName();
				log.warn("Could not purge the {} of run #{}: {}", one.target().kind().code(), one.run().id(), reason);
				failed.add(new PurgeResult.Failure(one.target(), one.run().plan(), one.run().phase(), reason));
			}
		}
		return new PurgeResult(purged, failed, StorageTotals.of(purged));
	}

	/**
	 * Purges one storage with its phase held, if it may still be purged now; else refuses
	 * with the reason.
	 */
	private StorageItem purgeOne(Asked one) {
		RunView run = one.run();
		this.lifecycle.hold(run.plan(), run.phase());
		StorageItem item = this.survey.item(run, one.target().kind())
			.orElseThrow(() -> new RefusedException("retention.gone",
					"Run #" + run.id() + " no longer keeps " + words(one.target()) + ".", String.valueOf(run.id()),
					words(one.target())));
		if (!item.purgeable()) {
			throw new RefusedException("retention.kept.now",
					"The " + words(one.target()) + " of run #" + run.id() + " are kept now: " + item.reason(),
					words(one.target()), String.valueOf(run.id()), item.reason());
		}
		Instant at = this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
		String by = CurrentUser.get().map(CurrentUser::username).orElse(SystemActor.NAME);
		StorageItem freed = switch (item.kind()) {
			case CHANGE_SET -> {
				ChangeSetStorage done = this.changeSets.purgeRows(run.id());
				yield freed(item, done.rows(), done.tableRows(), done.fileBytes());
			}
			case MAPPING_ITEMS -> {
				MappingStorage done = this.mappings.purgeItems(run.id());
				yield freed(item, done.items(), done.tableRows(), done.fileBytes());
			}
			case UNDO_IMAGES -> {
				String connection = this.plans.version(run.plan(), run.planVersion()).spec().target();
				UndoStorage done = this.undo.purge(connection, run.id());
				yield freed(item, done.images(), done.tableRows(), 0);
			}
		};
		this.purges.record(freed, by, at);
		this.events.publishEvent(new StoragePurged(freed, by, at));
		log.info("Purged the {} of run #{} ({} · {}): {} row(s), {} table row(s), {} byte(s) of files; {}",
				freed.kind().code(), run.id(), run.plan(), run.phase(), freed.rows(), freed.tableRows(),
				freed.fileBytes(), freed.reason());
		return freed;
	}

	private static StorageItem freed(StorageItem item, long rows, long tableRows, long fileBytes) {
		return new StorageItem(item.kind(), item.plan(), item.phase(), item.runId(), item.place(), rows, tableRows,
				fileBytes, true, item.reason());
	}

	/** What a kind of storage is called in sentences. */
	static String words(PurgeTarget target) {
		return switch (target.kind()) {
			case CHANGE_SET -> "change set rows";
			case MAPPING_ITEMS -> "mapping items";
			case UNDO_IMAGES -> "before-images";
		};
	}

	private record Asked(PurgeTarget target, RunView run) {
	}

}
