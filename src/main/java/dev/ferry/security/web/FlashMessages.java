package dev.ferry.security.web;

import dev.ferry.problem.RefusedException;

import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Puts a one-time message for the next page into the flash attributes the layout's flash
 * fragment reads: {@code flashKind}, {@code flashCode} (a key of
 * {@code messages.properties}) and {@code flashArgs}.
 */
final class FlashMessages {

	private FlashMessages() {
	}

	static void success(RedirectAttributes redirect, String code, Object... args) {
		put(redirect, "success", code, args);
	}

	static void error(RedirectAttributes redirect, String code, Object... args) {
		put(redirect, "error", code, args);
	}

	static void error(RedirectAttributes redirect, RefusedException ex) {
		put(redirect, "error", ex.getCode(), ex.getArgs());
	}

	private static void put(RedirectAttributes redirect, String kind, String code, Object[] args) {
		redirect.addFlashAttribute("flashKind", kind);
		redirect.addFlashAttribute("flashCode", code);
		redirect.addFlashAttribute("flashArgs", args);
	}

}
