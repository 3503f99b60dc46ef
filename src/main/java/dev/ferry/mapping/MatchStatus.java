package dev.ferry.mapping;

import java.util.Arrays;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where an old record stands: computed by a dry run ({@code auto}, {@code ambiguous},
 * {@code unresolved}, {@code conflict}) or decided by a reviewer ({@code manual},
 * {@code excluded}).
 */
public enum MatchStatus {

	AUTO("auto"), AMBIGUOUS("ambiguous"), UNRESOLVED("unresolved"), CONFLICT("conflict"), MANUAL("manual"),
	EXCLUDED("excluded");

	private final String code;

	MatchStatus(String code) {
		this.code = code;
	}

	@JsonValue
	public String code() {
		return this.code;
	}

	/** Whether an item with this computed status waits in a review queue. */
	public boolean open() {
		return this == AMBIGUOUS || this == UNRESOLVED || this == CONFLICT;
	}

	/** Whether this status is a reviewer's decision. */
	public boolean decided() {
		return this == MANUAL || this == EXCLUDED;
	}

	public static Optional<MatchStatus> of(String code) {
		return Arrays.stream(values()).filter(status -> status.code.equalsIgnoreCase(code)).findFirst();
	}

}
