package dev.ferry.runbook.web;

import java.util.List;

import dev.ferry.problem.InvalidException;
import dev.ferry.runbook.Checklist;
import dev.ferry.runbook.Runbook;
import dev.ferry.runbook.RunbookService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The runbook and the production run's checklist through the API. */
@Tag(name = "Runbook",
		description = "The runbook of a plan, with estimates from its measured runs, and the "
				+ "checklist of its production run")
@RestController
class RunbookApiController {

	private final RunbookService runbooks;

	RunbookApiController(RunbookService runbooks) {
		this.runbooks = runbooks;
	}

	@Operation(summary = "The runbook of the plan's latest version: phases, gates, approvals, estimates, the "
			+ "expected downtime, the rollback path, the verify checks and the checklist's items")
	@GetMapping("/api/v1/plans/{plan}/runbook")
	Runbook runbook(@PathVariable String plan) {
		return this.runbooks.runbook(plan);
	}

	@Operation(summary = "The runbook as Markdown (text/markdown): the same content as the page")
	@GetMapping(path = "/api/v1/plans/{plan}/runbook.md")
	ResponseEntity<String> markdown(@PathVariable String plan) {
		return ResponseEntity.ok().contentType(RunbookController.MARKDOWN).body(this.runbooks.markdown(plan));
	}

	@Operation(summary = "The checklists of the plan's production runs, newest first")
	@GetMapping("/api/v1/plans/{plan}/runbook/checklists")
	List<Checklist> checklists(@PathVariable String plan, @RequestParam(defaultValue = "20") int limit) {
		if (limit < 1 || limit > 100) {
			throw new InvalidException("limit", "runbook.limit", "limit is between 1 and 100, not " + limit + ".",
					limit);
		}
		return this.runbooks.checklists(plan, limit);
	}

	@Operation(summary = "Start the checklist of a production run of the plan's latest version (OPERATOR)")
	@PostMapping("/api/v1/plans/{plan}/runbook/checklists")
	Checklist start(@PathVariable String plan) {
		return this.runbooks.startChecklist(plan);
	}

	@Operation(summary = "Tick ({\"ticked\": true}) or untick an item of the plan's newest checklist (OPERATOR); "
			+ "409 for another checklist or an item its plan version does not have")
	@PutMapping("/api/v1/plans/{plan}/runbook/checklists/{id}/items/{item}")
	Checklist tick(@PathVariable String plan, @PathVariable long id, @PathVariable String item,
			@RequestBody(required = false) TickRequest request) {
		if (request == null || request.ticked() == null) {
			throw new InvalidException("ticked", "runbook.tick", "Send {\"ticked\": true} or {\"ticked\": false}.");
		}
		return this.runbooks.tick(plan, id, item, request.ticked());
	}

	record TickRequest(Boolean ticked) {
	}

}
