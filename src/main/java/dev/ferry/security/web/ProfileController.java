package dev.ferry.security.web;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.ferry.problem.FlashMessages;
import dev.ferry.problem.InvalidException;
import dev.ferry.problem.RefusedException;
import dev.ferry.security.AccountService;
import dev.ferry.security.ApiToken;
import dev.ferry.security.ApiTokenService;
import dev.ferry.security.NewApiToken;
import dev.ferry.security.internal.AccountSessions;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Every user's own page: who they are, their roles, their password and API tokens. */
@Controller
@RequestMapping("/profile")
class ProfileController {

	/** The lifetimes the token form offers, in days; 0 is until revoked. */
	static final List<Integer> LIFETIMES = List.of(30, 90, 365, 0);

	private final AccountService accounts;

	private final ApiTokenService tokens;

	private final Clock clock;

	ProfileController(AccountService accounts, ApiTokenService tokens, Clock clock) {
		this.accounts = accounts;
		this.tokens = tokens;
		this.clock = clock;
	}

	@GetMapping
	String show(Model model) {
		fill(model);
		return "security/profile";
	}

	private void fill(Model model) {
		model.addAttribute("account", this.accounts.me());
		model.addAttribute("passwordForm", PasswordForm.empty());
		model.addAttribute("tokens", this.tokens.mine());
		model.addAttribute("lifetimes", LIFETIMES);
		model.addAttribute("now", this.clock.instant());
	}

	/**
	 * Makes a token and shows it on this answer, not through a redirect: the token is
	 * never put in the session, so it is nowhere but on this page.
	 */
	@PostMapping("/tokens")
	String createToken(@RequestParam(defaultValue = "") String name, @RequestParam(defaultValue = "90") int days,
			Model model, HttpServletResponse response) {
		if (!LIFETIMES.contains(days)) {
			// only what the form offers: a negative number of days would be "until
			// revoked"
			throw new InvalidException("days", "profile.tokens.lifetimeUnknown",
					"days: '" + days
							+ "' is not a lifetime the form offers (30, 90 or 365 days, or 0 for until revoked).",
					days);
		}
		try {
			NewApiToken created = this.tokens.create(name, days > 0 ? Duration.ofDays(days) : null);
			model.addAttribute("newToken", created);
			// the page holds a secret: no cache may keep it
			response.setHeader("Cache-Control", "no-store");
		}
		catch (RefusedException ex) {
			FlashMessages.error(model, ex);
			model.addAttribute("tokenName", name);
		}
		fill(model);
		return "security/profile";
	}

	@PostMapping("/tokens/{id}/revoke")
	String revokeToken(@PathVariable long id, RedirectAttributes redirect) {
		ApiToken revoked = this.tokens.revoke(id);
		FlashMessages.success(redirect, "profile.tokens.revoked", revoked.name());
		return "redirect:/profile";
	}

	@PostMapping("/password")
	String changePassword(@ModelAttribute PasswordForm form, HttpServletRequest request, RedirectAttributes redirect) {
		if (!form.confirmed()) {
			FlashMessages.error(redirect, "password.mismatch");
			return "redirect:/profile";
		}
		try {
			this.accounts.changeOwnPassword(form.current(), form.password());
			// this session stays signed in; the user's other sessions are signed out
			AccountSessions.keepSignedIn(request.getSession());
			FlashMessages.success(redirect, "profile.passwordChanged");
		}
		catch (RefusedException ex) {
			FlashMessages.error(redirect, ex);
		}
		return "redirect:/profile";
	}

}
