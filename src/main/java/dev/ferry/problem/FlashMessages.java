package dev.ferry.problem;

import org.springframework.ui.Model;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Puts a one-time message into the attributes the layout's flash fragment reads:
 * {@code flashKind} ({@code success} or {@code error}), {@code flashCode} (a key of
 * {@code messages.properties}) and {@code flashArgs}. Every module's controllers say what
 * happened, or why a rule refused it, this one way.
 */
public final class FlashMessages {

	private FlashMessages() {
	}

	/** A message for the page the redirect leads to. */
	public static void success(RedirectAttributes redirect, String code, Object... args) {
		put(redirect, "success", code, args);
	}

	/** An error for the page the redirect leads to. */
	public static void error(RedirectAttributes redirect, String code, Object... args) {
		put(redirect, "error", code, args);
	}

	/** A refusal, in its own words, for the page the redirect leads to. */
	public static void error(RedirectAttributes redirect, RefusedException ex) {
		put(redirect, "error", ex.getCode(), ex.getArgs());
	}

	/** A refusal shown on the page rendered now (no redirect). */
	public static void error(Model model, RefusedException ex) {
		model.addAttribute("flashKind", "error");
		model.addAttribute("flashCode", ex.getCode());
		model.addAttribute("flashArgs", ex.getArgs());
	}

	private static void put(RedirectAttributes redirect, String kind, String code, Object[] args) {
		redirect.addFlashAttribute("flashKind", kind);
		redirect.addFlashAttribute("flashCode", code);
		redirect.addFlashAttribute("flashArgs", args);
	}

}
