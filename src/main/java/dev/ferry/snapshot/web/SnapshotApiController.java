package dev.ferry.snapshot.web;

import java.util.List;

import dev.ferry.problem.InvalidException;
import dev.ferry.problem.NotFoundException;
import dev.ferry.snapshot.Snapshot;
import dev.ferry.snapshot.SnapshotService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.core.io.Resource;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Snapshots through the API: the list, one snapshot, and its files for admins. */
@Tag(name = "Snapshots", description = "Copies of tables taken by snapshot phases")
@RestController
class SnapshotApiController {

	private final SnapshotService snapshots;

	SnapshotApiController(SnapshotService snapshots) {
		this.snapshots = snapshots;
	}

	@Operation(summary = "Snapshots, newest first: of one plan with ?plan=, else of every plan")
	@GetMapping("/api/v1/snapshots")
	List<Snapshot> list(@RequestParam(required = false) String plan, @RequestParam(defaultValue = "20") int limit) {
		return this.snapshots.list(plan, checked(limit));
	}

	@Operation(summary = "The snapshots of a plan, newest first")
	@GetMapping("/api/v1/plans/{plan}/snapshots")
	List<Snapshot> ofPlan(@PathVariable String plan, @RequestParam(defaultValue = "20") int limit) {
		return this.snapshots.list(plan, checked(limit));
	}

	@Operation(summary = "One snapshot, by the id of the run that took it")
	@GetMapping("/api/v1/snapshots/{run}")
	Snapshot get(@PathVariable long run) {
		return this.snapshots.get(run)
			.orElseThrow(() -> new NotFoundException("snapshot.notFound", "Run #" + run + " took no snapshot.", run));
	}

	@Operation(summary = "Download a file of a snapshot (ADMIN); 404 once it expired")
	@GetMapping("/api/v1/snapshots/{run}/files/{name}")
	ResponseEntity<Resource> file(@PathVariable long run, @PathVariable String name) {
		return SnapshotDownloads.of(run, this.snapshots.file(run, name));
	}

	private static int checked(int limit) {
		if (limit < 1 || limit > 100) {
			throw new InvalidException("limit", "snapshot.limit", "limit is between 1 and 100, not " + limit + ".",
					limit);
		}
		return limit;
	}

}
