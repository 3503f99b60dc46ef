package dev.ferry.lifecycle;

/** What someone may ask of a phase; each is a transition the lifecycle checks. */
public enum Action {

	DRY_RUN("dry-run"), APPROVE("approve"), APPLY("apply"), ROLLBACK("rollback"), DECIDE("decide");

	private final String code;

	Action(String code) {
		this.code = code;
	}

	public String code() {
		return this.code;
	}

}
