package dev.ferry.retention.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.ferry.problem.FlashMessages;
import dev.ferry.problem.InvalidException;
import dev.ferry.problem.NotFoundException;
import dev.ferry.problem.RefusedException;
import dev.ferry.retention.PurgePreview;
import dev.ferry.retention.PurgeResult;
import dev.ferry.retention.PurgeTarget;
import dev.ferry.retention.RetentionService;
import dev.ferry.retention.StorageKind;
import dev.ferry.retention.StorageTotals;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The admin page {@code /admin/retention}: the purge's dry run (what it would free, what
 * is kept and why), the purge of exactly what the page listed, confirmed in the page, and
 * the latest purges.
 */
@Controller
class RetentionController {

	static final int HISTORY = 20;

	private final RetentionService retention;

	RetentionController(RetentionService retention) {
		this.retention = retention;
	}

	@GetMapping("/admin/retention")
	String page(Model model) {
		PurgePreview preview = this.retention.preview();
		model.addAttribute("preview", preview);
		model.addAttribute("maxAge", preview.maxAge() == null ? null : days(preview.maxAge()));
		model.addAttribute("freed", size(preview.totals().fileBytes()));
		model.addAttribute("history", this.retention.history(HISTORY));
		return "retention/storage";
	}

	/** Purges exactly the storage the page listed ({@code kind:runId} each). */
	@PostMapping("/admin/retention/purge")
	String purge(@RequestParam(name = "items", required = false) List<String> items, RedirectAttributes redirect) {
		try {
			List<PurgeTarget> targets = new ArrayList<>();
			for (String item : (items == null) ? List.<String>of() : items) {
				targets.add(target(item));
			}
			PurgeResult result = this.retention.purge(targets);
			StorageTotals freed = result.totals();
			if (result.failed().isEmpty()) {
				FlashMessages.success(redirect, "retention.purged", freed.items(), freed.changeRows(),
						freed.mappingItems(), freed.undoImages(), freed.tableRows(), size(freed.fileBytes()));
			}
			else {
				FlashMessages.error(redirect, "retention.purgedSome", freed.items(), result.failed().size(),
						String.join(" ",
								result.failed()
									.stream()
									.map(failure -> "Run #" + failure.target().runId() + ": " + failure.reason())
									.toList()));
			}
		}
		catch (RefusedException ex) {
			FlashMessages.error(redirect, ex);
		}
		catch (InvalidException ex) {
			FlashMessages.error(redirect, ex.getCode(), ex.getArgs());
		}
		catch (NotFoundException ex) {
			FlashMessages.error(redirect, ex.getCode(), ex.getArgs());
		}
		return "redirect:/admin/retention";
	}

	private static PurgeTarget target(String item) {
		int colon = item.lastIndexOf(':');
		StorageKind kind = (colon < 0) ? null : StorageKind.of(item.substring(0, colon)).orElse(null);
		long runId = -1;
		try {
			runId = (colon < 0) ? -1 : Long.parseLong(item.substring(colon + 1));
		}
		catch (NumberFormatException ex) {
			// named below
		}
		if (kind == null || runId < 0) {
			throw new InvalidException("items", "retention.badItem",
					"'" + item + "' names no storage: kind:runId, such as undo-images:12.", item);
		}
		return new PurgeTarget(kind, runId);
	}

	private static String days(java.time.Duration maxAge) {
		if (maxAge.toSeconds() % 86_400 == 0) {
			long days = maxAge.toDays();
			return days + (days == 1 ? " day" : " days");
		}
		return maxAge.toString();
	}

	static String size(long bytes) {
		return dev.ferry.problem.Sizes.of(bytes);
	}

}
