package dev.ferry.mapping;

import java.util.Arrays;
import java.util.Optional;

/**
 * The tabs of a review queue: open items by computed status, decided ones, and all autos.
 */
public enum Queue {

	AMBIGUOUS("ambiguous", MatchStatus.AMBIGUOUS), UNRESOLVED("unresolved", MatchStatus.UNRESOLVED),
	CONFLICT("conflict", MatchStatus.CONFLICT), DECIDED("decided", null), AUTO("auto", MatchStatus.AUTO),

	/** Every item, in the dry run's order. */
	ALL("all", null);

	private final String code;

	private final MatchStatus computed;

	Queue(String code, MatchStatus computed) {
		this.code = code;
		this.computed = computed;
	}

	public String code() {
		return this.code;
	}

	/**
	 * The computed status of the items in this tab; null for {@link #DECIDED} and
	 * {@link #ALL}.
	 */
	public MatchStatus computed() {
		return this.computed;
	}

	public static Optional<Queue> of(String code) {
		return Arrays.stream(values()).filter(queue -> queue.code.equalsIgnoreCase(code)).findFirst();
	}

}
