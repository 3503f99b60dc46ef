package dev.ferry.changeset;

import java.util.Arrays;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a change row would do to the target, with the code pages and the API use. */
public enum ChangeOp {

	INSERT("insert"), UPDATE("update"), DELETE("delete"), REJECTED("rejected");

	private final String code;

	ChangeOp(String code) {
		this.code = code;
	}

	@JsonValue
	public String code() {
		return this.code;
	}

	public static Optional<ChangeOp> of(String code) {
		return Arrays.stream(values()).filter(op -> op.code.equalsIgnoreCase(code)).findFirst();
	}

}
