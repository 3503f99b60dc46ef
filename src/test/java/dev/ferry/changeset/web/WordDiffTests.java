package dev.ferry.changeset.web;

import java.math.BigDecimal;

import dev.ferry.changeset.web.WordDiff.Parts;
import dev.ferry.changeset.web.WordDiff.Segment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The changed words of an update, written here with [brackets] around the marked parts. */
class WordDiffTests {

	@ParameterizedTest(name = "\"{0}\" → \"{1}\"")
	@CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
			# before               | after                 | marked before            | marked after
			cherry Eagle encore    | Cherry Eagle Encore   | [cherry] Eagle [encore]  | [Cherry] Eagle [Encore]
			"Item  5"              | Item 5                | "Item[  ]5"              | Item[ ]5
			Old product name 11    | Product 11            | [Old product name ]11    | [Product] 11
			Blue Halo              | Blue Halo Cascade     | Blue Halo                | Blue Halo[ Cascade]
			"ROSÉ  parasol"        | Rosé Parasol          | [ROSÉ  parasol]          | [Rosé Parasol]
			a,b,c                  | a;b;c                 | a[,]b[,]c                | a[;]b[;]c
			Part A1                | "<b>Bold</b> & x"     | [Part A1]                | ""
			""")
	void marksTheChangedWords(String before, String after, String markedBefore, String markedAfter) {
		Parts parts = WordDiff.of(before, after);
		if (markedBefore.equals("[" + before + "]")) {
			assertThat(parts).as("nothing shared: the whole value is marked").isNull();
			return;
		}
		assertThat(parts).isNotNull();
		assertThat(text(parts.before())).isEqualTo(markedBefore);
		assertThat(text(parts.after())).isEqualTo(markedAfter);
	}

	@Test
	void onlyTextsOfAReadableLengthAreCut() {
		assertThat(WordDiff.of(4.5, 3.5)).isNull();
		assertThat(WordDiff.of(new BigDecimal("1.5"), "1.5 kg")).isNull();
		assertThat(WordDiff.of(null, "x")).isNull();
		assertThat(WordDiff.of("", "x")).isNull();
		assertThat(WordDiff.of("a ".repeat(1001), "b ".repeat(1001))).isNull();
	}

	private static String text(java.util.List<Segment> segments) {
		StringBuilder text = new StringBuilder();
		for (Segment segment : segments) {
			text.append(segment.changed() ? "[" + segment.text() + "]" : segment.text());
		}
		return text.toString();
	}

}
