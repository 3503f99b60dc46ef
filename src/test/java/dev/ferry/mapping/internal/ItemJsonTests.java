package dev.ferry.mapping.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import dev.ferry.mapping.Candidate;
import dev.ferry.mapping.Suggestion;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The item columns' JSON, written and read by hand ({@code JsonTexts} for the texts),
 * against Jackson (what the rest of Ferry reads them with, and what wrote the items of
 * earlier versions).
 */
class ItemJsonTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final TypeReference<List<String>> TEXTS = new TypeReference<>() {
	};

	private static final TypeReference<List<Candidate>> CANDIDATES = new TypeReference<>() {
	};

	private static final TypeReference<List<Suggestion>> SUGGESTIONS = new TypeReference<>() {
	};

	/** Texts that need escaping, or look like they do. */
	private static final List<String> AWKWARD = Arrays.asList("", "plain", "Café Crème", "say \"hi\"", "back\\slash",
			"a/b", "line\nbreak\r\n", "tab\tand\bbell\f", "\u0000\u0001\u001f", "\u007f\u2028\u2029", "😀 emoji",
			"\\u0041 not an escape", null, "   ", "[\"not\", \"an array\"]");

	@Test
	void textsReadTheSameByJacksonAndByTheParser() {
		String written = ItemJson.texts(AWKWARD);
		assertThat(JSON.readValue(written, TEXTS)).isEqualTo(AWKWARD);
		assertThat(ItemJson.parseTexts(written)).isEqualTo(AWKWARD);
		// and what Jackson wrote (items of earlier versions) reads the same
		assertThat(ItemJson.parseTexts(JSON.writeValueAsString(AWKWARD))).isEqualTo(AWKWARD);
		assertThat(ItemJson.texts(List.of())).isEqualTo("[]");
		assertThat(ItemJson.parseTexts("[]")).isEmpty();
		assertThat(ItemJson.parseTexts(" [ \"a\" , null ,\"\\u00e9\\/\" ] ")).containsExactly("a", null, "é/");
	}

	@Test
	void randomTextsRoundTrip() {
		Random random = new Random(42);
		for (int i = 0; i < 2000; i++) {
			List<String> values = new ArrayList<>();
			int n = random.nextInt(5);
			for (int j = 0; j < n; j++) {
				if (random.nextInt(8) == 0) {
					values.add(null);
					continue;
				}
				StringBuilder text = new StringBuilder();
				int length = random.nextInt(12);
				for (int k = 0; k < length; k++) {
					// every character class: controls, ASCII, Latin-1, BMP, surrogate
					// halves
					// in pairs
					switch (random.nextInt(5)) {
						case 0 -> text.append((char) random.nextInt(0x20));
						case 1 -> text.append((char) (0x20 + random.nextInt(0x60)));
						case 2 -> text.append((char) (0xA0 + random.nextInt(0x100)));
						case 3 -> text.append((char) (0x100 + random.nextInt(0xD000)));
						default -> text.appendCodePoint(0x10000 + random.nextInt(0x1000));
					}
				}
				values.add(text.toString());
			}
			String written = ItemJson.texts(values);
			assertThat(JSON.readValue(written, TEXTS)).isEqualTo(values);
			assertThat(ItemJson.parseTexts(written)).isEqualTo(values);
			assertThat(ItemJson.parseTexts(JSON.writeValueAsString(values))).isEqualTo(values);
		}
	}

	@Test
	void candidatesAndSuggestionsReadBackByJackson() {
		List<Candidate> candidates = List.of(
				new Candidate("17", 1.0, List.of(1.0, 0.6000000000000001), AWKWARD.subList(0, 5)),
				new Candidate("quote\"key", 1.0E-5, List.of(), Arrays.asList(null, "x")),
				new Candidate("", 0.0, List.of(0.0), List.of()));
		assertThat(JSON.readValue(ItemJson.candidates(candidates), CANDIDATES)).isEqualTo(candidates);
		assertThat(ItemJson.candidates(List.of())).isEqualTo("[]");
		List<Suggestion> suggestions = List.of(new Suggestion("9", 0.875, 0.4, List.of(0.0, 1.0), AWKWARD),
				new Suggestion("tab\tkey", 0.3333333333333333, 1.0, List.of(1.0), Arrays.asList("a", null)));
		assertThat(JSON.readValue(ItemJson.suggestions(suggestions), SUGGESTIONS)).isEqualTo(suggestions);
	}

	@Test
	void aScoreThatIsNotANumberIsRefusedRatherThanWrittenAsInvalidJson() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ItemJson.candidates(List.of(new Candidate("1", Double.NaN, List.of(), List.of()))))
			.withMessageContaining("finite");
	}

	@Test
	void whatIsNotAnArrayOfTextsIsRefusedWithWhereItWentWrong() {
		assertThatIllegalArgumentException().isThrownBy(() -> ItemJson.parseTexts("[1]"))
			.withMessageContaining("expected '\"' at 1");
		assertThatIllegalArgumentException().isThrownBy(() -> ItemJson.parseTexts("[\"a\""))
			.withMessageContaining("expected ']' at 4");
		assertThatIllegalArgumentException().isThrownBy(() -> ItemJson.parseTexts("[\"a\"] x"))
			.withMessageContaining("text after its end");
		assertThatIllegalArgumentException().isThrownBy(() -> ItemJson.parseTexts("[\"\\x\"]"))
			.withMessageContaining("unknown escape");
		assertThatIllegalArgumentException().isThrownBy(() -> ItemJson.parseTexts("[\"\\u12\"]"))
			.withMessageContaining("bad \\u escape");
		assertThatIllegalArgumentException().isThrownBy(() -> ItemJson.parseTexts("{}"))
			.withMessageContaining("expected '[' at 0");
	}

}
