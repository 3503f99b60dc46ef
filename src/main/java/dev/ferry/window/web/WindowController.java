package dev.ferry.window.web;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import dev.ferry.problem.FlashMessages;
import dev.ferry.problem.RefusedException;
import dev.ferry.window.ScheduledApply;
import dev.ferry.window.WindowService;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Scheduling an apply for the next window, and cancelling it, from the dashboard. */
@Controller
class WindowController {

	static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
		.withZone(ZoneOffset.UTC);

	private final WindowService windows;

	WindowController(WindowService windows) {
		this.windows = windows;
	}

	@PostMapping("/plans/{plan}/phases/{phase}/schedule")
	String schedule(@PathVariable String plan, @PathVariable String phase, RedirectAttributes redirect) {
		try {
			ScheduledApply scheduled = this.windows.schedule(plan, phase);
			FlashMessages.success(redirect, "window.scheduled", phase, WHEN.format(scheduled.startsAt()),
					scheduled.id());
		}
		catch (RefusedException ex) {
			FlashMessages.error(redirect, ex);
		}
		return "redirect:/plans/" + plan;
	}

	@PostMapping("/scheduled-applies/{id}/cancel")
	String cancel(@PathVariable long id, RedirectAttributes redirect) {
		ScheduledApply scheduled;
		try {
			scheduled = this.windows.cancel(id);
			FlashMessages.success(redirect, "window.cancelled", scheduled.phase(), id);
		}
		catch (RefusedException ex) {
			FlashMessages.error(redirect, ex);
			return "redirect:/plans";
		}
		return "redirect:/plans/" + scheduled.plan();
	}

}
