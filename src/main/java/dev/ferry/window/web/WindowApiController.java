package dev.ferry.window.web;

import java.util.List;

import dev.ferry.problem.InvalidException;
import dev.ferry.window.ScheduledApply;
import dev.ferry.window.WindowService;
import dev.ferry.window.WindowView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Apply windows and scheduled applies through the API. */
@Tag(name = "Windows", description = "A plan's apply window, and applies scheduled for its next opening")
@RestController
class WindowApiController {

	private final WindowService windows;

	WindowApiController(WindowService windows) {
		this.windows = windows;
	}

	@Operation(summary = "The plan's apply window now: open, when it closes or opens next; 204 without a window")
	@GetMapping("/api/v1/plans/{plan}/window")
	ResponseEntity<WindowView> window(@PathVariable String plan) {
		return this.windows.window(plan).map(ResponseEntity::ok).orElseGet(() -> ResponseEntity.noContent().build());
	}

	@Operation(summary = "Schedule the phase's apply for the next window (OPERATOR): 201; 409 with the reasons "
			+ "when only an apply now, or no apply, is possible")
	@PostMapping("/api/v1/plans/{plan}/phases/{phase}/scheduled-applies")
	ResponseEntity<ScheduledApply> schedule(@PathVariable String plan, @PathVariable String phase) {
		return ResponseEntity.status(HttpStatus.CREATED).body(this.windows.schedule(plan, phase));
	}

	@Operation(summary = "The plan's scheduled applies, newest first")
	@GetMapping("/api/v1/plans/{plan}/scheduled-applies")
	List<ScheduledApply> scheduled(@PathVariable String plan, @RequestParam(defaultValue = "20") int limit) {
		if (limit < 1 || limit > 100) {
			throw new InvalidException("limit", "window.limit", "limit is between 1 and 100, not " + limit + ".",
					limit);
		}
		return this.windows.scheduled(plan, limit);
	}

	@Operation(summary = "Cancel a waiting scheduled apply (OPERATOR); 409 once it started or ended")
	@PostMapping("/api/v1/scheduled-applies/{id}/cancel")
	ScheduledApply cancel(@PathVariable long id) {
		return this.windows.cancel(id);
	}

}
