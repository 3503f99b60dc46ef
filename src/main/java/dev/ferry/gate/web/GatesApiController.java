package dev.ferry.gate.web;

import java.time.Instant;
import java.util.List;

import dev.ferry.gate.GateResult;
import dev.ferry.gate.GateService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/plans/{plan}/phases/{phase}/gates}: each gate's latest evaluation;
 * {@code POST .../gates/evaluate} measures them now (OPERATOR).
 */
@Tag(name = "Gates", description = "Acceptance gates of a phase and their latest measurements")
@RestController
class GatesApiController {

	private final GateService gates;

	GatesApiController(GateService gates) {
		this.gates = gates;
	}

	@Operation(
			summary = "Each gate of the phase with its latest value, threshold and the run it was measured on (VIEWER)")
	@GetMapping("/api/v1/plans/{plan}/phases/{phase}/gates")
	List<GateJson> latest(@PathVariable String plan, @PathVariable String phase) {
		return this.gates.latest(plan, phase).stream().map(GateJson::of).toList();
	}

	@Operation(summary = "Measure every gate of the phase now (OPERATOR)")
	@PostMapping("/api/v1/plans/{plan}/phases/{phase}/gates/evaluate")
	List<GateJson> evaluate(@PathVariable String plan, @PathVariable String phase) {
		return this.gates.evaluate(plan, phase).stream().map(GateJson::of).toList();
	}

	/** A gate as {@code api.md} lists it, with its state and the reason in words. */
	record GateJson(String id, String check, String level, String value, String threshold, Boolean passed, String state,
			String detail, Long measuredOnRun, Instant measuredAt) {

		static GateJson of(GateResult gate) {
			return new GateJson(gate.id(), gate.check(), gate.level().yamlName(), gate.value(), gate.threshold(),
					gate.passed(), gate.state().code(), gate.detail(), gate.measuredOnRun(), gate.measuredAt());
		}

	}

}
