package dev.ferry.notify.web;

import java.util.List;

import dev.ferry.notify.Webhook;
import dev.ferry.notify.WebhookCommand;
import dev.ferry.notify.WebhookDelivery;
import dev.ferry.notify.WebhookService;
import dev.ferry.problem.InvalidException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Webhooks and their deliveries through the API (ADMIN). */
@Tag(name = "Webhooks", description = "Notifications to other systems, signed, retried with back-off")
@RestController
class WebhookApiController {

	private final WebhookService webhooks;

	WebhookApiController(WebhookService webhooks) {
		this.webhooks = webhooks;
	}

	@Operation(summary = "The webhooks (ADMIN); secrets are never returned")
	@GetMapping("/api/v1/webhooks")
	List<Webhook> list() {
		return this.webhooks.list();
	}

	@Operation(summary = "Register a webhook (ADMIN): 201; 400 with the field and words for a bad name, a URL whose "
			+ "host is not on the allow-list of http gates, an unknown event or format, or no secret")
	@PostMapping("/api/v1/webhooks")
	ResponseEntity<Webhook> create(@RequestBody WebhookCommand command) {
		return ResponseEntity.status(HttpStatus.CREATED).body(this.webhooks.create(command));
	}

	@Operation(summary = "One webhook (ADMIN)")
	@GetMapping("/api/v1/webhooks/{id}")
	Webhook get(@PathVariable long id) {
		return this.webhooks.get(id);
	}

	@Operation(summary = "Change a webhook (ADMIN); an empty secret keeps the stored one")
	@PutMapping("/api/v1/webhooks/{id}")
	Webhook update(@PathVariable long id, @RequestBody WebhookCommand command) {
		return this.webhooks.update(id, command);
	}

	@Operation(summary = "Delete a webhook and its deliveries (ADMIN)")
	@DeleteMapping("/api/v1/webhooks/{id}")
	ResponseEntity<Void> delete(@PathVariable long id) {
		this.webhooks.delete(id);
		return ResponseEntity.noContent().build();
	}

	@Operation(summary = "Queue a ping to the webhook (ADMIN): 202 with the delivery")
	@PostMapping("/api/v1/webhooks/{id}/ping")
	ResponseEntity<WebhookDelivery> ping(@PathVariable long id) {
		return ResponseEntity.status(HttpStatus.ACCEPTED).body(this.webhooks.ping(id));
	}

	@Operation(summary = "Deliveries, newest first (ADMIN): of one webhook with ?webhook=, older than ?before= "
			+ "(the id of the last one of the previous page)")
	@GetMapping("/api/v1/webhook-deliveries")
	List<WebhookDelivery> deliveries(@RequestParam(required = false) Long webhook,
			@RequestParam(required = false) Long before, @RequestParam(defaultValue = "50") int limit) {
		if (limit < 1 || limit > 200) {
			throw new InvalidException("limit", "webhook.limit", "limit is between 1 and 200, not " + limit + ".",
					limit);
		}
		return this.webhooks.deliveries(webhook, before, limit);
	}

	@Operation(summary = "Send a failed delivery again (ADMIN); 409 unless it failed")
	@PostMapping("/api/v1/webhook-deliveries/{id}/retry")
	WebhookDelivery retry(@PathVariable long id) {
		return this.webhooks.retry(id);
	}

}
