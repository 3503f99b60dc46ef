package dev.ferry.notify;

import java.util.List;

/**
 * Creates or changes a webhook. On a change, a {@code null} or empty {@code secret} keeps
 * the stored one.
 *
 * @param events event codes ({@link WebhookEvent}); empty for every event
 * @param clearSecret whether to remove the stored secret (refused: a webhook is always
 * signed); {@code null} for no
 * @param enabled whether events become deliveries; {@code null} for yes
 */
public record WebhookCommand(String name, String url, String format, List<String> events, String plan, String secret,
		Boolean clearSecret, Boolean enabled) {

	public WebhookCommand {
		events = (events == null) ? List.of() : List.copyOf(events);
		clearSecret = Boolean.TRUE.equals(clearSecret);
		enabled = !Boolean.FALSE.equals(enabled);
	}

	@Override
	public String toString() {
		// a command must never print its secret, whatever logs it
		return "WebhookCommand[name=" + this.name + ", url=" + this.url + ", format=" + this.format + ", events="
				+ this.events + ", plan=" + this.plan + ", enabled=" + this.enabled + "]";
	}

}
