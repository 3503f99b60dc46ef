package dev.ferry.runbook.web;

import java.nio.charset.StandardCharsets;

import dev.ferry.problem.FlashMessages;
import dev.ferry.problem.RefusedException;
import dev.ferry.runbook.Runbook;
import dev.ferry.runbook.RunbookService;
import dev.ferry.security.CurrentUser;
import dev.ferry.security.Role;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The runbook page {@code /plans/{plan}/runbook} (printable), its Markdown download, and
 * the checklist of the production run, ticked in the page.
 */
@Controller
class RunbookController {

	/** The Markdown media type (RFC 7763). */
	static final MediaType MARKDOWN = new MediaType("text", "markdown", StandardCharsets.UTF_8);

	private final RunbookService runbooks;

	RunbookController(RunbookService runbooks) {
		this.runbooks = runbooks;
	}

	@GetMapping("/plans/{plan}/runbook")
	String page(@PathVariable String plan, Model model) {
		Runbook book = this.runbooks.runbook(plan);
		model.addAttribute("book", book);
		model.addAttribute("checklist", this.runbooks.latestChecklist(plan).orElse(null));
		model.addAttribute("canTick", CurrentUser.get().map(user -> user.has(Role.OPERATOR)).orElse(false));
		return "runbook/runbook";
	}

	@GetMapping("/plans/{plan}/runbook.md")
	ResponseEntity<String> markdown(@PathVariable String plan) {
		Runbook book = this.runbooks.runbook(plan);
		return ResponseEntity.ok()
			.contentType(MARKDOWN)
			.header(HttpHeaders.CONTENT_DISPOSITION,
					ContentDisposition.attachment()
						.filename(plan + "-v" + book.version() + "-runbook.md")
						.build()
						.toString())
			.body(this.runbooks.markdown(plan));
	}

	@PostMapping("/plans/{plan}/runbook/checklists")
	String start(@PathVariable String plan, RedirectAttributes redirect) {
		this.runbooks.startChecklist(plan);
		FlashMessages.success(redirect, "runbook.checklist.started");
		return "redirect:/plans/" + plan + "/runbook#checklist";
	}

	@PostMapping("/plans/{plan}/runbook/checklists/{id}/items")
	String tick(@PathVariable String plan, @PathVariable long id, @RequestParam String item,
			@RequestParam(defaultValue = "true") boolean ticked, RedirectAttributes redirect) {
		try {
			this.runbooks.tick(plan, id, item, ticked);
		}
		catch (RefusedException ex) {
			FlashMessages.error(redirect, ex);
		}
		return "redirect:/plans/" + plan + "/runbook#checklist";
	}

}
