package dev.ferry.notify.web;

import java.util.Arrays;
import java.util.List;

import dev.ferry.notify.Webhook;
import dev.ferry.notify.WebhookDelivery;
import dev.ferry.notify.WebhookEvent;
import dev.ferry.notify.WebhookService;
import dev.ferry.problem.FlashMessages;
import dev.ferry.problem.InvalidException;
import dev.ferry.problem.NotFoundException;
import dev.ferry.problem.RefusedException;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The admin page {@code /admin/webhooks}: the webhooks with a form for a new one, a ping
 * each, and the latest deliveries with their state (keyset pages, failed ones sent again
 * on request); {@code /admin/webhooks/{id}} changes or deletes one.
 */
@Controller
class WebhookController {

	static final int PAGE = 25;

	private final WebhookService webhooks;

	WebhookController(WebhookService webhooks) {
		this.webhooks = webhooks;
	}

	@GetMapping("/admin/webhooks")
	String page(@RequestParam(required = false) Long webhook, @RequestParam(required = false) Long before,
			Model model) {
		if (!model.containsAttribute("webhookForm")) {
			model.addAttribute("webhookForm", WebhookForm.empty());
		}
		fill(webhook, before, model);
		return "notify/webhooks";
	}

	private void fill(Long webhook, Long before, Model model) {
		List<Webhook> all = this.webhooks.list();
		model.addAttribute("webhooks", all);
		model.addAttribute("filterName",
				all.stream()
					.filter(one -> webhook != null && one.id() == webhook)
					.map(Webhook::name)
					.findFirst()
					.orElse(null));
		List<WebhookDelivery> deliveries = this.webhooks.deliveries(webhook, before, PAGE + 1);
		model.addAttribute("deliveries", deliveries.subList(0, Math.min(PAGE, deliveries.size())));
		model.addAttribute("older", (deliveries.size() > PAGE) ? deliveries.get(PAGE - 1).id() : null);
		model.addAttribute("filter", webhook);
		model.addAttribute("eventCodes", events());
	}

	static List<String> events() {
		return Arrays.stream(WebhookEvent.values())
			.filter(event -> event != WebhookEvent.PING)
			.map(WebhookEvent::code)
			.toList();
	}

	@PostMapping("/admin/webhooks")
	String create(@ModelAttribute("webhookForm") WebhookForm form, BindingResult result, Model model,
			RedirectAttributes redirect, HttpServletResponse response) {
		try {
			Webhook created = this.webhooks.create(form.command());
			FlashMessages.success(redirect, "webhooks.created", created.name());
			return "redirect:/admin/webhooks";
		}
		catch (InvalidException ex) {
			reject(result, ex);
		}
		response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
		fill(null, null, model);
		return "notify/webhooks";
	}

	@GetMapping("/admin/webhooks/{id}")
	String edit(@PathVariable long id, Model model) {
		Webhook webhook = this.webhooks.get(id);
		model.addAttribute("webhook", webhook);
		model.addAttribute("webhookForm", WebhookForm.of(webhook));
		model.addAttribute("eventCodes", events());
		return "notify/webhook";
	}

	@PostMapping("/admin/webhooks/{id}")
	String update(@PathVariable long id, @ModelAttribute("webhookForm") WebhookForm form, BindingResult result,
			Model model, RedirectAttributes redirect, HttpServletResponse response) {
		try {
			Webhook changed = this.webhooks.update(id, form.command());
			FlashMessages.success(redirect, "webhooks.changed", changed.name());
			return "redirect:/admin/webhooks";
		}
		catch (InvalidException ex) {
			reject(result, ex);
		}
		response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
		model.addAttribute("webhook", this.webhooks.get(id));
		model.addAttribute("eventCodes", events());
		return "notify/webhook";
	}

	@PostMapping("/admin/webhooks/{id}/delete")
	String delete(@PathVariable long id, RedirectAttributes redirect) {
		String name = this.webhooks.get(id).name();
		this.webhooks.delete(id);
		FlashMessages.success(redirect, "webhooks.deleted", name);
		return "redirect:/admin/webhooks";
	}

	@PostMapping("/admin/webhooks/{id}/ping")
	String ping(@PathVariable long id, RedirectAttributes redirect) {
		WebhookDelivery delivery = this.webhooks.ping(id);
		FlashMessages.success(redirect, "webhooks.pinged", delivery.webhook());
		return "redirect:/admin/webhooks?webhook=" + id + "#deliveries";
	}

	@PostMapping("/admin/webhook-deliveries/{id}/retry")
	String retry(@PathVariable long id, RedirectAttributes redirect) {
		try {
			this.webhooks.retry(id);
			FlashMessages.success(redirect, "webhooks.retried", id);
		}
		catch (RefusedException ex) {
			FlashMessages.error(redirect, ex);
		}
		catch (NotFoundException ex) {
			FlashMessages.error(redirect, ex.getCode(), id);
		}
		return "redirect:/admin/webhooks#deliveries";
	}

	/**
	 * The service's words on the field they are about, exactly as the API gives them: the
	 * message source formats a field error's text, so its quotes and braces are escaped
	 * for it.
	 */
	private static void reject(BindingResult result, InvalidException ex) {
		String literal = ex.getMessage().replace("'", "''").replace("{", "'{'").replace("}", "'}'");
		if (ex.getField() != null) {
			result.rejectValue(ex.getField(), "webhook.form.invalid", null, literal);
		}
		else {
			result.reject("webhook.form.invalid", null, literal);
		}
	}

}
