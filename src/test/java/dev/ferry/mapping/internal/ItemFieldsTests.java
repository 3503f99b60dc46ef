package dev.ferry.mapping.internal;

import java.util.Arrays;
import java.util.List;

import dev.ferry.mapping.Candidate;
import dev.ferry.mapping.MatchRecord;
import dev.ferry.mapping.MatchStatus;
import dev.ferry.mapping.MatchedItem;
import dev.ferry.mapping.Suggestion;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Scored items through the item sort's text fields and back, unchanged. */
class ItemFieldsTests {

	@Test
	void anItemComesBackFromItsFieldsUnchanged() {
		MatchedItem ambiguous = new MatchedItem(new MatchRecord("42", Arrays.asList("Royal Halo", null, "STOUT")),
				MatchStatus.AMBIGUOUS, 0.6, "n1", 12,
				List.of(new Candidate("n1", 0.6, List.of(1.0, 0.0), Arrays.asList("royal halo", "1990", null)),
						new Candidate("n2", 1.0 / 3, List.of(0.1 + 0.2, 1.0), List.of("ROYAL HALO", "", "S"))));
		MatchedItem unresolved = new MatchedItem(new MatchRecord("x", List.of()), MatchStatus.UNRESOLVED, null, null, 0,
				List.of());

		assertThat(ItemFields.item(ItemFields.of(ambiguous))).isEqualTo(ambiguous);
		assertThat(ItemFields.item(ItemFields.of(unresolved))).isEqualTo(unresolved);
		assertThat(ItemFields.of(ambiguous)[0]).as("the key the sort orders by").isEqualTo("42");
	}

	@Test
	void suggestionsComeBackFromTheirFieldsUnchanged() {
		List<Suggestion> suggestions = List.of(
				new Suggestion("7", 0.95, 1.0, List.of(1.0, 1.0), Arrays.asList("Happy Parasol Kisses", "1990", null)),
				new Suggestion("12", 1.0 / 3, 0.0, List.of(0.0, 0.1 + 0.2), List.of("x", "", "S")));

		String[] fields = ItemFields.ofSuggestions("40", suggestions);

		assertThat(fields[0]).as("the key the sort orders by").isEqualTo("40");
		assertThat(ItemFields.suggestions(fields)).isEqualTo(suggestions);
		assertThat(ItemFields.suggestions(ItemFields.ofSuggestions("41", List.of()))).isEmpty();
	}

}
