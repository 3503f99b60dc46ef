package dev.ferry.audit.web;

import java.time.Instant;
import java.util.List;

import dev.ferry.audit.AuditEntry;
import dev.ferry.audit.AuditService;
import dev.ferry.audit.ChainCheck;
import dev.ferry.problem.InvalidException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/audit?limit=&after=&actor=&action=}: entries newest first, keyset by
 * seq ({@code after} is the last seq of the previous page); {@code GET
 * /api/v1/audit/verify} (ADMIN): the chain's verdict.
 */
@Tag(name = "Audit", description = "The append-only, hash-chained audit log")
@RestController
class AuditApiController {

	static final int MAX_LIMIT = 500;

	private final AuditService audit;

	AuditApiController(AuditService audit) {
		this.audit = audit;
	}

	@Operation(summary = "Audit entries newest first, keyset-paginated, filtered by actor and action prefix (VIEWER)")
	@GetMapping("/api/v1/audit")
	Page entries(@RequestParam(defaultValue = "50") int limit, @RequestParam(required = false) Long after,
			@RequestParam(required = false) String actor, @RequestParam(required = false) String action) {
		if (limit < 1 || limit > MAX_LIMIT) {
			throw new InvalidException("limit", "changes.badLimit",
					"limit must be between 1 and " + MAX_LIMIT + ", not " + limit + ".", limit, MAX_LIMIT);
		}
		int size = limit;
		List<AuditEntry> entries = this.audit.entries(actor, action, after, size + 1);
		boolean more = entries.size() > size;
		List<EntryJson> items = entries.stream().limit(size).map(EntryJson::of).toList();
		return new Page(items, more ? String.valueOf(items.get(items.size() - 1).seq()) : null);
	}

	@Operation(summary = "Check the hash chain: ok, entries checked and the first broken entry (ADMIN)")
	@GetMapping("/api/v1/audit/verify")
	ChainCheck verify() {
		return this.audit.verify();
	}

	record Page(List<EntryJson> items, String next) {
	}

	record EntryJson(long seq, Instant at, String actor, String via, String action, String subject, String details,
			String hash) {

		static EntryJson of(AuditEntry entry) {
			return new EntryJson(entry.seq(), entry.at(), entry.actor(), entry.via(), entry.action(), entry.subject(),
					entry.details(), entry.hash());
		}

	}

}
