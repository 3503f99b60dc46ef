package dev.ferry.notify.web;

import java.util.List;

import dev.ferry.notify.Webhook;
import dev.ferry.notify.WebhookCommand;

/**
 * The form that creates or changes a webhook; an empty secret on a change keeps the
 * stored one.
 */
record WebhookForm(String name, String url, String format, List<String> events, String plan, String secret,
		Boolean enabled) {

	static WebhookForm empty() {
		return new WebhookForm("", "https://", "ferry", List.of(), "", "", true);
	}

	static WebhookForm of(Webhook webhook) {
		return new WebhookForm(webhook.name(), webhook.url(), webhook.format(), webhook.events(),
				(webhook.plan() == null) ? "" : webhook.plan(), "", webhook.enabled());
	}

	WebhookCommand command() {
		return new WebhookCommand(this.name, this.url, this.format, this.events, this.plan, this.secret, false,
				Boolean.TRUE.equals(this.enabled));
	}

}
