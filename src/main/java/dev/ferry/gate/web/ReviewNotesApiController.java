package dev.ferry.gate.web;

import java.time.Instant;
import java.util.List;

import dev.ferry.gate.ReviewNote;
import dev.ferry.gate.ReviewService;
import dev.ferry.problem.InvalidException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/plans/{plan}/phases/{phase}/notes} adds a comment (VIEWER) or a
 * request for changes (OPERATOR or OWNER) to a dry run; {@code GET ...?runId=} lists a
 * dry run's conversation, oldest first.
 */
@Tag(name = "Approvals", description = "Approvals of dry runs by someone other than their requester")
@RestController
class ReviewNotesApiController {

	private final ReviewService reviews;

	ReviewNotesApiController(ReviewService reviews) {
		this.reviews = reviews;
	}

	@Operation(summary = "Comment on a dry run (VIEWER), or request changes to the phase's latest dry run (OPERATOR or "
			+ "OWNER; it blocks approving and applying it until a new dry run): 201; 400 without words; 409 when "
			+ "changes cannot be requested on that run")
	@PostMapping("/api/v1/plans/{plan}/phases/{phase}/notes")
	@ResponseStatus(HttpStatus.CREATED)
	NoteJson add(@PathVariable String plan, @PathVariable String phase, @RequestBody NoteRequest request) {
		if (request == null || request.runId() == null) {
			throw new InvalidException("runId", "review.runId",
					"Say which dry run the note is about: {\"runId\": ...}.");
		}
		String kind = (request.kind() == null) ? ReviewNote.Kind.COMMENT.code() : request.kind();
		if (kind.equals(ReviewNote.Kind.COMMENT.code())) {
			return NoteJson.of(this.reviews.comment(plan, phase, request.runId(), request.text()));
		}
		if (kind.equals(ReviewNote.Kind.CHANGES_REQUESTED.code())) {
			return NoteJson.of(this.reviews.requestChanges(plan, phase, request.runId(), request.text()));
		}
		throw new InvalidException("kind", "review.kind", "kind is comment or changes-requested, not " + kind + ".",
				kind);
	}

	@Operation(summary = "A dry run's conversation, oldest first (VIEWER)")
	@GetMapping("/api/v1/plans/{plan}/phases/{phase}/notes")
	List<NoteJson> list(@PathVariable String plan, @PathVariable String phase, @RequestParam long runId) {
		return this.reviews.ofRun(runId)
			.stream()
			.filter(note -> note.plan().equals(plan) && note.phase().equals(phase))
			.map(NoteJson::of)
			.toList();
	}

	record NoteRequest(Long runId, String kind, String text) {
	}

	record NoteJson(long id, String plan, String phase, long runId, String reviewedSha256, String kind, String author,
			String text, Instant createdAt) {

		static NoteJson of(ReviewNote note) {
			return new NoteJson(note.id(), note.plan(), note.phase(), note.runId(), note.reviewedSha256(),
					note.kind().code(), note.author(), note.body(), note.createdAt());
		}

	}

}
