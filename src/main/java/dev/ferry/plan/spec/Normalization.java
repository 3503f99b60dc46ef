package dev.ferry.plan.spec;

/**
 * A normalization of text values, with the name the YAML {@code normalize:} lists use.
 */
public enum Normalization {

	TRIM("trim"), COLLAPSE_SPACES("collapse-spaces"), LOWER("lower"), UPPER("upper"), STRIP_ACCENTS("strip-accents"),
	TITLE_CASE("title-case");

	private final String yamlName;

	Normalization(String yamlName) {
		this.yamlName = yamlName;
	}

	public String yamlName() {
		return this.yamlName;
	}

}
