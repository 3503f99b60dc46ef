package dev.ferry.notify.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.ferry.connection.Secrets;
import dev.ferry.notify.Webhook;
import dev.ferry.notify.WebhookChanged;
import dev.ferry.notify.WebhookCommand;
import dev.ferry.notify.WebhookDelivery;
import dev.ferry.notify.WebhookEvent;
import dev.ferry.notify.WebhookService;
import dev.ferry.plan.HttpCheckHosts;
import dev.ferry.problem.InvalidException;
import dev.ferry.problem.NotFoundException;
import dev.ferry.problem.RefusedException;
import dev.ferry.security.CurrentUser;
import dev.ferry.security.SystemActor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.env.Environment;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Webhooks (table {@code webhooks}) and their deliveries ({@code webhook_deliveries}). An
 * event becomes one pending delivery per enabled webhook that wants it ({@link #enqueue},
 * from the listeners, in the transaction the event publication registry completes);
 * {@link #deliverDue} posts the due ones and, when one fails, waits
 * {@code ferry.webhooks.first-retry} (30 s) before the second attempt and twice as long
 * before each next one (at most an hour), until {@code ferry.webhooks.max-attempts} (8)
 * have failed. A delivery is sent at least once: a receiver that must act once
 * deduplicates by {@code X-Ferry-Delivery}.
 */
@Service
class StoredWebhooks implements WebhookService {

	private static final Logger log = LoggerFactory.getLogger(StoredWebhooks.class);

	private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

	private static final Duration LONGEST_WAIT = Duration.ofHours(1);

	private static final String WEBHOOK_COLUMNS = "id, name, url, format, events, plan, secret, enabled, created_by, "
			+ "created_at, updated_at";

	private static final String DELIVERY_COLUMNS = """
			d.id, d.webhook_id, w.name, d.event_key, d.event, d.plan, d.summary, d.state, d.attempts,
			d.next_attempt_at, d.last_status, d.last_error, d.created_at, d.delivered_at
			""";

	private final JdbcClient store;

	private final Secrets secrets;

	private final Environment environment;

	private final Clock clock;

	private final JsonMapper json;

	private final WebhookSender sender;

	private final ApplicationEventPublisher events;

	private final int maxAttempts;

	private final Duration firstRetry;

	private final String publicUrl;

	StoredWebhooks(JdbcClient store, Secrets secrets, Environment environment, Clock clock, JsonMapper json,
			WebhookSender sender, ApplicationEventPublisher events,
			@Value("${ferry.webhooks.max-attempts:8}") int maxAttempts,
			@Value("${ferry.webhooks.first-retry:30s}") Duration firstRetry,
			@Value("${ferry.public-url:}") String publicUrl) {
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("ferry.webhooks.max-attempts must be at least 1, not " + maxAttempts);
		}
		this.store = store;
		this.secrets = secrets;
		this.environment = environment;
		this.clock = clock;
		this.json = json;
		this.sender = sender;
		this.events = events;
		this.maxAttempts = maxAttempts;
		this.firstRetry = firstRetry;
		this.publicUrl = (publicUrl == null || publicUrl.isBlank()) ? null : publicUrl.strip().replaceAll("/+$", "");
	}

	/** A webhook's row, with its sealed secret. */
	record Row(Webhook webhook, String sealed) {
	}

	@Override
	@PreAuthorize("hasRole('ADMIN')")
	@Transactional(readOnly = true)
	public List<Webhook> list() {
		return this.store.sql("SELECT " + WEBHOOK_COLUMNS + " FROM webhooks ORDER BY name")
			.query(StoredWebhooks::row)
			.stream()
			.map(Row::webhook)
			.toList();
	}

	@Override
	@PreAuthorize("hasRole('ADMIN')")
	@Transactional(readOnly = true)
	public Webhook get(long id) {
		return load(id).webhook();
	}

	private Row load(long id) {
		return this.store.sql("SELECT " + WEBHOOK_COLUMNS + " FROM webhooks WHERE id = ?")
			.param(id)
			.query(StoredWebhooks::row)
			.optional()
			.orElseThrow(() -> new NotFoundException("webhook.notFound", "There is no webhook " + id + ".", id));
	}

	@Override
	@PreAuthorize("hasRole('ADMIN')")
	@Transactional
	public Webhook create(WebhookCommand command) {
		Checked checked = check(command);
		if (command.secret() == null || command.secret().isBlank()) {
			throw new InvalidException("secret", "webhook.secret.required",
					"A webhook needs a secret: deliveries are signed with it so the receiver can trust them.");
		}
		Instant now = this.clock.instant();
		KeyHolder keys = new GeneratedKeyHolder();
		try {
			this.store.sql("""
					INSERT INTO webhooks (name, url, format, events, plan, enabled, created_by, created_at, updated_at)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
					""")
				.params(checked.name(), checked.url(), checked.format(), checked.events(), checked.plan(),
						command.enabled(), actor(), at(now), at(now))
				.update(keys, "id");
		}
		catch (DuplicateKeyException ex) {
			throw new InvalidException("name", "webhook.name.taken", "A webhook named " + checked.name() + " exists.",
					checked.name());
		}
		long id = keys.getKey().longValue();
		sealSecret(id, command.secret());
		this.events.publishEvent(new WebhookChanged(checked.name(), "created", actor()));
		return load(id).webhook();
	}

	@Override
	@PreAuthorize("hasRole('ADMIN')")
	@Transactional
	public Webhook update(long id, WebhookCommand command) {
		Row before = load(id);
		Checked checked = check(command);
		try {
			this.store.sql("""
					UPDATE webhooks SET name = ?, url = ?, format = ?, events = ?, plan = ?, enabled = ?, updated_at = ?
					WHERE id = ?
					""")
				.params(checked.name(), checked.url(), checked.format(), checked.events(), checked.plan(),
						command.enabled(), at(this.clock.instant()), id)
				.update();
		}
		catch (DuplicateKeyException ex) {
			throw new InvalidException("name", "webhook.name.taken", "A webhook named " + checked.name() + " exists.",
					checked.name());
		}
		if (command.secret() != null && !command.secret().isBlank()) {
			sealSecret(id, command.secret());
		}
		else if (Boolean.TRUE.equals(command.clearSecret()) || before.sealed() == null) {
			throw new InvalidException("secret", "webhook.secret.required",
					"A webhook needs a secret: deliveries are signed with it so the receiver can trust them.");
		}
		this.events.publishEvent(new WebhookChanged(checked.name(), "changed", actor()));
		return load(id).webhook();
	}

	@Override
	@PreAuthorize("hasRole('ADMIN')")
	@Transactional
	public void delete(long id) {
		Row row = load(id);
		this.store.sql("DELETE FROM webhooks WHERE id = ?").param(id).update();
		this.events.publishEvent(new WebhookChanged(row.webhook().name(), "deleted", actor()));
	}

	@Override
	@PreAuthorize("hasRole('ADMIN')")
	@Transactional
	public WebhookDelivery ping(long id) {
		Row row = load(id);
		Instant now = this.clock.instant();
		long delivery = insert(row.webhook().id(), WebhookEvent.PING, "ping:" + now.toEpochMilli(), null,
				"A test from " + actor() + ": Ferry reaches this webhook.", Map.of(), now);
		this.events.publishEvent(new WebhookChanged(row.webhook().name(), "pinged", actor()));
		return delivery(delivery);
	}

	@Override
	@PreAuthorize("hasRole('ADMIN')")
	@Transactional(readOnly = true)
	public List<WebhookDelivery> deliveries(Long webhookId, Long before, int limit) {
		return this.store.sql("SELECT " + DELIVERY_COLUMNS + """
				FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
				WHERE (CAST(? AS BIGINT) IS NULL OR d.webhook_id = ?) AND (CAST(? AS BIGINT) IS NULL OR d.id < ?)
				ORDER BY d.id DESC LIMIT ?
				""").params(webhookId, webhookId, before, before, limit).query(StoredWebhooks::delivery).list();
	}

	@Override
	@PreAuthorize("hasRole('ADMIN')")
	@Transactional
	public WebhookDelivery retry(long deliveryId) {
		WebhookDelivery delivery = delivery(deliveryId);
		if (!delivery.state().equals("failed")) {
			throw new RefusedException("webhook.retry.notFailed",
					"Delivery " + deliveryId + " is " + delivery.state() + ": only a failed one is sent again.",
					deliveryId, delivery.state());
		}
		this.store.sql("""
				UPDATE webhook_deliveries SET state = 'pending', attempts = 0, next_attempt_at = ? WHERE id = ?
				""").params(at(this.clock.instant()), deliveryId).update();
		return delivery(deliveryId);
	}

	private WebhookDelivery delivery(long id) {
		return this.store
			.sql("SELECT " + DELIVERY_COLUMNS
					+ " FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = ?")
			.param(id)
			.query(StoredWebhooks::delivery)
			.optional()
			.orElseThrow(
					() -> new NotFoundException("webhook.delivery.notFound", "There is no delivery " + id + ".", id));
	}

	@Override
	@PreAuthorize("hasRole('ADMIN')")
	public int deliverDue() {
		List<Long> due = this.store.sql("""
				SELECT id FROM webhook_deliveries WHERE state = 'pending' AND next_attempt_at <= ?
				ORDER BY next_attempt_at, id LIMIT 100
				""").param(at(this.clock.instant())).query(Long.class).list();
		due.forEach(this::attempt);
		return due.size();
	}

	/**
	 * One attempt of one delivery, posted outside any transaction of the store and
	 * recorded after it.
	 */
	private void attempt(long id) {
		record Due(long webhookId, String event, String payload, int attempts, String url, String format,
				String sealed) {
		}
		Due due = this.store.sql("""
				SELECT d.webhook_id, d.event, d.payload, d.attempts, w.url, w.format, w.secret
				FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = ? AND d.state = 'pending'
				""")
			.param(id)
			.query((rs, row) -> new Due(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5),
					rs.getString(6), rs.getString(7)))
			.optional()
			.orElse(null);
		if (due == null) {
			return;
		}
		Instant now = this.clock.instant();
		WebhookSender.Attempt attempt;
		URI url = URI.create(due.url());
		if (!HttpCheckHosts.allows(HttpCheckHosts.allowed(this.environment), url)) {
			attempt = new WebhookSender.Attempt(null, "Host " + url.getHost()
					+ " is no longer allowed (ferry.http-checks.allowed-hosts): the delivery is not sent.");
		}
		else {
			String secret;
			try {
				secret = (due.sealed() == null) ? null : this.secrets.open(owner(due.webhookId()), due.sealed());
			}
			catch (RuntimeException ex) {
				secret = null;
			}
			if (due.sealed() != null && secret == null) {
				attempt = new WebhookSender.Attempt(null,
						"The webhook's secret cannot be opened with FERRY_SECRET_KEY: type it again.");
			}
			else {
				String body = "slack".equals(due.format()) ? slack(due.payload()) : due.payload();
				attempt = this.sender.send(url, body, due.event(), id, secret, now.getEpochSecond());
			}
		}
		int attempts = due.attempts() + 1;
		if (attempt.delivered()) {
			this.store.sql("""
					UPDATE webhook_deliveries SET state = 'delivered', attempts = ?, last_status = ?, last_error = NULL,
					    next_attempt_at = NULL, delivered_at = ? WHERE id = ?
					""").params(attempts, attempt.status(), at(now), id).update();
			return;
		}
		boolean last = attempts >= this.maxAttempts;
		Instant next = last ? null : now.plus(wait(attempts));
		this.store
			.sql("""
					UPDATE webhook_deliveries SET state = ?, attempts = ?, last_status = ?, last_error = ?, next_attempt_at = ?
					WHERE id = ?
					""")
			.params(last ? "failed" : "pending", attempts, attempt.status(), cut(attempt.error(), 1000),
					(next == null) ? null : at(next), id)
			.update();
		log.info("Webhook delivery {} ({}) failed, attempt {} of {}: {}", id, due.event(), attempts, this.maxAttempts,
				attempt.error());
	}

	/** The wait after the n-th failed attempt: the first retry, doubled each time. */
	Duration wait(int failedAttempts) {
		Duration wait = this.firstRetry;
		for (int i = 1; i < failedAttempts && wait.compareTo(LONGEST_WAIT) < 0; i++) {
			wait = wait.multipliedBy(2);
		}
		return (wait.compareTo(LONGEST_WAIT) > 0) ? LONGEST_WAIT : wait;
	}

	/**
	 * Writes one pending delivery of an event to every enabled webhook that wants it; a
	 * delivery already written for the same webhook and event key is not written again
	 * (the registry may hand an event over twice after a crash).
	 * @param key the event's own key ({@code run.failed:12})
	 * @param plan the plan the event is about, or null
	 * @param details the event's particulars for Ferry's JSON
	 * @return how many deliveries were written
	 */
	@Transactional
	int enqueue(WebhookEvent event, String key, String plan, String summary, Map<String, Object> details) {
		List<Long> hooks = this.store.sql("""
				SELECT id, events, plan FROM webhooks WHERE enabled = TRUE ORDER BY id
				""")
			.query((rs, row) -> wants(rs.getString(2), rs.getString(3), event, plan) ? rs.getLong(1) : null)
			.stream()
			.filter(id -> id != null)
			.toList();
		int written = 0;
		Instant now = this.clock.instant();
		for (Long hook : hooks) {
			boolean exists = this.store
				.sql("SELECT count(*) FROM webhook_deliveries WHERE webhook_id = ? AND event_key = ?")
				.params(hook, key)
				.query(Long.class)
				.single() > 0;
			if (!exists) {
				insert(hook, event, key, plan, summary, details, now);
				written++;
			}
		}
		return written;
	}

	private static boolean wants(String events, String filterPlan, WebhookEvent event, String plan) {
		boolean eventWanted = events.equals("*") || Arrays.asList(events.split(",")).contains(event.code());
		return eventWanted && (filterPlan == null || filterPlan.equals(plan));
	}

	private long insert(long webhook, WebhookEvent event, String key, String plan, String summary,
			Map<String, Object> details, Instant now) {
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("event", event.code());
		payload.put("key", key);
		payload.put("at", now.toString());
		payload.put("plan", plan);
		payload.put("summary", summary);
		Object run = details.get("run");
		if (this.publicUrl != null) {
			payload.put("link", (run != null) ? this.publicUrl + "/runs/" + run
					: (plan != null) ? this.publicUrl + "/plans/" + plan : this.publicUrl);
		}
		payload.put("details", details);
		KeyHolder keys = new GeneratedKeyHolder();
		this.store.sql("""
				INSERT INTO webhook_deliveries (webhook_id, event_key, event, plan, summary, payload, state, attempts,
				    next_attempt_at, created_at)
				VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)
				""")
			.params(webhook, key, event.code(), plan, cut(summary, 2000), this.json.writeValueAsString(payload),
					at(now), at(now))
			.update(keys, "id");
		return keys.getKey().longValue();
	}

	/**
	 * The message a Slack-compatible incoming webhook takes: {@code {"text": …}}, with
	 * the link when Ferry knows its public address.
	 */
	private String slack(String payload) {
		Map<?, ?> ferry = this.json.readValue(payload, Map.class);
		String text = "*Ferry* · " + ferry.get("event") + ": " + ferry.get("summary");
		if (ferry.get("link") != null) {
			text += " <" + ferry.get("link") + "|Open in Ferry>";
		}
		return this.json.writeValueAsString(Map.of("text", text));
	}

	private record Checked(String name, String url, String format, String events, String plan) {
	}

	private Checked check(WebhookCommand command) {
		String name = (command.name() == null) ? "" : command.name().strip();
		if (!NAME.matcher(name).matches()) {
			throw new InvalidException("name", "webhook.name.invalid",
					"A webhook's name is 1 to 64 lower-case letters, digits, '-' or '_', starting with a letter or digit.");
		}
		String text = (command.url() == null) ? "" : command.url().strip();
		URI url;
		try {
			url = new URI(text);
		}
		catch (URISyntaxException ex) {
			throw new InvalidException("url", "webhook.url.invalid", "'" + text + "' is not a URL.", text);
		}
		if (url.getScheme() == null
				|| !(url.getScheme().equalsIgnoreCase("http") || url.getScheme().equalsIgnoreCase("https"))
				|| url.getHost() == null) {
			throw new InvalidException("url", "webhook.url.invalid",
					"Expected an http or https URL with a host, for example https://hooks.example.com/ferry.", text);
		}
		if (url.getUserInfo() != null) {
			throw new InvalidException("url", "webhook.url.userInfo",
					"Put no credentials in the URL: deliveries are signed with the webhook's secret.", text);
		}
		Set<String> allowed = HttpCheckHosts.allowed(this.environment);
		if (!HttpCheckHosts.allows(allowed, url)) {
			throw new InvalidException("url", "webhook.url.notAllowed",
					"Host '" + url.getHost() + "' is not allowed for webhooks (the allow-list of http gates); allowed: "
							+ (allowed.isEmpty() ? "none (see ferry.http-checks.allowed-hosts)"
									: allowed.stream().sorted().collect(Collectors.joining(", "))),
					url.getHost());
		}
		String format = (command.format() == null || command.format().isBlank()) ? "ferry"
				: command.format().strip().toLowerCase(Locale.ROOT);
		if (!format.equals("ferry") && !format.equals("slack")) {
			throw new InvalidException("format", "webhook.format.invalid",
					"The format is ferry (Ferry's JSON) or slack (a Slack-compatible message), not " + format + ".",
					format);
		}
		List<String> codes = new ArrayList<>();
		for (String code : command.events()) {
			String event = code.strip();
			if (event.isEmpty()) {
				continue;
			}
			if (WebhookEvent.of(event).filter(known -> known != WebhookEvent.PING).isEmpty()) {
				throw new InvalidException("events", "webhook.event.unknown",
						"No event " + event + "; the events are "
								+ Arrays.stream(WebhookEvent.values())
									.filter(known -> known != WebhookEvent.PING)
									.map(WebhookEvent::code)
									.collect(Collectors.joining(", "))
								+ ".",
						event);
			}
			if (!codes.contains(event)) {
				codes.add(event);
			}
		}
		String plan = (command.plan() == null || command.plan().isBlank()) ? null : command.plan().strip();
		return new Checked(name, url.toString(), format, codes.isEmpty() ? "*" : String.join(",", codes), plan);
	}

	private void sealSecret(long id, String secret) {
		this.store.sql("UPDATE webhooks SET secret = ? WHERE id = ?")
			.params(this.secrets.seal(owner(id), secret), id)
			.update();
	}

	/** What a webhook's secret is bound to when sealed. */
	static String owner(long id) {
		return "webhook:" + id;
	}

	private static String actor() {
		return CurrentUser.get().map(CurrentUser::username).orElse(SystemActor.NAME);
	}

	private static OffsetDateTime at(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	private static String cut(String text, int max) {
		return (text == null || text.length() <= max) ? text : text.substring(0, max - 1) + "…";
	}

	private static Row row(ResultSet rs, int row) throws SQLException {
		String events = rs.getString(5);
		return new Row(
				new Webhook(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
						events.equals("*") ? List.of() : List.of(events.split(",")), rs.getString(6),
						rs.getString(7) != null, rs.getBoolean(8), rs.getString(9), instant(rs, 10), instant(rs, 11)),
				rs.getString(7));
	}

	private static WebhookDelivery delivery(ResultSet rs, int row) throws SQLException {
		int code = rs.getInt(11);
		Integer status = rs.wasNull() ? null : code;
		return new WebhookDelivery(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
				rs.getString(6), rs.getString(7), rs.getString(8), rs.getInt(9), instant(rs, 10), status,
				rs.getString(12), instant(rs, 13), instant(rs, 14));
	}

	private static Instant instant(ResultSet rs, int column) throws SQLException {
		OffsetDateTime at = rs.getObject(column, OffsetDateTime.class);
		return (at == null) ? null : at.toInstant();
	}

}
