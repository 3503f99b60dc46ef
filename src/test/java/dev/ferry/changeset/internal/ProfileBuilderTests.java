package dev.ferry.changeset.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import dev.ferry.changeset.ChangeProfile;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The profile's bounded counters: the most common values survive a stream of unique ones,
 * and the distinct count stops exactly at its limit and says there are more.
 */
class ProfileBuilderTests {

	@Test
	void frequentValuesSurviveAMillionUniqueOnes() {
		ProfileBuilder.TopK top = new ProfileBuilder.TopK();
		for (int i = 0; i < 1_000_000; i++) {
			// every 10th value is "often", every 100th "sometimes", the others unique
			top.add((i % 10 == 0) ? "often" : (i % 100 == 1) ? "sometimes" : "unique " + i);
		}
		List<Map.Entry<Object, Long>> shown = top.top();
		assertThat(shown).hasSize(ProfileBuilder.SHOWN);
		assertThat(shown.get(0)).isEqualTo(Map.entry("often", 100_000L));
		assertThat(shown.get(1)).isEqualTo(Map.entry("sometimes", 10_000L));
		assertThat(shown.subList(2, ProfileBuilder.SHOWN)).allSatisfy(entry -> assertThat(entry.getValue()).isOne());
	}

	@Test
	void theHashSetHoldsWhatWasAddedAndNothingElse() {
		ProfileBuilder.LongSet set = new ProfileBuilder.LongSet(ChangeProfile.DISTINCT_LIMIT);
		Set<Long> expected = new HashSet<>();
		Random random = new Random(22);
		set.add(0);
		expected.add(0L);
		while (expected.size() < ChangeProfile.DISTINCT_LIMIT) {
			long value = random.nextLong();
			set.add(value);
			set.add(value);
			expected.add(value);
		}
		assertThat(set.size()).isEqualTo(ChangeProfile.DISTINCT_LIMIT);
		assertThat(expected).allMatch(set::contains);
		assertThat(random.longs(10_000).filter(value -> !expected.contains(value))).noneMatch(set::contains);
	}

	@Test
	void distinctValuesAreCountedToTheLimitThenSaidToBeMore() {
		ProfileBuilder profile = new ProfileBuilder(List.of("id", "kind"));
		for (int i = 0; i < 25_000; i++) {
			profile.insert(List.of(String.valueOf(i), (i % 3 == 0) ? "a" : "b"));
		}
		ChangeProfile built = profile.build();
		ChangeProfile.Inserted ids = built.inserted().get(0);
		ChangeProfile.Inserted kinds = built.inserted().get(1);
		assertThat(ids.distinct()).isEqualTo(ChangeProfile.DISTINCT_LIMIT);
		assertThat(ids.distinctMore()).isTrue();
		assertThat(kinds.distinct()).isEqualTo(2);
		assertThat(kinds.distinctMore()).isFalse();
		assertThat(kinds.top()).extracting(ChangeProfile.Value::value, ChangeProfile.Value::rows)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("b", 16_666L), org.assertj.core.groups.Tuple.tuple("a", 8_334L));
	}

}
