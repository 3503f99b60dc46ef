package dev.ferry.connection.web;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;

import dev.ferry.problem.FlashMessages;
import dev.ferry.connection.ConnectionCheck;
import dev.ferry.connection.ConnectionService;
import dev.ferry.connection.ConnectionView;
import dev.ferry.problem.FormInput;
import dev.ferry.problem.InvalidException;
import dev.ferry.problem.RefusedException;
import dev.ferry.security.CurrentUser;
import dev.ferry.security.Role;
import io.github.wimdeblauwe.htmx.spring.boot.mvc.HxRequest;

import org.springframework.context.MessageSource;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The connections pages: list, create, edit, delete, test. */
@Controller
@RequestMapping("/connections")
class ConnectionsController {

	private final ConnectionService connections;

	private final MessageSource messages;

	ConnectionsController(ConnectionService connections, MessageSource messages) {
		this.connections = connections;
		this.messages = messages;
	}

	/** What the read-only field takes, in words. */
	private static final Map<String, String> READ_ONLY = Map.of("readOnly", "true or false");

	@ModelAttribute("canChange")
	boolean canChange() {
		return CurrentUser.get().map(user -> user.has(Role.ADMIN)).orElse(false);
	}

	@ModelAttribute("canTest")
	boolean canTest() {
		return CurrentUser.get().map(user -> user.has(Role.OPERATOR)).orElse(false);
	}

	@GetMapping
	String list(Model model) {
		List<ConnectionView> all = this.connections.list();
		model.addAttribute("connections", all);
		// Delete is offered only for what nothing uses (the service's rule, asked once
		// for
		// all); the others say what uses them
		Map<String, String> usedBy = new java.util.HashMap<>();
		this.connections.usedBy().forEach((name, users) -> usedBy.put(name, String.join(", ", users)));
		model.addAttribute("usedBy", usedBy);
		return "connection/list";
	}

	@GetMapping("/new")
	@PreAuthorize("hasRole('ADMIN')")
	String newForm(Model model) {
		model.addAttribute("form", ConnectionForm.empty());
		model.addAttribute("editing", false);
		return "connection/form";
	}

	@PostMapping
	String create(@ModelAttribute("form") ConnectionForm form, BindingResult result, Model model,
			RedirectAttributes redirect, Locale locale, HttpServletResponse response) {
		FormInput.refuseUnreadable(result, READ_ONLY);
		try {
			ConnectionView created = this.connections.create(form.command());
			FlashMessages.success(redirect, "connections.created", created.name());
			return "redirect:/connections";
		}
		catch (InvalidException | RefusedException ex) {
			reject(result, ex, locale);
			response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
			model.addAttribute("editing", false);
			return "connection/form";
		}
	}

	@GetMapping("/{name}/edit")
	@PreAuthorize("hasRole('ADMIN')")
	String editForm(@PathVariable String name, Model model) {
		ConnectionView view = this.connections.get(name);
		model.addAttribute("form", ConnectionForm.of(view));
		model.addAttribute("connection", view);
		model.addAttribute("editing", true);
		return "connection/form";
	}

	@PostMapping("/{name}")
	String update(@PathVariable String name, @ModelAttribute("form") ConnectionForm form, BindingResult result,
			Model model, RedirectAttributes redirect, Locale locale, HttpServletResponse response) {
		FormInput.refuseUnreadable(result, READ_ONLY);
		try {
			this.connections.update(name, form.command());
			FlashMessages.success(redirect, "connections.updated", name);
			return "redirect:/connections";
		}
		catch (InvalidException | RefusedException ex) {
			reject(result, ex, locale);
			response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
			model.addAttribute("connection", this.connections.get(name));
			model.addAttribute("editing", true);
			return "connection/form";
		}
	}

	@PostMapping("/{name}/delete")
	String delete(@PathVariable String name, RedirectAttributes redirect) {
		try {
			this.connections.delete(name);
			FlashMessages.success(redirect, "connections.deleted", name);
		}
		catch (RefusedException ex) {
			FlashMessages.error(redirect, ex);
		}
		return "redirect:/connections";
	}

	@PostMapping("/{name}/test")
	String test(@PathVariable String name, Model model) {
		model.addAttribute("connection", this.connections.get(name));
		model.addAttribute("check", this.connections.test(name));
		return "connection/test";
	}

	/** The same test as a fragment under the connection's row. */
	@PostMapping("/{name}/test")
	@HxRequest
	String testFragment(@PathVariable String name, Model model) {
		ConnectionCheck check = this.connections.test(name);
		model.addAttribute("connection", this.connections.get(name));
		model.addAttribute("check", check);
		return "connection/test :: result";
	}

	// The form stays the bound object (replacing it would drop its errors); the template
	// never
	// renders the password field's value, so a typed password is not echoed back.
	private void reject(BindingResult result, RuntimeException ex, Locale locale) {
		if (ex instanceof InvalidException invalid) {
			String text = this.messages.getMessage(invalid.getCode(), invalid.getArgs(), invalid.getMessage(), locale);
			if (invalid.getField() != null) {
				result.rejectValue(invalid.getField(), invalid.getCode(), text);
			}
			else {
				result.reject(invalid.getCode(), text);
			}
		}
		else if (ex instanceof RefusedException refused) {
			result.reject(refused.getCode(),
					this.messages.getMessage(refused.getCode(), refused.getArgs(), refused.getMessage(), locale));
		}
	}

}
