package dev.ferry.retention.web;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.ferry.problem.InvalidException;
import dev.ferry.retention.PurgePreview;
import dev.ferry.retention.PurgeResult;
import dev.ferry.retention.PurgeTarget;
import dev.ferry.retention.RetentionService;
import dev.ferry.retention.StorageItem;
import dev.ferry.retention.StorageKind;
import dev.ferry.retention.StorageTotals;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Retention through the API: the purge's dry run, and the purge (ADMIN). */
@Tag(name = "Retention", description = "Purging the storage of finished runs that nothing needs any more")
@RestController
class RetentionApiController {

	private final RetentionService retention;

	RetentionApiController(RetentionService retention) {
		this.retention = retention;
	}

	@Operation(summary = "The dry run of a purge: what it would free now, and what is kept and why (ADMIN)")
	@GetMapping("/api/v1/admin/retention")
	Preview preview() {
		return Preview.of(this.retention.preview());
	}

	@Operation(summary = "Purge the named storage ({\"items\": [{\"kind\", \"runId\"}]}) or everything purgeable "
			+ "({\"all\": true}) (ADMIN): 409 with a reason for each that is kept, nothing purged")
	@PostMapping("/api/v1/admin/retention/purge")
	Result purge(@RequestBody(required = false) PurgeRequest request) {
		if (request == null || (request.items() == null && !Boolean.TRUE.equals(request.all()))) {
			throw new InvalidException("items", "retention.request",
					"Name the storage to purge as {\"items\": [{\"kind\": \"undo-images\", \"runId\": 12}]}, or "
							+ "purge everything purgeable with {\"all\": true}.");
		}
		if (request.items() != null && Boolean.TRUE.equals(request.all())) {
			throw new InvalidException("items", "retention.request.both",
					"Either name the storage to purge (items) or purge everything purgeable (all), not both.");
		}
		if (Boolean.TRUE.equals(request.all())) {
			return Result.of(this.retention.purgeAll());
		}
		List<PurgeTarget> targets = new ArrayList<>();
		for (Target item : request.items()) {
			targets.add(target(item));
		}
		return Result.of(this.retention.purge(targets));
	}

	static PurgeTarget target(Target item) {
		if (item == null || item.kind() == null || item.runId() == null) {
			throw new InvalidException("items", "retention.item",
					"Each item needs a kind (change-set, mapping-items or undo-images) and a runId.");
		}
		StorageKind kind = StorageKind.of(item.kind().strip())
			.orElseThrow(() -> new InvalidException("kind", "retention.kind",
					"'" + item.kind() + "' is not a kind of storage: use change-set, mapping-items or undo-images.",
					item.kind()));
		return new PurgeTarget(kind, item.runId());
	}

	record PurgeRequest(List<Target> items, Boolean all) {
	}

	record Target(String kind, Long runId) {
	}

	record Item(String kind, String plan, String phase, long runId, String place, long rows, long tableRows,
			long fileBytes, boolean purgeable, String reason) {

		static Item of(StorageItem item) {
			return new Item(item.kind().code(), item.plan(), item.phase(), item.runId(), item.place(), item.rows(),
					item.tableRows(), item.fileBytes(), item.purgeable(), item.reason());
		}

		static List<Item> of(List<StorageItem> items) {
			return items.stream().map(Item::of).toList();
		}

	}

	record Preview(Instant at, String maxAge, String schedule, List<Item> purgeable, List<Item> kept,
			StorageTotals totals) {

		static Preview of(PurgePreview preview) {
			Duration maxAge = preview.maxAge();
			return new Preview(preview.at(), maxAge == null ? null : maxAge.toString(), preview.schedule(),
					Item.of(preview.purgeable()), Item.of(preview.kept()), preview.totals());
		}

	}

	record Failure(String kind, long runId, String plan, String phase, String reason) {
	}

	record Result(List<Item> purged, List<Failure> failed, StorageTotals totals) {

		static Result of(PurgeResult result) {
			return new Result(Item.of(result.purged()), result.failed()
				.stream()
				.map(f -> new Failure(f.target().kind().code(), f.target().runId(), f.plan(), f.phase(), f.reason()))
				.toList(), result.totals());
		}

	}

}
