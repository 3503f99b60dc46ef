package dev.ferry.plan.web;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import dev.ferry.plan.InvalidPlanException;
import dev.ferry.plan.PlanOrigin;
import dev.ferry.plan.PlanService;
import dev.ferry.plan.PlanVersionInfo;
import dev.ferry.plan.SavedPlan;
import dev.ferry.plan.spec.PlanProblem;
import dev.ferry.plan.spec.PlanReader;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/plans}: plans in YAML, answers in JSON; invalid plans get 422 with every
 * error. A plan's status ({@code GET /api/v1/plans/{plan}}) composes plans and runs, so
 * it lives in the web module.
 */
@Tag(name = "Plans", description = "Plans: versions, phases and their state")
@RestController
@RequestMapping("/api/v1/plans")
class PlansApiController {

	static final MediaType YAML = MediaType.parseMediaType("application/yaml");

	private final PlanService plans;

	PlansApiController(PlanService plans) {
		this.plans = plans;
	}

	@Operation(summary = "Every plan with its current version (VIEWER)")
	@GetMapping
	List<PlanJson> list() {
		return this.plans.list()
			.stream()
			.map(p -> new PlanJson(p.plan(), p.title(), p.version(), p.savedAt(), p.savedBy()))
			.toList();
	}

	@Operation(
			summary = "Save the YAML as the plan's next version if it changed (ADMIN): 201 new, 200 unchanged, 422 with line and column of each error")
	@PutMapping(path = "/{plan}", consumes = { "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml",
			"text/plain", "application/octet-stream" })
	ResponseEntity<SavedJson> save(@PathVariable String plan, HttpServletRequest request,
			@RequestBody(required = false) byte[] yaml) {
		if (request.getContentLengthLong() > PlanReader.MAX_BYTES) {
			// answered from the declared length, before a byte of an oversized body is
			// parsed
			throw new InvalidPlanException(new dev.ferry.plan.spec.PlanCheck(null, List.of(tooLarge()), List.of()));
		}
		SavedPlan saved = this.plans.save(plan, yaml == null ? new byte[0] : yaml, PlanOrigin.API);
		SavedJson body = new SavedJson(saved.plan(), saved.version(), saved.sha256(), saved.created(), saved.warnings(),
				EffectsJson.of(saved.effects()));
		return saved.created()
				? ResponseEntity.created(URI.create("/api/v1/plans/" + saved.plan() + "/versions/" + saved.version()))
					.body(body)
				: ResponseEntity.ok(body);
	}

	@Operation(
			summary = "Check a plan's YAML without saving it (ADMIN): 200 with valid, the plan id, every error and warning with line and column, and what saving it would void")
	@PostMapping(path = "/check", consumes = { "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml",
			"text/plain", "application/octet-stream" })
	CheckJson check(HttpServletRequest request, @RequestBody(required = false) byte[] yaml) {
		if (request.getContentLengthLong() > PlanReader.MAX_BYTES) {
			return new CheckJson(false, null, List.of(tooLarge()), List.of(), null);
		}
		byte[] text = yaml == null ? new byte[0] : yaml;
		dev.ferry.plan.spec.PlanCheck check = this.plans.check(text);
		if (!check.valid()) {
			return new CheckJson(false, null, check.errors(), check.warnings(), null);
		}
		return new CheckJson(true, check.spec().plan(), check.errors(), check.warnings(),
				EffectsJson.of(this.plans.effects(text)));
	}

	private static PlanProblem tooLarge() {
		return new PlanProblem(1, 1, "",
				"The plan is larger than " + PlanReader.MAX_BYTES + " bytes (1 MiB), the largest plan Ferry reads.");
	}

	@Operation(summary = "The plan's versions, newest first (VIEWER)")
	@GetMapping("/{plan}/versions")
	List<PlanVersionInfo> history(@PathVariable String plan) {
		return this.plans.history(plan);
	}

	@Operation(summary = "The YAML of one version (VIEWER)")
	@GetMapping(path = "/{plan}/versions/{version}", produces = "application/yaml")
	ResponseEntity<String> version(@PathVariable String plan, @PathVariable int version) {
		return ResponseEntity.ok().contentType(YAML).body(this.plans.version(plan, version).yaml());
	}

	@ExceptionHandler(InvalidPlanException.class)
	ResponseEntity<InvalidJson> invalid(InvalidPlanException ex) {
		return ResponseEntity.status(HttpStatus.UNPROCESSABLE_CONTENT)
			.contentType(MediaType.APPLICATION_JSON)
			.body(new InvalidJson("The plan is not valid.", ex.getCheck().errors(), ex.getCheck().warnings()));
	}

	record PlanJson(String plan, String title, int version, Instant updatedAt, String updatedBy) {
	}

	/**
	 * What a save did: the version, and what it voided (the phases it changed and what
	 * they lost; the others keep their state).
	 */
	record SavedJson(String plan, int version, String sha256, boolean created, List<PlanProblem> warnings,
			EffectsJson voided) {
	}

	/**
	 * The phases a save changed (with those after them), what they lost, and the phases
	 * that keep their state.
	 */
	record EffectsJson(List<String> phases, java.util.Map<String, Integer> counts, List<String> keptPhases,
			String summary) {

		static EffectsJson of(dev.ferry.plan.SaveEffects effects) {
			return new EffectsJson(effects.changed(), effects.voided(), effects.kept(), effects.sentence());
		}

	}

	/**
	 * A check without saving: the plan id it declares and what saving it would void (both
	 * null when it is not valid).
	 */
	record CheckJson(boolean valid, String plan, List<PlanProblem> errors, List<PlanProblem> warnings,
			EffectsJson voided) {
	}

	record InvalidJson(String error, List<PlanProblem> errors, List<PlanProblem> warnings) {
	}

}
