package dev.ferry.security.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

import dev.ferry.security.SignInFailed;
import dev.ferry.security.SignInThrottled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Counts failed sign-ins in a row per user name and per client address, in the store (so
 * every instance refuses the same), and refuses a user name after {@value #USER_FAILURES}
 * failures and an address after {@value #ADDRESS_FAILURES}: for 30 s, then twice as long
 * after each further failure, up to 15 minutes. While refused, a sign-in is not checked
 * at all, even with the right password. A success forgets the user name's failures (not
 * the address's: one's own account must not reset guesses at others); failures older than
 * an hour are forgotten.
 */
@Component
class SignInThrottle {

	private static final Logger log = LoggerFactory.getLogger(SignInThrottle.class);

	static final int USER_FAILURES = 5;

	static final int ADDRESS_FAILURES = 20;

	static final Duration FIRST_LOCK = Duration.ofSeconds(30);

	static final Duration LONGEST_LOCK = Duration.ofMinutes(15);

	static final Duration MEMORY = Duration.ofHours(1);

	private final JdbcClient store;

	private final Clock clock;

	private final TransactionTemplate transactions;

	private final ApplicationEventPublisher events;

	SignInThrottle(JdbcClient store, Clock clock, TransactionTemplate transactions, ApplicationEventPublisher events) {
		this.store = store;
		this.clock = clock;
		this.transactions = transactions;
		this.events = events;
	}

	/** Refuses the attempt when its user name or address is locked now. */
	void check(String username, String address) {
		Instant now = this.clock.instant();
		Timestamp until = this.store.sql("""
				SELECT max(locked_until) FROM sign_in_failures WHERE subject IN (?, ?) AND locked_until > ?
				""")
			.params(user(username), address(address), Timestamp.from(now))
			.query((rs, n) -> Optional.ofNullable(rs.getTimestamp(1)))
			.single()
			.orElse(null);
		if (until != null) {
			throw new SignInThrottled(Duration.between(now, until.toInstant()));
		}
	}

	/** Counts a wrong user name or password: logs it, audits it, and may lock. */
	void failed(String username, String address, String via) {
		this.transactions.executeWithoutResult(status -> {
			Instant now = this.clock.instant();
			int failures = count(user(username), USER_FAILURES, now);
			count(address(address), ADDRESS_FAILURES, now);
			Timestamp until = this.store.sql("""
					SELECT max(locked_until) FROM sign_in_failures WHERE subject IN (?, ?) AND locked_until > ?
					""")
				.params(user(username), address(address), Timestamp.from(now))
				.query((rs, n) -> Optional.ofNullable(rs.getTimestamp(1)))
				.single()
				.orElse(null);
			Instant locked = (until == null) ? null : until.toInstant();
			log.warn("Sign-in failed for user name {} from {} ({}), {} in a row{}", shown(username), address, via,
					failures, (locked == null) ? "" : "; refused until " + locked);
			this.events.publishEvent(new SignInFailed(shown(username), address, via, failures, locked));
		});
	}

	/** Forgets the user name's failures after a sign-in that succeeded. */
	void succeeded(String username) {
		this.store.sql("DELETE FROM sign_in_failures WHERE subject = ?").param(user(username)).update();
	}

	private int count(String subject, int free, Instant now) {
		this.store
			.sql("INSERT INTO sign_in_failures (subject, failures, last_failed_at) VALUES (?, 0, ?) "
					+ "ON CONFLICT DO NOTHING")
			.params(subject, Timestamp.from(now))
			.update();
		Object[] row = this.store
			.sql("SELECT failures, last_failed_at FROM sign_in_failures WHERE subject = ? FOR UPDATE")
			.param(subject)
			.query((rs, n) -> new Object[] { rs.getInt(1), rs.getTimestamp(2).toInstant() })
			.single();
		boolean forgotten = ((Instant) row[1]).isBefore(now.minus(MEMORY));
		int failures = forgotten ? 1 : (int) row[0] + 1;
		Instant locked = (failures > free) ? now.plus(lock(failures - free)) : null;
		this.store
			.sql("UPDATE sign_in_failures SET failures = ?, last_failed_at = ?, locked_until = ? WHERE subject = ?")
			.params(failures, Timestamp.from(now), (locked == null) ? null : Timestamp.from(locked), subject)
			.update();
		return failures;
	}

	/** How long the {@code over}-th failure past the free ones locks: 30 s, 60 s, ... */
	static Duration lock(int over) {
		long seconds = FIRST_LOCK.getSeconds() << Math.min(over - 1, 16);
		return Duration.ofSeconds(Math.min(seconds, LONGEST_LOCK.getSeconds()));
	}

	private static String user(String username) {
		return "user:" + shown(username).toLowerCase(Locale.ROOT);
	}

	private static String address(String address) {
		return "address:" + cut(address == null ? "unknown" : address);
	}

	/** A user name as logged and audited: cut, control characters replaced. */
	private static String shown(String username) {
		return cut(username == null ? "" : username.replaceAll("\\p{Cntrl}", "?"));
	}

	private static String cut(String text) {
		return text.length() <= 200 ? text : text.substring(0, 199) + "…";
	}

}
