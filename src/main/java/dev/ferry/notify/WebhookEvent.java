package dev.ferry.notify;

import java.util.Arrays;
import java.util.Optional;

/** What a webhook can be told, with the names the API and the payloads use. */
public enum WebhookEvent {

	/** A dry run of a phase that writes waits for its approvals (its gates pass). */
	APPROVAL_NEEDED("approval.needed"),

	/** An approval was given. */
	APPROVAL_GIVEN("approval.given"),

	/** A reviewer asked for changes: the dry run cannot be approved. */
	APPROVAL_REJECTED("approval.rejected"),

	/** Gates of a phase fail after its dry run, so it cannot be approved. */
	GATE_FAILED("gate.failed"),

	/** A run failed. */
	RUN_FAILED("run.failed"),

	/** An apply succeeded. */
	APPLY_SUCCEEDED("apply.succeeded"),

	/**
	 * A verify phase failed after an apply (with on-fail: rollback, the rollback
	 * follows).
	 */
	VERIFY_FAILED("verify.failed"),

	/** A rollback succeeded. */
	ROLLBACK_SUCCEEDED("rollback.succeeded"),

	/**
	 * A plan's window opened with an apply scheduled for it, which started or was
	 * refused.
	 */
	WINDOW_OPENED("window.opened"),

	/** A test an admin sends from the webhooks page. */
	PING("ping");

	private final String code;

	WebhookEvent(String code) {
		this.code = code;
	}

	public String code() {
		return this.code;
	}

	public static Optional<WebhookEvent> of(String code) {
		return Arrays.stream(values()).filter(event -> event.code.equals(code)).findFirst();
	}

}
