package dev.ferry.changeset.internal;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CanonicalJsonTests {

	@Test
	void readsBackWhatItWrites() {
		List<String> values = Arrays.asList("plain", "", null, "quote \" and back\\slash", "tab\there\nnew\rline",
				"bell\u0007 nul\u0000", "Épée – 東京 🌸", "[\"not\",\"an array\"]", "null", "\\u0041");
		String json = CanonicalJson.array(values);

		assertThat(CanonicalJson.parseArray(json)).containsExactlyElementsOf(values);
	}

	@Test
	void readsEmptyAndNull() {
		assertThat(CanonicalJson.parseArray("[]")).isEmpty();
		assertThat(CanonicalJson.parseArray(null)).isNull();
		assertThat(CanonicalJson.parseArray("[null]")).containsExactly((String) null);
	}

	@Test
	void readsOtherSpellingsOfTheSameArray() {
		assertThat(CanonicalJson.parseArray(" [ \"a\" , null ,\"b\\/c\\u00e9\\b\\f\" ] "))
			.containsExactly("a", null, "b/c\u00e9\b\f");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "{}", "[\"a\"", "[\"a\",]", "[\"a\" \"b\"]", "[1]", "[\"a\"] x", "[\"\\x\"]",
			"[\"\\u00\"]", "[\"\\u-041\"]", "[\"open]", "[nul]" })
	void refusesWhatIsNotAnArrayOfStrings(String json) {
		assertThatIllegalArgumentException().isThrownBy(() -> CanonicalJson.parseArray(json))
			.withMessageContaining("stored value array");
	}

}
