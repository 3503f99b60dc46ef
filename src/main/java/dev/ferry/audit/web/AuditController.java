package dev.ferry.audit.web;

import java.util.List;

import dev.ferry.audit.AuditEntry;
import dev.ferry.audit.AuditService;
import dev.ferry.security.CurrentUser;
import dev.ferry.security.Role;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The audit page {@code /audit}: entries newest first with filters on actor and action,
 * keyset-paginated, and (for an admin, on request, as it reads the whole log) the hash
 * chain's verification.
 */
@Controller
class AuditController {

	static final int PAGE_SIZE = 50;

	private final AuditService audit;

	AuditController(AuditService audit) {
		this.audit = audit;
	}

	@GetMapping("/audit")
	String list(@RequestParam(required = false) String actor, @RequestParam(required = false) String action,
			@RequestParam(required = false) Long before, @RequestParam(defaultValue = "false") boolean verify,
			Model model) {
		List<AuditEntry> entries = this.audit.entries(actor, action, before, PAGE_SIZE + 1);
		boolean more = entries.size() > PAGE_SIZE;
		entries = more ? entries.subList(0, PAGE_SIZE) : entries;
		boolean admin = CurrentUser.get().map(user -> user.has(Role.ADMIN)).orElse(false);
		model.addAttribute("entries", entries);
		model.addAttribute("next", more ? entries.get(entries.size() - 1).seq() : null);
		model.addAttribute("actor", actor == null ? "" : actor);
		model.addAttribute("action", action == null ? "" : action);
		model.addAttribute("canVerify", admin);
		model.addAttribute("check", (admin && verify) ? this.audit.verify() : null);
		return "audit/list";
	}

}
