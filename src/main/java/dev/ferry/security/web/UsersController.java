package dev.ferry.security.web;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;

import dev.ferry.problem.FlashMessages;
import dev.ferry.problem.FormInput;
import dev.ferry.problem.RefusedException;
import dev.ferry.security.AccountPage;
import dev.ferry.security.AccountService;
import dev.ferry.security.AccountView;
import dev.ferry.security.NewAccount;
import dev.ferry.security.Role;
import io.github.wimdeblauwe.htmx.spring.boot.mvc.HxRequest;
import jakarta.validation.Valid;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The admin's users pages: list, create, roles, password reset, disable. */
@Controller
@RequestMapping("/admin/users")
class UsersController {

	static final int PAGE_SIZE = 25;

	private final AccountService accounts;

	UsersController(AccountService accounts) {
		this.accounts = accounts;
	}

	/** What the roles field takes, in words. */
	private static final Map<String, String> ROLES = Map.of("roles", FormInput.oneOf(Role.class));

	@ModelAttribute("allRoles")
	List<Role> allRoles() {
		return List.of(Role.values());
	}

	@GetMapping
	String list(@RequestParam(defaultValue = "") String q, @RequestParam(required = false) String after, Model model) {
		fillList(q, after, model);
		model.addAttribute("userForm", UserForm.empty());
		return "security/users";
	}

	/** The same list as a fragment, for the search box and the pagination links. */
	@GetMapping
	@HxRequest
	String listFragment(@RequestParam(defaultValue = "") String q, @RequestParam(required = false) String after,
			Model model) {
		fillList(q, after, model);
		return "security/users :: list";
	}

	@PostMapping
	String create(@Valid @ModelAttribute("userForm") UserForm form, BindingResult result, Model model,
			RedirectAttributes redirect, HttpServletResponse response) {
		FormInput.refuseUnreadable(result, ROLES);
		if (!result.hasErrors()) {
			try {
				AccountView created = this.accounts
					.create(new NewAccount(form.username(), form.password(), EnumSet.copyOf(form.roles())));
				FlashMessages.success(redirect, "users.created", created.username());
				return "redirect:/admin/users";
			}
			catch (RefusedException ex) {
				result.reject(ex.getCode(), ex.getArgs(), ex.getMessage());
			}
		}
		// the form again, with what is wrong: the request was not one to accept
		response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
		fillList("", null, model);
		return "security/users";
	}

	@GetMapping("/{username}")
	String show(@PathVariable String username, Model model) {
		AccountView account = this.accounts.get(username);
		model.addAttribute("account", account);
		model.addAttribute("rolesForm", new RolesForm(account.roles()));
		model.addAttribute("passwordForm", PasswordForm.empty());
		return "security/user";
	}

	@PostMapping("/{username}/roles")
	String changeRoles(@PathVariable String username, @ModelAttribute RolesForm form, BindingResult result,
			RedirectAttributes redirect) {
		FormInput.refuseUnreadable(result, ROLES);
		try {
			this.accounts.changeRoles(username, form.roles() == null || form.roles().isEmpty()
					? EnumSet.noneOf(Role.class) : EnumSet.copyOf(form.roles()));
			FlashMessages.success(redirect, "users.rolesChanged", username);
		}
		catch (RefusedException ex) {
			FlashMessages.error(redirect, ex);
		}
		return "redirect:/admin/users/" + username;
	}

	@PostMapping("/{username}/password")
	String resetPassword(@PathVariable String username, @ModelAttribute PasswordForm form,
			RedirectAttributes redirect) {
		if (!form.confirmed()) {
			FlashMessages.error(redirect, "password.mismatch");
			return "redirect:/admin/users/" + username;
		}
		try {
			this.accounts.resetPassword(username, form.password());
			FlashMessages.success(redirect, "users.passwordReset", username);
		}
		catch (RefusedException ex) {
			FlashMessages.error(redirect, ex);
		}
		return "redirect:/admin/users/" + username;
	}

	@PostMapping("/{username}/enabled")
	String setEnabled(@PathVariable String username, @RequestParam boolean enabled, RedirectAttributes redirect) {
		try {
			this.accounts.setEnabled(username, enabled);
			FlashMessages.success(redirect, enabled ? "users.enabled" : "users.disabled", username);
		}
		catch (RefusedException ex) {
			FlashMessages.error(redirect, ex);
		}
		return "redirect:/admin/users/" + username;
	}

	private void fillList(String q, String after, Model model) {
		AccountPage page = this.accounts.list(q, after, PAGE_SIZE);
		model.addAttribute("page", page);
		model.addAttribute("q", q);
		model.addAttribute("after", after);
	}

}
