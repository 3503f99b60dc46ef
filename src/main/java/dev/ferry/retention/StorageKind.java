package dev.ferry.retention;

import java.util.Arrays;
import java.util.Optional;

/** The kinds of storage retention purges, each kept by the module that owns it. */
public enum StorageKind {

	/** The rows of a change set in Ferry's store, and its {@code changes.csv}. */
	CHANGE_SET("change-set"),

	/** The items of a mapping dry run in Ferry's store, and its {@code mapping.csv}. */
	MAPPING_ITEMS("mapping-items"),

	/** An apply's before-images and undo ledger rows in its target. */
	UNDO_IMAGES("undo-images");

	private final String code;

	StorageKind(String code) {
		this.code = code;
	}

	public String code() {
		return this.code;
	}

	public static Optional<StorageKind> of(String code) {
		return Arrays.stream(values()).filter(kind -> kind.code.equals(code)).findFirst();
	}

}
