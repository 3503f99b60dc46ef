package dev.ferry.plan;

/** Where a plan version came from. */
public enum PlanOrigin {

	CONSOLE, API, CONFIG;

	public String code() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

}
