package dev.ferry.changeset;

import java.util.Arrays;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a change row would do to the target, with the code pages and the API use.
 * {@link #KEPT} is no change: a target row whose key the source no longer has, kept
 * because the phase's {@code delete-missing} is off. It is listed for review only; the
 * apply, the hash, the downloads and the counts of changes leave it out.
 */
public enum ChangeOp {

	INSERT("insert"), UPDATE("update"), DELETE("delete"), REJECTED("rejected"), KEPT("kept");

	private final String code;

	ChangeOp(String code) {
		this.code = code;
	}

	@JsonValue
	public String code() {
		return this.code;
	}

	public static Optional<ChangeOp> of(String code) {
		// the stored spelling first: an apply reads a million of them
		if (code != null) {
			switch (code) {
				case "insert":
					return INSERT_FOUND;
				case "update":
					return UPDATE_FOUND;
				case "delete":
					return DELETE_FOUND;
				case "rejected":
					return REJECTED_FOUND;
				case "kept":
					return KEPT_FOUND;
				default:
					break;
			}
		}
		return Arrays.stream(values()).filter(op -> op.code.equalsIgnoreCase(code)).findFirst();
	}

	private static final Optional<ChangeOp> INSERT_FOUND = Optional.of(INSERT);

	private static final Optional<ChangeOp> UPDATE_FOUND = Optional.of(UPDATE);

	private static final Optional<ChangeOp> DELETE_FOUND = Optional.of(DELETE);

	private static final Optional<ChangeOp> REJECTED_FOUND = Optional.of(REJECTED);

	private static final Optional<ChangeOp> KEPT_FOUND = Optional.of(KEPT);

	/** Whether a row of this operation is a change (everything but {@link #KEPT}). */
	public boolean change() {
		return this != KEPT;
	}

}
