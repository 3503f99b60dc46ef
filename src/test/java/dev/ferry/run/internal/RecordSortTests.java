package dev.ferry.run.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.ferry.mapping.Candidate;
import dev.ferry.mapping.MatchRecord;
import dev.ferry.mapping.MatchStatus;
import dev.ferry.mapping.MatchedItem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The item sort of a mapping dry run: keys as people count them, across spilled chunks,
 * and scored items through the sort's text fields and back unchanged.
 */
class RecordSortTests {

	@TempDir
	Path dir;

	@Test
	void keysOfDigitsComeFirstByTheirNumberThenTheOthersAsText() {
		List<String> keys = new ArrayList<>(List.of("b", "10", "9", "007", "A-2", "100", "", "1", "a", "99"));
		keys.sort(RecordSort.KEY_ORDER);
		// "007" is three digits: among the three-digit numbers, before "100"
		assertThat(keys).containsExactly("1", "9", "10", "99", "007", "100", "", "A-2", "a", "b");
	}

	@Test
	void spilledChunksMergeInKeyOrder() {
		List<String> sorted = new ArrayList<>();
		try (RecordSort<String[]> sort = RecordSort.texts(this.dir.resolve("sort"), "items", 7, RecordSort.BY_KEY)) {
			for (int i = 100; i >= 1; i--) {
				// out of order, in 15 chunks
				int key = (i * 37) % 101;
				sort.add(new String[] { Integer.toString(key), "payload " + key, null });
			}
			RecordSort.Stream<String[]> stream = sort.sorted();
			String[] record;
			while ((record = stream.next()) != null) {
				assertThat(record[1]).isEqualTo("payload " + record[0]);
				assertThat(record[2]).isNull();
				sorted.add(record[0]);
			}
		}
		List<String> expected = new ArrayList<>();
		for (int key = 1; key <= 100; key++) {
			expected.add(Integer.toString(key));
		}
		assertThat(sorted).isEqualTo(expected);
		assertThat(this.dir.resolve("sort")).as("spill files and their directory are deleted").doesNotExist();
	}

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

}
