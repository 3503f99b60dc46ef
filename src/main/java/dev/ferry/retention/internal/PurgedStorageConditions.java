package dev.ferry.retention.internal;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import dev.ferry.lifecycle.Action;
import dev.ferry.lifecycle.ActionCondition;
import dev.ferry.lifecycle.PhaseStatus;
import dev.ferry.plan.PlanVersion;
import dev.ferry.plan.spec.PhaseSpec;
import dev.ferry.retention.PurgeRecord;
import dev.ferry.retention.StorageKind;

import org.springframework.stereotype.Component;

/**
 * Retention's part of the lifecycle's checks, so that what was purged is never offered:
 * an apply (or approval) of a dry run whose rows or items were purged, and the rollback
 * of an apply whose before-images were purged, are refused with when and by whom. The
 * retention rules never purge what these actions need; this holds even so.
 */
@Component
class PurgedStorageConditions implements ActionCondition {

	private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
		.withZone(ZoneOffset.UTC);

	private final StoragePurges purges;

	PurgedStorageConditions(StoragePurges purges) {
		this.purges = purges;
	}

	@Override
	public List<String> refusals(PhaseStatus status, PlanVersion version, PhaseSpec phase, Action action,
			boolean measure) {
		if (action == Action.ROLLBACK && status.applyRun() != null) {
			return this.purges.find(status.applyRun(), StorageKind.UNDO_IMAGES)
				.map(purge -> List.of("The before-images of apply #" + status.applyRun() + " were purged on "
						+ when(purge) + " by " + purge.purgedBy() + ": it can no longer be rolled back."))
				.orElse(List.of());
		}
		if ((action == Action.APPLY || action == Action.APPROVE) && status.dryRun() != null) {
			StorageKind kind = (phase.kind() == PhaseSpec.Kind.MAPPING) ? StorageKind.MAPPING_ITEMS
					: StorageKind.CHANGE_SET;
			return this.purges.find(status.dryRun(), kind)
				.map(purge -> List.of("The " + (kind == StorageKind.MAPPING_ITEMS ? "items" : "change set rows")
						+ " of dry run #" + status.dryRun() + " were purged on " + when(purge) + " by "
						+ purge.purgedBy() + ": run a new dry run."))
				.orElse(List.of());
		}
		return List.of();
	}

	private static String when(PurgeRecord purge) {
		return WHEN.format(purge.purgedAt());
	}

}
