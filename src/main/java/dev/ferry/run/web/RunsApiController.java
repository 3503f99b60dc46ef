package dev.ferry.run.web;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.ferry.problem.InvalidException;

import dev.ferry.run.RunCounts;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Runs through the API: start a phase, watch a run, cancel it. */
@Tag(name = "Runs", description = "Dry runs, applies and rollbacks in the background")
@RestController
class RunsApiController {

	private final RunService runs;

	RunsApiController(RunService runs) {
		this.runs = runs;
	}

	@Operation(
			summary = "Start a dry run or an apply of the phase (OPERATOR): 202 with runId; an apply is refused with 409 and reasons while locked")
	@PostMapping("/api/v1/plans/{plan}/phases/{phase}/runs")
	ResponseEntity<Map<String, Long>> request(@PathVariable String plan, @PathVariable String phase,
			@RequestBody(required = false) RunRequest request) {
		RunMode mode = RunMode.of(request == null || request.mode() == null ? "dry-run" : request.mode());
		RunView run = this.runs.request(plan, phase, mode,
				request != null && Boolean.TRUE.equals(request.confirmIrreversible()));
		return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("runId", run.id()));
	}

	@Operation(summary = "A run's state, progress and counts (VIEWER)")
	@GetMapping("/api/v1/runs/{id}")
	RunJson get(@PathVariable long id) {
		return RunJson.of(this.runs.get(id));
	}

	@Operation(summary = "The plan's runs, newest first, a keyset page before a run id (VIEWER)")
	@GetMapping("/api/v1/plans/{plan}/runs")
	RunsPage ofPlan(@PathVariable String plan, @RequestParam(required = false) Long before,
			@RequestParam(defaultValue = "50") int limit) {
		if (limit < 1 || limit > 500) {
			throw new InvalidException("limit", "runs.limit.invalid",
					"limit is a number of runs from 1 to 500, not " + limit + ".", limit);
		}
		List<RunView> page = this.runs.ofPlan(plan, before, limit + 1);
		List<RunJson> items = page.stream().limit(limit).map(RunJson::of).toList();
		return new RunsPage(items, page.size() > limit ? items.get(items.size() - 1).id() : null);
	}

	/** A page of runs, and the id to pass as {@code before} for the next, or null. */
	record RunsPage(List<RunJson> items, Long next) {
	}

	@Operation(
			summary = "Roll an apply back exactly (OPERATOR): 202 with the rollback's runId; an apply that wrote more than 10,000 rows needs {\"confirmPlan\": its plan's id} (409 without it)")
	@PostMapping("/api/v1/runs/{id}/rollback")
	ResponseEntity<Map<String, Long>> rollback(@PathVariable long id,
			@RequestBody(required = false) RollbackRequest request) {
		RunView rollback = this.runs.rollback(id, request == null ? null : request.confirmPlan());
		return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("runId", rollback.id()));
	}

	/** What a rollback request may carry: the plan's id, which a large apply needs. */
	record RollbackRequest(String confirmPlan) {
	}

	@Operation(summary = "Stop a run after its current batch (OPERATOR)")
	@PostMapping("/api/v1/runs/{id}/cancel")
	RunJson cancel(@PathVariable long id) {
		return RunJson.of(this.runs.cancel(id));
	}

	record RunRequest(String mode, Boolean confirmIrreversible) {
	}

	record Progress(long done, Long total) {
	}

	record RunJson(long id, String plan, int version, String phase, String kind, String mode, String state,
			String requestedBy, Progress progress, RunCounts counts, String changeSetSha256, Instant requestedAt,
			Instant startedAt, Instant finishedAt, String error) {

		static RunJson of(RunView run) {
			return new RunJson(run.id(), run.plan(), run.planVersion(), run.phase(), run.kind(), run.mode().code(),
					run.state().code(), run.requestedBy(), new Progress(run.done(), run.total()), run.counts(),
					run.changeSetSha256(), run.requestedAt(), run.startedAt(), run.finishedAt(), run.error());
		}

	}

}
