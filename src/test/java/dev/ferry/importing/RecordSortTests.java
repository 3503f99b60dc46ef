package dev.ferry.importing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The external sort: keys as people count them (a mapping dry run's item order), and
 * records across spilled chunks merged in order, the files removed afterwards.
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
	void aChunkThatCannotBeWrittenFailsTheSortWithTheReasonAndItsFilesAreRemoved() {
		// a disk that fills up while the third chunk is written
		RecordSort.Codec<String[]> codec = new RecordSort.Codec<>() {

			@Override
			public void write(java.io.DataOutputStream out, String[] record) throws java.io.IOException {
				if (record[0].equals("b7")) {
					throw new java.io.IOException("No space left on device");
				}
				RecordSort.TEXTS.write(out, record);
			}

			@Override
			public String[] read(java.io.DataInputStream in) throws java.io.IOException {
				return RecordSort.TEXTS.read(in);
			}

		};
		Path directory = this.dir.resolve("full");
		RecordSort<String[]> sort = new RecordSort<>(directory, "items", 3, RecordSort.ORDER, codec);
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
			for (int i = 0; i < 10; i++) {
				sort.add(new String[] { "b" + i, Integer.toString(i) });
			}
			sort.sorted();
		})
			.isInstanceOf(java.io.UncheckedIOException.class)
			.hasMessageContaining("Could not write sort file under")
			.hasMessageContaining("No space left on device");
		sort.close();
		assertThat(directory).as("the chunks written, and the one that failed, are deleted").doesNotExist();
	}

}
