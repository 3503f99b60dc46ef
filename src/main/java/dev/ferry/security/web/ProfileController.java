package dev.ferry.security.web;

import dev.ferry.problem.RefusedException;
import dev.ferry.security.AccountService;
import dev.ferry.security.internal.AccountSessions;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Every user's own page: who they are, their roles, and their password. */
@Controller
@RequestMapping("/profile")
class ProfileController {

	private final AccountService accounts;

	ProfileController(AccountService accounts) {
		this.accounts = accounts;
	}

	@GetMapping
	String show(Model model) {
		model.addAttribute("account", this.accounts.me());
		model.addAttribute("passwordForm", PasswordForm.empty());
		return "security/profile";
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
