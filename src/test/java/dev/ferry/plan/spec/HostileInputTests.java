package dev.ferry.plan.spec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Documents too large, too deep or too clever to be read; generated here because they are
 * too big (or too binary) to keep as fixtures. None may throw or hang.
 */
class HostileInputTests {

	private static final String HEAD = "plan: fixture\nsource: cultivars\ntarget: app\n";

	private static final String PHASES = "phases:\n  - id: schema\n    kind: sql\n"
			+ "    apply: CREATE TABLE Extra (id INTEGER)\n    rollback: DROP TABLE Extra\n";

	static PlanCheck read(byte[] yaml) {
		return PlanReader.read(yaml, FakePlanEnvironment.ahs());
	}

	static PlanCheck read(String yaml) {
		return read(yaml.getBytes(StandardCharsets.UTF_8));
	}

	static PlanProblem onlyError(PlanCheck check) {
		assertThat(check.spec()).isNull();
		assertThat(check.errors()).hasSize(1);
		return check.errors().get(0);
	}

	@Test
	void aPlanOverOneMebibyteIsRefusedAtItsFirstCharacter() {
		String filler = "description: " + "x".repeat(PlanReader.MAX_BYTES) + "\n";
		PlanProblem error = onlyError(read(HEAD + filler + PHASES));

		assertThat(error.line()).isEqualTo(1);
		assertThat(error.column()).isEqualTo(1);
		assertThat(error.message()).contains("1,048,576 bytes (1 MiB)");
	}

	@Test
	void aLongScalarWithinTheLimitIsFine() {
		String description = "x".repeat(PlanReader.MAX_BYTES - 1000);
		PlanCheck check = read(HEAD + "description: " + description + "\n" + PHASES);

		assertThat(check.errors()).isEmpty();
		assertThat(check.spec().description()).hasSize(description.length());
	}

	@Test
	void deepNestingIsRefusedWithoutReadingItAll() {
		String deep = "phases: " + "[".repeat(500_000) + "]".repeat(500_000) + "\n";
		PlanProblem error = onlyError(read(HEAD + deep));

		assertThat(error.line()).isEqualTo(4);
		assertThat(error.column()).isEqualTo("phases: ".length() + PlanReader.MAX_DEPTH);
		assertThat(error.message()).contains("deeper than 30 levels");
	}

	@Test
	void deepBlockNestingIsRefused() {
		StringBuilder yaml = new StringBuilder(HEAD).append("title:\n");
		for (int depth = 1; depth <= 40; depth++) {
			yaml.append(" ".repeat(depth)).append("k").append(depth).append(":\n");
		}
		PlanProblem error = onlyError(read(yaml.toString()));

		assertThat(error.message()).contains("deeper than 30 levels");
		assertThat(error.line()).isEqualTo(4 + 30);
	}

	@Test
	void anInvalidUtf8ByteIsReportedWhereItIs() {
		ByteArrayOutputStream yaml = new ByteArrayOutputStream();
		yaml.writeBytes(HEAD.getBytes(StandardCharsets.UTF_8));
		// two 2-byte and one 3-byte characters before the bad byte: columns count
		// characters
		yaml.writeBytes("title: Ærø € ".getBytes(StandardCharsets.UTF_8));
		yaml.write(0xC3);
		yaml.write('(');
		yaml.writeBytes(("\n" + PHASES).getBytes(StandardCharsets.UTF_8));
		PlanProblem error = onlyError(read(yaml.toByteArray()));

		assertThat(error.line()).isEqualTo(4);
		assertThat(error.column()).isEqualTo("title: Ærø € ".length() + 1);
		assertThat(error.message()).contains("not valid UTF-8").contains("0xC3");
	}

	@Test
	void aTruncatedCharacterAtTheEndIsReported() {
		byte[] text = (HEAD + PHASES + "title: caf").getBytes(StandardCharsets.UTF_8);
		byte[] yaml = java.util.Arrays.copyOf(text, text.length + 1);
		yaml[text.length] = (byte) 0xE2;
		PlanProblem error = onlyError(read(yaml));

		assertThat(error.line()).isEqualTo(9);
		assertThat(error.column()).isEqualTo(11);
	}

	@Test
	void aByteOrderMarkIsFine() {
		byte[] text = (HEAD + PHASES).getBytes(StandardCharsets.UTF_8);
		byte[] yaml = new byte[text.length + 3];
		yaml[0] = (byte) 0xEF;
		yaml[1] = (byte) 0xBB;
		yaml[2] = (byte) 0xBF;
		System.arraycopy(text, 0, yaml, 3, text.length);

		assertThat(read(yaml).errors()).isEmpty();
	}

	@Test
	void aBigBillionLaughsIsRefusedAtItsFirstAnchor() {
		StringBuilder yaml = new StringBuilder(HEAD).append("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol]\n");
		for (int level = 1; level < 30; level++) {
			yaml.append("a").append(level).append(": &a").append(level).append(" [");
			for (int i = 0; i < 8; i++) {
				yaml.append((i > 0) ? ", " : "").append("*a").append(level - 1);
			}
			yaml.append("]\n");
		}
		yaml.append("phases: *a29\n");
		PlanProblem error = onlyError(read(yaml.toString()));

		assertThat(error.line()).isEqualTo(4);
		assertThat(error.column()).isEqualTo(5);
		assertThat(error.message()).contains("Anchors (&a0) are not allowed");
	}

	@Test
	void anAliasOfAScalarIsRefusedToo() {
		PlanProblem error = onlyError(read(HEAD + PHASES + "title: *name\n"));

		assertThat(error.line()).isEqualTo(9);
		assertThat(error.column()).isEqualTo(8);
		assertThat(error.message()).contains("Aliases (*name) are not allowed");
	}

	@Test
	void everyTagIsRefused() {
		assertThat(onlyError(read(HEAD + PHASES + "title: !!str 12\n")).message())
			.isEqualTo("YAML tags (!!str) are not allowed in a plan");
		assertThat(onlyError(read(HEAD + PHASES + "title: !custom x\n")).message())
			.isEqualTo("YAML tags (!custom) are not allowed in a plan");
		assertThat(onlyError(read(HEAD + PHASES + "gates: !!set {a, b}\n")).message())
			.isEqualTo("YAML tags (!!set) are not allowed in a plan");
	}

	@Test
	void aControlCharacterIsReportedWhereItIs() {
		PlanProblem error = onlyError(read(HEAD + "title: a\u0000b\n" + PHASES));

		assertThat(error.line()).isEqualTo(4);
		assertThat(error.column()).isEqualTo(9);
		assertThat(error.message()).contains("U+0000");
	}

	@Test
	void manyErrorsStopAfterTheLimit() {
		StringBuilder yaml = new StringBuilder(HEAD).append(PHASES);
		for (int i = 0; i < 5000; i++) {
			yaml.append("unknown").append(i).append(": x\n");
		}
		PlanCheck check = read(yaml.toString());

		assertThat(check.errors()).hasSize(Problems.MAX_ERRORS + 1);
		assertThat(check.errors().get(Problems.MAX_ERRORS).message()).contains("More than 100 errors");
	}

	@Test
	void manyAliasesAreScannedOnce() {
		String aliases = "*x, ".repeat(200_000);
		PlanCheck check = read(HEAD + PHASES + "title: [" + aliases + "*x]\n");

		assertThat(check.errors()).hasSize(1);
	}

	@Test
	void nothingAtAllIsAnEmptyPlan() {
		assertThat(onlyError(PlanReader.read(null, FakePlanEnvironment.ahs())).message())
			.isEqualTo("The plan is empty");
		assertThat(onlyError(read("# only a comment\n\n")).message()).isEqualTo("The plan is empty");
		assertThat(onlyError(read("---\n")).message()).isEqualTo("The plan is empty");
		assertThat(onlyError(read("just text")).message()).contains("A plan is a mapping of keys");
	}

	@Test
	void aFailingEnvironmentDoesNotEscape() {
		PlanEnvironment failing = new PlanEnvironment() {

			@Override
			public boolean connectionExists(String name) {
				return true;
			}

			@Override
			public Optional<Catalog> catalog(String connectionName) {
				throw new IllegalStateException("connection refused");
			}

			@Override
			public Set<String> allowedHttpHosts() {
				return Set.of();
			}

		};
		PlanCheck check = PlanReader.read((HEAD + PHASES).getBytes(StandardCharsets.UTF_8), failing);

		assertThat(check.errors()).isEmpty();
		assertThat(check.spec()).isNotNull();
	}

}
