package dev.ferry.mapping.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import dev.ferry.mapping.Claim;
import dev.ferry.mapping.MappingItem;
import dev.ferry.mapping.Queue;
import dev.ferry.security.CurrentUser;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Claims on open mapping items (table {@code mapping_claims}): a reviewer who opens an
 * item holds it for {@link #HOLD}, and "next" skips items others hold, so reviewers on
 * one queue get different items. One claim per reviewer and phase: opening another item
 * moves it; a decision ends it. Each claim is its own short transaction, so that a
 * refused insert (someone claimed first) never spoils a caller's transaction, on H2 or
 * PostgreSQL.
 */
@Component
class MappingClaims {

	/** How long an opened item stays a reviewer's without a decision. */
	static final Duration HOLD = Duration.ofMinutes(5);

	/** How many items "next" tries before it gives up on a queue others are racing on. */
	private static final int ATTEMPTS = 20;

	private final JdbcClient store;

	private final Clock clock;

	private final MappingQueries queries;

	private final TransactionTemplate own;

	MappingClaims(JdbcClient store, Clock clock, MappingQueries queries, PlatformTransactionManager transactions) {
		this.store = store;
		this.clock = clock;
		this.queries = queries;
		this.own = new TransactionTemplate(transactions);
		this.own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	/**
	 * Claims an item for the current user unless someone else holds it.
	 * @return the claim that stands: the user's own, or the other reviewer's
	 */
	Claim claim(String plan, String phase, String oldKey) {
		String me = me();
		try {
			return this.own.execute(status -> tryClaim(plan, phase, oldKey, me));
		}
		catch (ClaimedMeanwhile ex) {
			return holder(plan, phase, oldKey, me)
				.orElseGet(() -> new Claim(oldKey, "another reviewer", this.clock.instant().plus(HOLD), false));
		}
	}

	/**
	 * The first open item of a queue after {@code afterSeq} that nobody else holds,
	 * claimed for the current user; wraps around to the start of the queue.
	 */
	Optional<MappingItem> claimNext(String plan, String phase, Queue queue, long afterSeq) {
		if (queue.computed() == null || queue == Queue.AUTO) {
			return Optional.empty();
		}
		long runId = this.queries.latest(plan, phase);
		String me = me();
		long after = afterSeq;
		boolean wrapped = false;
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			Optional<String[]> next = unclaimed(plan, phase, runId, queue, after, me);
			if (next.isEmpty()) {
				if (wrapped || afterSeq <= 0) {
					return Optional.empty();
				}
				wrapped = true;
				after = 0;
				continue;
			}
			String oldKey = next.get()[0];
			Claim claim = claim(plan, phase, oldKey);
			if (claim.mine()) {
				return Optional.of(this.queries.item(plan, phase, oldKey));
			}
			// someone took it between the read and the claim: the one after it
			after = Long.parseLong(next.get()[1]);
		}
		return Optional.empty();
	}

	/** Ends the current user's claim on an item (a decision was made). */
	void release(String plan, String phase, String oldKey) {
		this.store.sql("DELETE FROM mapping_claims WHERE plan = ? AND phase = ? AND old_key = ? AND claimed_by = ?")
			.params(plan, phase, oldKey, me())
			.update();
	}

	/**
	 * The claims that stand on a phase's items, by old key (one per reviewer at most).
	 */
	Map<String, Claim> live(String plan, String phase) {
		String me = CurrentUser.get().map(CurrentUser::username).orElse(null);
		Map<String, Claim> claims = new LinkedHashMap<>();
		this.store.sql("""
				SELECT old_key, claimed_by, expires_at FROM mapping_claims
				WHERE plan = ? AND phase = ? AND expires_at > ? ORDER BY old_key
				""").params(plan, phase, Timestamp.from(this.clock.instant())).query((rs, row) -> {
			String holder = rs.getString(2);
			return new Claim(rs.getString(1), holder, rs.getTimestamp(3).toInstant(), holder.equals(me));
		}).list().forEach(claim -> claims.put(claim.oldKey(), claim));
		return claims;
	}

	private Optional<String[]> unclaimed(String plan, String phase, long runId, Queue queue, long after, String me) {
		return this.store.sql("""
				SELECT i.old_key, i.seq FROM mapping_items i LEFT JOIN mapping_decisions d ON d.plan = ?
				AND d.phase = ? AND d.old_key = i.old_key
				WHERE i.run_id = ? AND i.status = ? AND (d.status IS NULL OR d.stale) AND i.seq > ?
				AND NOT EXISTS (SELECT 1 FROM mapping_claims c WHERE c.plan = ? AND c.phase = ?
				AND c.old_key = i.old_key AND c.claimed_by <> ? AND c.expires_at > ?)
				ORDER BY i.run_id, i.status, i.seq LIMIT 1
				""")
			.params(plan, phase, runId, queue.computed().code(), after, plan, phase, me,
					Timestamp.from(this.clock.instant()))
			.query((rs, row) -> new String[] { rs.getString(1), String.valueOf(rs.getLong(2)) })
			.optional();
	}

	private Claim tryClaim(String plan, String phase, String oldKey, String me) {
		Instant now = this.clock.instant();
		Timestamp until = Timestamp.from(now.plus(HOLD));
		// a reviewer holds one item of a phase at a time
		this.store.sql("DELETE FROM mapping_claims WHERE plan = ? AND phase = ? AND claimed_by = ? AND old_key <> ?")
			.params(plan, phase, me, oldKey)
			.update();
		int taken = this.store.sql("""
				UPDATE mapping_claims SET claimed_by = ?, expires_at = ? WHERE plan = ? AND phase = ? AND old_key = ?
				AND (claimed_by = ? OR expires_at <= ?)
				""").params(me, until, plan, phase, oldKey, me, Timestamp.from(now)).update();
		if (taken == 1) {
			return new Claim(oldKey, me, until.toInstant(), true);
		}
		Optional<Claim> other = holder(plan, phase, oldKey, me);
		if (other.isPresent()) {
			return other.get();
		}
		try {
			this.store.sql("""
					INSERT INTO mapping_claims (plan, phase, old_key, claimed_by, expires_at) VALUES (?, ?, ?, ?, ?)
					""").params(plan, phase, oldKey, me, until).update();
			return new Claim(oldKey, me, until.toInstant(), true);
		}
		catch (DuplicateKeyException ex) {
			// claimed between the read and the insert; this short transaction is rolled
			// back
			throw new ClaimedMeanwhile(oldKey);
		}
	}

	private Optional<Claim> holder(String plan, String phase, String oldKey, String me) {
		return this.store.sql("""
				SELECT claimed_by, expires_at FROM mapping_claims WHERE plan = ? AND phase = ? AND old_key = ?
				AND expires_at > ?
				""")
			.params(plan, phase, oldKey, Timestamp.from(this.clock.instant()))
			.query((rs, row) -> new Claim(oldKey, rs.getString(1), rs.getTimestamp(2).toInstant(),
					rs.getString(1).equals(me)))
			.optional();
	}

	private static String me() {
		return CurrentUser.get()
			.map(CurrentUser::username)
			.orElseThrow(() -> new IllegalStateException("A claim on a mapping item is made by a signed-in reviewer."));
	}

	/** Lost the race for an item's first claim. */
	static final class ClaimedMeanwhile extends RuntimeException {

		ClaimedMeanwhile(String oldKey) {
			super("Old record " + oldKey + " was claimed by another reviewer meanwhile.", null, false, false);
		}

	}

}
